#include "read_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Standard input goes through stdio, which may already hold some of it. */
static char *read_stdin(size_t *len, char *err, size_t errsize)
{
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);
    while (data) {
        n += fread(data + n, 1, cap - n - 1, stdin);
        if (ferror(stdin) || feof(stdin))
            break;
        char *bigger = cap > ((size_t)-1) / 2 ? NULL : realloc(data, cap * 2);
        if (!bigger) {
            free(data);
            data = NULL;
            break;
        }
        data = bigger;
        cap *= 2;
    }
    int read_error = ferror(stdin) ? errno : 0;
    if (!data) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    if (read_error) {
        free(data);
        snprintf(err, errsize, "%s", strerror(read_error ? read_error : EIO));
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
        return read_stdin(len, err, errsize);
    /* open and read, no stdio: stdio would fstat the file for its buffer
     * size, one system call per definition file for nothing (the reads
     * below go straight into the result). */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errsize, "%s", strerror(errno));
        return NULL;
    }
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
    close(fd);
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
