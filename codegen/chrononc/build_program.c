/* One program of chrononc build (build_internal.h): its C rendered from the
 * kit's template, cc started on it, and, once cc is done, the program put in
 * place: renamed over the config's path (--static), or linked as every
 * member config's path and then as <out>/.build/.multi.<part>. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic_write.h"
#include "build_internal.h"
#include "make_dirs.h"
#include "read_file.h"
#include "str_printf.h"
#include "template.h"

/* A C string literal of data: three-digit octal escapes only, 64 bytes a line. */
static char *octal_literal(const unsigned char *data, size_t len, size_t *out_len)
{
    size_t lines = len ? (len + 63) / 64 : 1;
    size_t size = len * 4 + lines * 8 + 1;
    char *out = malloc(size), *p = out;
    if (!out)
        return NULL;
    size_t i = 0;
    do {
        if (p != out)
            *p++ = '\n';
        memcpy(p, "    \"", 5);
        p += 5;
        for (size_t k = 0; k < 64 && i < len; k++, i++) {
            unsigned c = data[i];
            p[0] = '\\';
            p[1] = (char)('0' + (c >> 6));
            p[2] = (char)('0' + ((c >> 3) & 7));
            p[3] = (char)('0' + (c & 7));
            p += 4;
        }
        *p++ = '"';
    } while (i < len);
    *p = '\0';
    *out_len = (size_t)(p - out);
    return out;
}

static json_t *literal_json(const void *data, size_t len)
{
    size_t n;
    char *text = octal_literal(data, len, &n);
    json_t *s = text ? json_stringn_nocheck(text, n) : NULL;
    free(text);
    return s;
}

/* A copy of s reduced to [A-Za-z0-9._/-], for comments. */
static char *safe_text(const char *s)
{
    char *safe = strdup(s);
    for (char *p = safe; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-' || c == '/'))
            *p = '_';
    }
    return safe;
}

static bool add_config(json_t *list, size_t index, const member *m, const char *json, size_t len)
{
    char *safe = safe_text(m->rel);
    json_t *c = safe ? json_pack("{s:I, s:s, s:I, s:o, s:I, s:o, s:s}", "index", (json_int_t)index, "kind_enum",
                                 build_kinds[m->kind].kind_enum, "json_len", (json_int_t)len, "json_literal",
                                 literal_json(json, len), "path_len", (json_int_t)strlen(m->rel), "path_literal",
                                 literal_json(m->rel, strlen(m->rel)), "safe_path", safe)
                     : NULL;
    free(safe);
    return c && json_array_append_new(list, c) == 0;
}

static char *render_group(build *b, const group *g, char *err, size_t errsize)
{
    json_t *list = json_array();
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < g->n; i++) {
        const member *m = build_member(b, g, i);
        char why[256];
        size_t len;
        char *json = read_file(m->json, &len, why, sizeof why);
        if (!json) {
            snprintf(err, errsize, "cannot read: %s", why);
            json_decref(list);
            return NULL;
        }
        ok = add_config(list, i, m, json, len);
        free(json);
    }
    char *safe = safe_text(g->rel);
    json_t *ctx = NULL;
    if (ok && safe) /* "o" hands list over, also when json_pack fails */
        ctx = json_pack("{s:o, s:I, s:b, s:s}", "configs", list, "count", (json_int_t)g->n, "one", g->n == 1,
                        "safe_group", safe);
    else
        json_decref(list);
    free(safe);
    if (!ctx) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    tmpl_error terr;
    char *text = tmpl_render(b->stub, ctx, NULL, &terr);
    json_decref(ctx);
    if (!text)
        snprintf(err, errsize, "%s", terr.message);
    return text;
}

/* The temporary program: a dot file beside the target (--static) or the
 * group's canonical link. */
static char *temp_beside(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return str_printf("%.*s%s%s.tmp.XXXXXX", (int)(base - path), path, base[0] == '.' ? "" : ".", base);
}

/* atomic_write_how, its error naming the path ("cannot write PATH: why"). */
static bool write_named(const char *path, const void *data, size_t len, const atomic_how *how, char *err,
                        size_t errsize)
{
    char why[256];
    if (atomic_write_how(path, data, len, how, why, sizeof why, NULL))
        return true;
    snprintf(err, errsize, "cannot write %s: %s", path, why);
    return false;
}

/* Render the source, reserve the temporary program and start cc. */
bool build_start(build *b, group *g, char *err, size_t errsize)
{
    char *text = render_group(b, g, err, errsize);
    if (!text)
        return false;
    const char *target = build_member(b, g, 0)->target;
    const char *out_file = g->canon ? g->canon : target;
    bool ok = make_parent_dirs(g->src, 0755) && make_parent_dirs(target, 0755);
    if (!ok)
        snprintf(err, errsize, "cannot make folders for %s: %s", target, strerror(errno));
    atomic_how how = {.flags = ATOMIC_NO_SYNC};
    ok = ok && write_named(g->src, text, strlen(text), &how, err, errsize);
    free(text);
    if (!ok)
        return false;
    g->tmp = temp_beside(out_file);
    int fd = g->tmp ? mkstemp(g->tmp) : -1;
    if (fd < 0) {
        snprintf(err, errsize, "cannot create a temporary file beside %s: %s", out_file, strerror(errno));
        return false;
    }
    /* mkstemp's 0600 would become the program's mode: the linker adds the
     * execute bits to the mode the file has (0711). A file cc made would be
     * 0666 under the umask; so is this one, and the program 0755 under 022. */
    (void)fchmod(fd, 0666 & ~b->umask); /* on failure the program is only less readable */
    close(fd);
    int logfd = open(g->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0) {
        snprintf(err, errsize, "%s: %s", g->log, strerror(errno));
        unlink(g->tmp);
        return false;
    }
    strv argv = {0};
    for (size_t i = 0; ok && i < b->cc_argv.n; i++)
        ok = strv_push(&argv, b->cc_argv.v[i]);
    char *inc = str_printf("-I%s/include", b->kit);
    ok = ok && inc && strv_push(&argv, inc) && strv_push(&argv, "-o") && strv_push(&argv, g->tmp) &&
         strv_push(&argv, g->src);
    free(inc);
    if (b->static_link) {
        for (size_t i = 0; ok && i < BUILD_NSTATIC_LIBS; i++) {
            char *lib = str_printf("%s/%s", b->kit, build_static_libs[i]);
            ok = lib && strv_push(&argv, lib);
            free(lib);
        }
        for (size_t i = 0; ok && i < b->ldlibs.n; i++)
            ok = strv_push(&argv, b->ldlibs.v[i]);
    } else {
        char *lib = str_printf("%s/lib/" RUNTIME_SO, b->kit);
        ok = ok && lib && strv_push(&argv, lib) && strv_push(&argv, RUNTIME_RPATH);
        free(lib);
        for (size_t i = 0; ok && i < b->shared_ldlibs.n; i++)
            ok = strv_push(&argv, b->shared_ldlibs.v[i]);
    }
    if (ok && b->verbose) {
        for (size_t i = 0; i < argv.n; i++)
            fprintf(stderr, "%s%s", i ? " " : "", argv.v[i]);
        fputc('\n', stderr);
    }
    pid_t parent = getpid();
    pid_t pid = ok ? fork() : -1;
    if (pid == 0) {
        /* a killed build takes its compiler with it (Linux): no orphan cc
         * goes on writing a temporary program the next build removes */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(logfd, 1);
        dup2(logfd, 2);
        execvp(argv.v[0], argv.v);
        dprintf(2, "chrononc build: cannot run %s: %s\n", argv.v[0], strerror(errno));
        _exit(127);
    }
    int saved = errno;
    close(logfd);
    strv_free(&argv);
    if (pid < 0) {
        snprintf(err, errsize, ok ? "cannot start the compiler: %s" : "out of memory", strerror(saved));
        unlink(g->tmp);
        return false;
    }
    g->pid = pid;
    return true;
}

static void print_log(const char *path)
{
    char why[256];
    size_t len;
    char *text = read_file(path, &len, why, sizeof why);
    if (text) {
        fwrite(text, 1, len, stderr);
        free(text);
    }
}

/* Give every member of a shared group its hard link to the new program
 * (each replaced atomically), then make it the canonical link. */
static bool link_members(build *b, group *g, char *err, size_t errsize)
{
    for (size_t i = 0; i < g->n; i++) {
        member *m = build_member(b, g, i);
        char *dir_end = strrchr(m->target, '/');
        char *link_tmp = str_printf("%.*s/.chrononc-link.tmp.%ld", (int)(dir_end - m->target), m->target,
                                    (long)getpid());
        if (!link_tmp) {
            snprintf(err, errsize, "out of memory");
            return false;
        }
        bool ok = link(g->tmp, link_tmp) == 0;
        if (!ok && errno == ENOENT) /* a new team's folder */
            ok = make_parent_dirs(m->target, 0755) && link(g->tmp, link_tmp) == 0;
        if (!ok && errno == EEXIST) /* left by a killed run with our pid */
            ok = unlink(link_tmp) == 0 && link(g->tmp, link_tmp) == 0;
        if (!ok) {
            int e = errno;
            /* the file system cannot link these two: say what the layout needs */
            bool no_links = e == EXDEV || e == EPERM || e == EMLINK || e == ENOTSUP || e == EOPNOTSUPP;
            snprintf(err, errsize, "cannot link %s to %s: %s%s", link_tmp, g->tmp, strerror(e),
                     no_links ? " (each executable is a hard link to its program in <out>/.build: the output "
                                "folder must be one file system with hard links; --static builds "
                                "self-contained executables instead)"
                              : "");
        }
        else if (rename(link_tmp, m->target) != 0) {
            snprintf(err, errsize, "cannot rename %s: %s", link_tmp, strerror(errno));
            unlink(link_tmp);
            ok = false;
        }
        free(link_tmp);
        if (!ok)
            return false;
        if (!m->linked) { /* built another way before (--static): its source goes */
            char *stub = str_printf("%s/.build/%s.c", b->out, m->rel);
            if (stub && unlink(stub) == 0) /* and its folders, once empty */
                for (int up = 0; up < 2 && strrchr(stub, '/'); up++) {
                    *strrchr(stub, '/') = '\0';
                    rmdir(stub);
                }
            free(stub);
        }
    }
    if (rename(g->tmp, g->canon) != 0) {
        snprintf(err, errsize, "cannot rename %s: %s", g->tmp, strerror(errno));
        return false;
    }
    return true;
}

/* cc has exited: put the program in place or clean up. Adds to the counts. */
void build_finish(build *b, group *g, int wstatus, size_t *built, size_t *fresh, size_t *failed)
{
    g->pid = 0;
    size_t changed = 0;
    for (size_t i = 0; i < g->n; i++)
        changed += build_member(b, g, i)->changed;
    bool ok = false;
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
        char err[1024] = "";
        /* the source and an empty log go before the program is put in place:
         * a build killed after that leaves neither (before, the part is
         * still stale and the next build rebuilds it) */
        struct stat st;
        if (stat(g->log, &st) == 0 && st.st_size == 0)
            unlink(g->log);
        if (g->canon && !b->keep_sources)
            unlink(g->src);
        if (g->canon)
            ok = link_members(b, g, err, sizeof err);
        else if (!(ok = rename(g->tmp, build_member(b, g, 0)->target) == 0))
            snprintf(err, sizeof err, "cannot rename %s: %s", g->tmp, strerror(errno));
        if (!ok)
            fprintf(stderr, "chrononc build: %s: error: %s\n", g->rel, err);
    } else {
        fprintf(stderr, "chrononc build: %s: the compiler failed (%s %d); its output (%s):\n", g->rel,
                WIFEXITED(wstatus) ? "exit" : "signal", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus),
                g->log);
        print_log(g->log);
    }
    unlink(g->tmp);
    if (ok) {
        for (size_t i = 0; i < g->n; i++)
            if (build_member(b, g, i)->changed)
                printf("built %s\n", build_member(b, g, i)->rel);
        *built += changed;
        *fresh += g->n - changed;
    } else {
        *failed += changed;
        *fresh += g->n - changed;
    }
}

/* The shared runtime the stubs' rpath names: one copy in <out>/.lib, replaced
 * (atomically) when the kit's differs. */
bool build_copy_runtime(build *b, char *err, size_t errsize)
{
    char *from = str_printf("%s/lib/" RUNTIME_SO, b->kit);
    char *to = str_printf("%s/.lib/" RUNTIME_SO, b->out);
    char why[256];
    size_t len = 0, old_len = 0;
    char *data = from ? read_file(from, &len, why, sizeof why) : NULL;
    bool ok = data != NULL;
    if (!ok)
        snprintf(err, errsize, "%s: %s", from ? from : b->kit, from ? why : "out of memory");
    char *old = ok ? read_file(to, &old_len, why, sizeof why) : NULL;
    if (ok && !(old && old_len == len && memcmp(old, data, len) == 0)) {
        atomic_how how = {.flags = ATOMIC_GIVEN_MODE | ATOMIC_FORCE_MODE, .mode = 0755};
        ok = make_parent_dirs(to, 0755);
        if (!ok)
            snprintf(err, errsize, "cannot make folders for %s: %s", to, strerror(errno));
        ok = ok && write_named(to, data, len, &how, err, errsize);
    }
    free(old);
    free(data);
    free(from);
    free(to);
    return ok;
}
