#include "read_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* All of fd into a malloc'd, NUL-terminated buffer, with read(2), no stdio:
 * stdio would fstat the file for its buffer size, one system call per
 * definition file for nothing (the reads go straight into the result).
 * Nothing of this program reads standard input through stdio first. */
static char *read_fd(int fd, size_t *len, char *err, size_t errsize)
{
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);
    int read_error = 0;
    while (data) {
        ssize_t got = read(fd, data + n, cap - n - 1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            read_error = errno ? errno : EIO;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (cap - n - 1 > 0)
            continue;
        char *bigger = cap > ((size_t)-1) / 2 ? NULL : realloc(data, cap * 2);
        if (!bigger) {
            free(data);
            data = NULL;
            break;
        }
        data = bigger;
        cap *= 2;
    }
    if (!data) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    if (read_error) {
        free(data);
        snprintf(err, errsize, "%s", strerror(read_error));
        return NULL;
    }
    data[n] = '\0';
    if (len)
        *len = n;
    return data;
}

char *read_file(const char *path, size_t *len, char *err, size_t errsize)
{
    if (strcmp(path, "-") == 0)
        return read_fd(STDIN_FILENO, len, err, errsize);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errsize, "%s", strerror(errno));
        return NULL;
    }
    char *data = read_fd(fd, len, err, errsize);
    close(fd);
    return data;
}
