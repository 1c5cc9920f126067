/*
 * Replace a file all at once: readers, and a build interrupted half-way, see
 * either the old contents or the new ones, never a truncated mix.
 *
 * The temporary file is "<folder>/.<name>.tmp-<pid>-<thread>-<k>" in the
 * target's own folder, so that rename() stays within one file system and is
 * atomic, and hidden (a leading dot), so that a run killed before its rename
 * leaves nothing a later run lists as an output: every reader of our output
 * trees skips dot files. atomic_is_temp_name() recognizes those names.
 */
#ifndef ATOMIC_WRITE_H
#define ATOMIC_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum {
    /* Skip the fsync: the rename still means no reader or interrupted run
     * sees a partial file, but a power cut may lose the new contents. For
     * outputs written by the thousand that a rerun regenerates (compile). */
    ATOMIC_NO_SYNC = 1u << 0,
    /* Create the file with how->mode (the umask applies, as for open()) and
     * do not stat the old file or chmod the new one: the caller knows the
     * mode it wants. */
    ATOMIC_GIVEN_MODE = 1u << 1,
    /* With ATOMIC_GIVEN_MODE: chmod to how->mode after all (the umask would
     * take bits the replaced file had). */
    ATOMIC_FORCE_MODE = 1u << 2,
};

/* A test hook: fail one step as the kernel would, after the temporary file
 * exists, to test the cleanup and the message. */
typedef enum atomic_fault {
    ATOMIC_FAULT_NONE,
    ATOMIC_FAULT_WRITE,  /* write() fails with ENOSPC */
    ATOMIC_FAULT_RENAME, /* rename() fails with EIO */
} atomic_fault;

typedef struct atomic_how {
    unsigned flags;
    mode_t mode;        /* with ATOMIC_GIVEN_MODE */
    atomic_fault fault; /* ATOMIC_FAULT_NONE but in tests */
    pid_t pid;          /* getpid(), for the temporary name; 0: asked each call */
} atomic_how;

/* Write data[0..len) to a temporary file in path's folder, fsync it (unless
 * ATOMIC_NO_SYNC) and rename it over path. The file gets the mode of the file
 * it replaces, or 0644 when new. Returns false with a message in err (and no
 * temporary file left behind) on failure. */
bool atomic_write(const char *path, const void *data, size_t len, unsigned flags, char *err, size_t errsize);

/* The same with every choice spelled out; *errnum (if not NULL) gets the
 * failure's errno. */
bool atomic_write_how(const char *path, const void *data, size_t len, const atomic_how *how, char *err,
                      size_t errsize, int *errnum);

/* Whether a file name (no folder) is one of atomic_write's temporary files. */
bool atomic_is_temp_name(const char *name);

#endif
