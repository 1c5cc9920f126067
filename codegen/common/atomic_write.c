#include "atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fail(char *err, size_t errsize, const char *what, int errnum)
{
    if (err && errsize)
        snprintf(err, errsize, "%s: %s", what, strerror(errnum));
    return false;
}

bool atomic_write(const char *path, const void *data, size_t len, unsigned flags, char *err, size_t errsize)
{
    /* same folder as path, so that rename() stays within one file system */
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return fail(err, errsize, "cannot write", ENAMETOOLONG);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return fail(err, errsize, "cannot create a temporary file", errno);

    mode_t mode = 0644;
    struct stat st;
    if (stat(path, &st) == 0)
        mode = st.st_mode & 07777;

    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            return fail(err, errsize, "cannot write", e);
        }
        p += n;
        left -= (size_t)n;
    }
    /* without fsync a crash after rename could leave an empty file behind */
    if (fchmod(fd, mode) != 0 || (!(flags & ATOMIC_NO_SYNC) && fsync(fd) != 0)) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return fail(err, errsize, "cannot write", e);
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, errsize, "cannot write", e);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, errsize, "cannot replace the file", e);
    }
    return true;
}
