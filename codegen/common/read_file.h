#ifndef READ_FILE_H
#define READ_FILE_H

#include <stddef.h>

/* Read a whole file ("-" is standard input) into a malloc'd, NUL-terminated
 * buffer. On failure returns NULL and writes the reason (strerror text) to err. */
char *read_file(const char *path, size_t *len, char *err, size_t errsize);

#endif
