/* cexe_main_multi: which config of a multi-config executable to run.
 *
 * `chrononc build` links the configs of one <kind folder>/<team> folder into
 * one binary and gives every config a hard link to it, so the config's own
 * path, <out>/<kind folder>/<team>/<name>, is what selects it. The kernel's
 * /proc/self/exe names the hard link that was executed (symlinks resolved),
 * which is what a user or scheduler pointed at; argv[0] is only a fallback,
 * because a symlink or `exec -a` can make it anything. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chronon_exe.h"

enum { SELF_MAX = 4096 };

/* The config whose name (path after its last '/') is name[0..len), or NULL. */
static const cexe_config *find_by_name(const cexe_config *configs, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char *path = configs[i].path;
        size_t start = configs[i].path_len;
        while (start > 0 && path[start - 1] != '/')
            start--;
        if (configs[i].path_len - start == len && memcmp(path + start, name, len) == 0)
            return &configs[i];
    }
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

static const cexe_config *select_config(const cexe_config *configs, size_t n, const char *argv0)
{
    if (n == 1)
        return &configs[0];
    char self[SELF_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0) {
        self[len] = '\0';
        const char *name = base_name(self);
        const cexe_config *c = find_by_name(configs, n, name, strlen(name));
        if (c)
            return c;
        /* the hard link was replaced (a rebuild) after the kernel opened it */
        static const char deleted[] = " (deleted)";
        size_t nlen = strlen(name), dlen = sizeof deleted - 1;
        if (nlen > dlen && strcmp(name + nlen - dlen, deleted) == 0 &&
            (c = find_by_name(configs, n, name, nlen - dlen)))
            return c;
    }
    if (argv0) {
        const char *name = base_name(argv0);
        return find_by_name(configs, n, name, strlen(name));
    }
    return NULL;
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
    /* the folder of the configs: their path without the name */
    size_t dir_len = configs[0].path_len;
    while (dir_len > 0 && configs[0].path[dir_len - 1] != '/')
        dir_len--;
    fprintf(stderr,
            "%s: this executable holds the %zu configs of %.*s and runs the one its file name names,\n"
            "  but '%s' names none of them (e.g. ",
            prog, n, (int)(dir_len ? dir_len - 1 : 0), (const char *)configs[0].path, prog);
    for (size_t i = 0; i < n && i < 3; i++)
        fprintf(stderr, "%s%.*s", i ? ", " : "", (int)(configs[i].path_len - dir_len),
                (const char *)configs[i].path + dir_len);
    fprintf(stderr, "%s).\n"
                    "  Run it by its path in the build folder (or a symlink to that), keep its hard link's name\n"
                    "  when copying it with the build folder, or make self-contained executables with\n"
                    "  `chrononc build --static`.\n",
            n > 3 ? ", ..." : "");
    return 1;
}
