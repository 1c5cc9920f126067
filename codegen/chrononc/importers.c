/* The definition files a set of changed files affects; see importers.h. */
/* realpath */
#define _DEFAULT_SOURCE
#include "importers.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ast.h"
#include "diag.h"
#include "imports.h"
#include "read_file.h"
#include "strmap.h"

/* One .py file of the repo and the files that import it. */
typedef struct py_file {
    const char *rel;      /* relative to the root */
    size_t *importers;    /* indexes of the files that import this one (heap) */
    size_t n_importers, cap_importers;
    bool reached;
} py_file;

typedef struct graph {
    const char *root;
    arena *a;
    py_file *files;       /* heap */
    size_t len, cap;
    strmap index;         /* rel -> index into files */
    bool oom;
} graph;

static void add_file(graph *g, const char *rel)
{
    if (g->len == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        py_file *n = realloc(g->files, cap * sizeof *n);
        if (!n) {
            g->oom = true;
            return;
        }
        g->files = n;
        g->cap = cap;
    }
    char *copy = arena_strndup(g->a, rel, strlen(rel));
    if (!copy || !strmap_put(&g->index, copy, g->len)) {
        g->oom = true;
        return;
    }
    g->files[g->len++] = (py_file){.rel = copy};
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every .py file below rel ("" for the root), hidden folders and files skipped. */
static void walk(graph *g, const char *rel)
{
    char *full = rel[0] ? arena_sprintf(g->a, "%s/%s", g->root, rel) : arena_sprintf(g->a, "%s", g->root);
    DIR *d = full ? opendir(full) : NULL;
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "__pycache__") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **m = realloc(names, cap * sizeof *m);
            if (!m) {
                g->oom = true;
                break;
            }
            names = m;
        }
        names[n] = arena_strndup(g->a, de->d_name, strlen(de->d_name));
        if (!names[n]) {
            g->oom = true;
            break;
        }
        n++;
    }
    closedir(d);
    if (n) /* an empty folder has no array: qsort(NULL) is undefined even for 0 */
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n && !g->oom; i++) {
        char *child = rel[0] ? arena_sprintf(g->a, "%s/%s", rel, names[i]) : names[i];
        char *child_full = child ? arena_sprintf(g->a, "%s/%s", g->root, child) : NULL;
        struct stat st;
        if (!child_full || stat(child_full, &st) != 0)
            continue;
        size_t len = strlen(child);
        if (S_ISDIR(st.st_mode))
            walk(g, child);
        else if (len > 3 && strcmp(child + len - 3, ".py") == 0)
            add_file(g, child);
    }
    free(names);
}

typedef struct edge_ctx {
    graph *g;
    size_t file;
} edge_ctx;

/* file imports what is at rel, if the repo has such a file */
static void add_edge(void *ud, const char *rel)
{
    edge_ctx *e = ud;
    graph *g = e->g;
    size_t *at = strmap_get(&g->index, rel);
    if (!at || *at == e->file)
        return;
    py_file *t = &g->files[*at];
    if (t->n_importers == t->cap_importers) {
        size_t cap = t->cap_importers ? t->cap_importers * 2 : 4;
        size_t *n = realloc(t->importers, cap * sizeof *n);
        if (!n) {
            g->oom = true;
            return;
        }
        t->importers = n;
        t->cap_importers = cap;
    }
    t->importers[t->n_importers++] = e->file;
}

/* The imports of one file (syntax errors are check's to report: here a
 * file is read as far as it parses). */
static void scan_file(graph *g, size_t file)
{
    char *full = arena_sprintf(g->a, "%s/%s", g->root, g->files[file].rel);
    char why[128];
    size_t len;
    char *text = full ? read_file(full, &len, why, sizeof why) : NULL;
    if (!text)
        return;
    source_file *f = source_file_new(g->files[file].rel, text, len);
    if (!f) {
        g->oom = true;
        return;
    }
    arena parse_arena;
    arena_init(&parse_arena);
    diag_set diags;
    diag_init(&diags);
    module_ast *m = parse_module(f, &parse_arena, &diags);
    edge_ctx e = {.g = g, .file = file};
    if (m && !ast_import_paths(g->files[file].rel, &m->body, add_edge, &e))
        g->oom = true;
    diag_free(&diags);
    arena_free(&parse_arena);
    source_file_free(f);
}

static bool is_definition(const char *rel)
{
    static const char *const kinds[] = {"group_bys/", "joins/", "staging_queries/"};
    for (size_t k = 0; k < 3; k++)
        if (strncmp(rel, kinds[k], strlen(kinds[k])) == 0)
            return true;
    return false;
}

/* path (as given) relative to the real root; NULL when outside it. */
static const char *relative_to(arena *a, const char *real_root, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return NULL;
    size_t n = strlen(real_root);
    if (strncmp(real, real_root, n) != 0 || (real[n] != '/' && !(n == 1 && real_root[0] == '/')))
        return NULL;
    const char *rel = real + n + (real[n] == '/');
    return arena_strndup(a, rel, strlen(rel));
}

bool affected_definitions(const char *root, char *const *changed, size_t n, arena *a, affected *out)
{
    *out = (affected){0};
    char real_root[PATH_MAX];
    if (!realpath(root, real_root)) {
        out->not_found = root;
        return false;
    }
    graph g = {.root = root, .a = a};
    strmap_init(&g.index, a);
    const char **seeds = calloc(n ? n : 1, sizeof *seeds);
    if (!seeds)
        return false;
    size_t n_seeds = 0;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(changed[i], &st) != 0) {
            out->not_found = changed[i];
            ok = false;
            break;
        }
        const char *rel = relative_to(a, real_root, changed[i]);
        if (!rel)
            continue;
        size_t len = strlen(rel);
        if (strcmp(rel, "teams.json") == 0)
            out->whole_repo = true;
        else if (len > 3 && strcmp(rel + len - 3, ".py") == 0)
            seeds[n_seeds++] = rel;
    }
    if (ok && !out->whole_repo && n_seeds) {
        walk(&g, "");
        for (size_t i = 0; i < g.len && !g.oom; i++)
            scan_file(&g, i);
        /* breadth first from the changed files up the importers */
        size_t *queue = malloc((g.len ? g.len : 1) * sizeof *queue);
        size_t head = 0, tail = 0;
        for (size_t i = 0; queue && i < n_seeds; i++) {
            size_t *at = strmap_get(&g.index, seeds[i]);
            if (at && !g.files[*at].reached) {
                g.files[*at].reached = true;
                queue[tail++] = *at;
            }
        }
        while (queue && head < tail) {
            py_file *f = &g.files[queue[head++]];
            for (size_t k = 0; k < f->n_importers; k++)
                if (!g.files[f->importers[k]].reached) {
                    g.files[f->importers[k]].reached = true;
                    queue[tail++] = f->importers[k];
                }
        }
        size_t count = 0;
        for (size_t i = 0; queue && i < tail; i++)
            count += is_definition(g.files[queue[i]].rel);
        out->files = arena_alloc(a, (count ? count : 1) * sizeof *out->files);
        if (!queue || !out->files)
            g.oom = true;
        for (size_t i = 0; !g.oom && i < tail; i++)
            if (is_definition(g.files[queue[i]].rel))
                out->files[out->len++] = (char *)g.files[queue[i]].rel;
        if (!g.oom)
            qsort(out->files, out->len, sizeof *out->files, cmp_name);
        free(queue);
        ok = !g.oom;
    }
    for (size_t i = 0; i < g.len; i++)
        free(g.files[i].importers);
    free(g.files);
    free(seeds);
    return ok;
}
