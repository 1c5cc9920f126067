/*
 * Replace a file all at once: readers, and a build interrupted half-way, see
 * either the old contents or the new ones, never a truncated mix.
 */
#ifndef ATOMIC_WRITE_H
#define ATOMIC_WRITE_H

#include <stdbool.h>
#include <stddef.h>

enum {
    /* Skip the fsync: the rename still means no reader or interrupted run
     * sees a partial file, but a power cut may lose the new contents. For
     * outputs written by the thousand that a rerun regenerates (compile). */
    ATOMIC_NO_SYNC = 1u << 0
};

/* Write data[0..len) to a temporary file in path's folder, fsync it (unless
 * ATOMIC_NO_SYNC) and rename it over path. The file gets the mode of the file
 * it replaces, or 0644 when new. Returns false with a message in err (and no
 * temporary file left behind) on failure. */
bool atomic_write(const char *path, const void *data, size_t len, unsigned flags, char *err, size_t errsize);

#endif
