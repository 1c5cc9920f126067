#ifndef MAKE_DIRS_H
#define MAKE_DIRS_H

#include <stdbool.h>
#include <sys/types.h>

/* mkdir -p: make path and the folders above it (mode before umask). An
 * existing folder is fine; an existing non-folder on the way fails with
 * errno ENOTDIR. On failure errno tells why. */
bool make_dirs(const char *path, mode_t mode);

/* make_dirs that also says whether path itself was made by this call (false:
 * it was there already), so that a caller knows the folder is empty. */
bool make_dirs_created(const char *path, mode_t mode, bool *created);

/* make_dirs of the folder a file path is in (nothing for a bare name). */
bool make_parent_dirs(const char *file, mode_t mode);

#endif
