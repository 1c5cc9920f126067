#include "atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMP_MARK ".tmp-"

static bool fail(char *err, size_t errsize, int *errnum, const char *what, int e)
{
    if (err && errsize)
        snprintf(err, errsize, "%s%s%s", what, *what ? ": " : "", strerror(e));
    if (errnum)
        *errnum = e;
    return false;
}

/* A temporary file beside path, created exclusively with mode: its name is
 * unique among the live threads of live processes (pid, thread); k skips the
 * names a killed run may have left. Returns the descriptor, or -1 (errno). */
static int create_temp(const char *path, char *tmp, size_t tmpsize, mode_t mode, pid_t pid)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    uintptr_t thread = (uintptr_t)pthread_self();
    for (unsigned k = 0; k < 1000; k++) {
        int n = snprintf(tmp, tmpsize, "%.*s.%s" TEMP_MARK "%ld-%lx-%u", dirlen, path, base, (long)pid,
                         (unsigned long)thread, k);
        if (n < 0 || (size_t)n >= tmpsize) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

bool atomic_write_how(const char *path, const void *data, size_t len, const atomic_how *how, char *err,
                      size_t errsize, int *errnum)
{
    char tmp[4096];
    mode_t mode = 0644;
    bool chmod_after = true;
    if (how->flags & ATOMIC_GIVEN_MODE) {
        mode = how->mode;
        chmod_after = how->flags & ATOMIC_FORCE_MODE;
    } else {
        struct stat st;
        if (stat(path, &st) == 0)
            mode = st.st_mode & 07777;
    }
    /* created 0600 when a chmod follows, so that no one opens it in between */
    int fd = create_temp(path, tmp, sizeof tmp, chmod_after ? 0600 : mode, how->pid ? how->pid : getpid());
    if (fd < 0)
        return fail(err, errsize, errnum, "cannot create a temporary file beside it", errno);

    const char *p = data;
    size_t left = len;
    int e = 0;
    if (how->fault == ATOMIC_FAULT_WRITE)
        e = ENOSPC;
    while (!e && left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    /* without fsync a crash after rename could leave an empty file behind */
    if (!e && ((chmod_after && fchmod(fd, mode) != 0) || (!(how->flags & ATOMIC_NO_SYNC) && fsync(fd) != 0)))
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (e) {
        unlink(tmp);
        return fail(err, errsize, errnum, "", e);
    }
    if (how->fault == ATOMIC_FAULT_RENAME || rename(tmp, path) != 0) {
        e = how->fault == ATOMIC_FAULT_RENAME ? EIO : errno;
        unlink(tmp);
        return fail(err, errsize, errnum, "cannot rename the temporary file over it", e);
    }
    return true;
}

bool atomic_write(const char *path, const void *data, size_t len, unsigned flags, char *err, size_t errsize)
{
    atomic_how how = {.flags = flags & ATOMIC_NO_SYNC};
    return atomic_write_how(path, data, len, &how, err, errsize, NULL);
}

bool atomic_is_temp_name(const char *name)
{
    return name[0] == '.' && strstr(name, TEMP_MARK) != NULL;
}
