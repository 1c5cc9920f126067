/* cexe_main_multi: which config of a multi-config executable to run.
 *
 * `chrononc build` links up to a few hundred configs (of any kind and team)
 * into one program and gives every config a hard link to it in its own
 * folder, so the config's own path, <out>/<kind folder>/<team>/<name>, is
 * what selects it: the config whose path ends it, else the only config with
 * its file name (a hard link made elsewhere). The kernel's /proc/self/exe
 * names the hard link that was executed (symlinks resolved), which is what a
 * user or scheduler pointed at; argv[0] is only a fallback, because a symlink
 * or `exec -a` can make it anything. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chronon_exe.h"

enum { SELF_MAX = 4096 };

/* The config whose path (<kind folder>/<team>/<name>) is the end of path,
 * after a '/': the executable's own path in the output folder names it. */
static const cexe_config *find_by_path(const cexe_config *configs, size_t n, const char *path, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        size_t plen = configs[i].path_len;
        if (plen <= len && memcmp(path + len - plen, configs[i].path, plen) == 0 &&
            (plen == len || path[len - plen - 1] == '/'))
            return &configs[i];
    }
    return NULL;
}

/* The one config whose name (its path after the last '/') is name; NULL when
 * none or several are: a hard link made elsewhere keeps only the name. */
static const cexe_config *find_by_name(const cexe_config *configs, size_t n, const char *name, size_t len)
{
    const cexe_config *found = NULL;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *path = configs[i].path;
        size_t start = configs[i].path_len;
        while (start > 0 && path[start - 1] != '/')
            start--;
        if (configs[i].path_len - start == len && memcmp(path + start, name, len) == 0) {
            if (found)
                return NULL;
            found = &configs[i];
        }
    }
    return found;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

static const cexe_config *find(const cexe_config *configs, size_t n, const char *path, size_t len)
{
    const cexe_config *c = find_by_path(configs, n, path, len);
    if (!c) {
        size_t start = len;
        while (start > 0 && path[start - 1] != '/')
            start--;
        c = find_by_name(configs, n, path + start, len - start);
    }
    return c;
}

static const cexe_config *select_config(const cexe_config *configs, size_t n, const char *argv0)
{
    if (n == 1)
        return &configs[0];
    char self[SELF_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = '\0';
        const cexe_config *c = find(configs, n, self, (size_t)len);
        if (c)
            return c;
        /* the hard link was replaced (a rebuild) after the kernel opened it */
        static const char deleted[] = " (deleted)";
        size_t dlen = sizeof deleted - 1;
        if ((size_t)len > dlen && strcmp(self + len - dlen, deleted) == 0 &&
            (c = find(configs, n, self, (size_t)len - dlen)))
            return c;
    }
    return argv0 ? find(configs, n, argv0, strlen(argv0)) : NULL;
}

int cexe_main_multi(const cexe_config *configs, size_t n, int argc, char **argv)
{
    const char *argv0 = argc > 0 ? argv[0] : NULL;
    const cexe_config *c = configs && n ? select_config(configs, n, argv0) : NULL;
    if (c)
        return cexe_main(c, argc, argv);
    const char *prog = argv0 ? base_name(argv0) : "chronon-config";
    if (!configs || n == 0) {
        fprintf(stderr, "%s: this executable holds no config\n", prog);
        return 1;
    }
    fprintf(stderr,
            "%s: this executable holds %zu configs (",
            prog, n);
    for (size_t i = 0; i < n && i < 3; i++)
        fprintf(stderr, "%s%.*s", i ? ", " : "", (int)configs[i].path_len, (const char *)configs[i].path);
    fprintf(stderr, "%s) and runs the one\n"
                    "  its path ends with, <kind folder>/<team>/<name>; '%s' names none of them.\n"
                    "  Run it by its path in the build folder (or a symlink to that), copy the build folder\n"
                    "  whole, or make self-contained executables with `chrononc build --static`.\n",
            n > 3 ? ", ..." : "", argv0 ? argv0 : prog);
    return 1;
}
