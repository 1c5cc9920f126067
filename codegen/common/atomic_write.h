/*
 * Replace a file all at once: readers, and a build interrupted half-way, see
 * either the old contents or the new ones, never a truncated mix.
 */
#ifndef ATOMIC_WRITE_H
#define ATOMIC_WRITE_H

#include <stdbool.h>
#include <stddef.h>

/* Write data[0..len) to a temporary file in path's folder, fsync it and
 * rename it over path. The file gets the mode of the file it replaces, or
 * 0644 when new. Returns false with a message in err (and no temporary file
 * left behind) on failure. */
bool atomic_write(const char *path, const void *data, size_t len, char *err, size_t errsize);

#endif
