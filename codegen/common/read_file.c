#include "read_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *read_file(const char *path, size_t *len, char *err, size_t errsize)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s", strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);
    while (data) {
        n += fread(data + n, 1, cap - n - 1, f);
        if (ferror(f) || feof(f))
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
    int read_error = ferror(f) ? errno : 0;
    if (f != stdin)
        fclose(f);
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
