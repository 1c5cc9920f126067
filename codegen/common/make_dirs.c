/* See make_dirs.h. */
#include "make_dirs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool make_one(const char *path, mode_t mode, bool *created)
{
    struct stat st;
    *created = false;
    if (mkdir(path, mode) == 0) {
        *created = true;
        return true;
    }
    if (errno != EEXIST || stat(path, &st) != 0)
        return false;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return false;
    }
    return true;
}

bool make_dirs_created(const char *path, mode_t mode, bool *created)
{
    *created = false;
    /* the common case first: the parent is there (one mkdir, no copy) */
    if (make_one(path, mode, created))
        return true;
    if (errno != ENOENT)
        return false;
    char *p = strdup(path);
    if (!p)
        return false;
    bool ok = true;
    for (char *s = p + 1; ok && *s; s++)
        if (*s == '/') {
            *s = '\0';
            ok = make_one(p, mode, created);
            *s = '/';
        }
    ok = ok && make_one(p, mode, created);
    int saved = errno;
    free(p);
    errno = saved;
    return ok;
}

bool make_dirs(const char *path, mode_t mode)
{
    bool created;
    return make_dirs_created(path, mode, &created);
}

bool make_parent_dirs(const char *file, mode_t mode)
{
    const char *slash = strrchr(file, '/');
    if (!slash || slash == file)
        return true;
    char *d = strndup(file, (size_t)(slash - file));
    if (!d)
        return false;
    bool ok = make_dirs(d, mode);
    int saved = errno;
    free(d);
    errno = saved;
    return ok;
}
