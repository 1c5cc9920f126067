/* See loader.h. */
#include "loader.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "copy_out.h"
#include "imports.h"
#include "read_file.h"
#include "strmap.h"

typedef struct cached_file {
    const char *rel_path;
    source_file *file;
    module_ast *ast;         /* NULL if it could not be parsed at all, or dropped */
    arena *ast_arena;        /* the file's own (heap): the tree is freed once its module ran (see run_module) */
    bool dropped;            /* parsed cleanly, tree freed: parsed again on the next use */
    bool keeps_tree;         /* a module of it kept its arena: its functions run this tree */
    size_t ran_in;           /* the loader (loader.id) that last ran it: prefill skips it then */
    bool syntax_errors;
    src_loc first_error;     /* the first syntax error, once reported: a later pass's root error */
    diag_set *held;          /* parsed ahead: its diagnostics, until first use (heap) */
} cached_file;

struct source_cache {
    arena *arena;
    cached_file *items;
    size_t len, cap;
    strmap by_path; /* rel_path -> index in items */
    size_t loaders; /* loaders made with it so far: their ids */
};

/* A failed module's top-level statements after the one with its first
 * error: Python never runs them, so neither do the imports and writes; they
 * run at loader_finish, only for their diagnostics. */
typedef struct unfinished {
    module *m;
    const module_ast *ast;
    size_t next;
} unfinished;

/* A window of files parsed on a thread of its own while the loader runs the
 * files before it (loader_prefill_start). */
typedef struct prefill_item prefill_item;

/* Files being parsed by several threads: each takes the next item. */
typedef struct prefill_share {
    const char *root;
    prefill_item *items;
    size_t n;
    atomic_size_t next;
} prefill_share;

typedef struct prefill_window {
    pthread_t thread;
    bool running;
    prefill_item *items;
    size_t n;
    int threads;
    /* The window's thread parses from here; the loader's thread, done with
     * the window before, takes the files left rather than wait for them
     * (loader_prefill_finish). */
    prefill_share share;
} prefill_window;

struct loader {
    arena *arena;
    /* Each module of a file runs in an arena of its own, watched for
     * escapes (arena.h); once it has run, its globals are copied out into
     * `arena`, and its arena and syntax tree are freed (copy_out.h). One per
     * depth of the import stack (heap). */
    arena **module_arenas;
    size_t module_arenas_cap;
    bool check_copy_out;       /* CHRONONC_CHECK_COPY_OUT set: scan for pointers left behind */
    strmap kwarg_names;        /* module_copy_out's keyword names, in `arena` */
    loader_stats stats;
    size_t id;                 /* 1, 2, ... among the loaders of its cache */
    diag_set *diags;
    repo repo;
    eval_ctx ctx;
    source_cache *cache;
    source_cache *own_cache; /* when the caller gave none */
    module **stack;          /* modules being loaded, for cycle reports */
    size_t depth, stack_cap;
    strmap by_name;          /* module name -> index in repo.modules */
    unfinished *rest;        /* failed modules' statements after their first error */
    size_t rest_len, rest_cap;
    prefill_window window;   /* the files being parsed in the background */
};

/* Append m to a growable array of modules in the arena. */
static bool push_module(arena *a, module ***items, size_t *len, size_t *cap, module *m)
{
    if (*len == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        module **n = arena_alloc(a, ncap * sizeof *n);
        if (!n)
            return false;
        if (*len)
            memcpy(n, *items, *len * sizeof *n);
        *items = n;
        *cap = ncap;
    }
    (*items)[(*len)++] = m;
    return true;
}

static bool is_dir(const char *path);
static bool is_file(const char *path);
static module *find_loaded(loader *l, const char *name);

bool loader_module_exists(eval_ctx *ctx, const char *name)
{
    loader *l = ctx->loader;
    if (strncmp(name, "ai.", 3) == 0)
        return api_module(ctx, name) != NULL;
    if (find_loaded(l, name))
        return true;
    char *rel = arena_strndup(l->arena, name, strlen(name));
    if (!rel)
        return false;
    for (char *p = rel; *p; p++)
        if (*p == '.')
            *p = '/';
    char *py = arena_sprintf(l->arena, "%s/%s.py", l->repo.root, rel);
    char *dir = arena_sprintf(l->arena, "%s/%s", l->repo.root, rel);
    return (py && is_file(py)) || (dir && is_dir(dir));
}

source_cache *source_cache_new(arena *a)
{
    source_cache *c = arena_alloc(a, sizeof *c);
    if (c) {
        c->arena = a;
        strmap_init(&c->by_path, a);
    }
    return c;
}

void source_cache_free(source_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->len; i++) {
        source_file_free(c->items[i].file);
        if (c->items[i].ast_arena) {
            arena_free(c->items[i].ast_arena);
            free(c->items[i].ast_arena);
        }
        if (c->items[i].held) {
            diag_free(c->items[i].held);
            free(c->items[i].held);
        }
    }
    c->len = 0;
    strmap_init(&c->by_path, c->arena);
}

/* A syntax tree in an arena of its own (heap); NULL when out of memory. */
static module_ast *parse_own(const source_file *file, diag_set *diags, arena **out)
{
    arena *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    arena_init(a);
    module_ast *ast = parse_module(file, a, diags);
    *out = a;
    return ast;
}

/* A syntax tree this big is given back to the system once freed (drop_ast). */
#define BIG_TREE ((size_t)4 << 20)

/* Free the tree of a file that parsed cleanly; the next use parses it
 * again (without diagnostics: it had none). False if it is kept. */
static bool drop_ast(cached_file *e)
{
    if (!e->ast_arena || e->syntax_errors || e->held || e->keeps_tree)
        return false;
    bool big = e->ast_arena->total >= BIG_TREE;
    arena_free(e->ast_arena);
#ifdef __GLIBC__
    /* A big tree (a sources module of thousands of definitions: ~20 MB for
     * 1 MB of source) was often parsed on another thread, into that
     * thread's malloc arena, where the loader's thread cannot reuse it: given
     * back now, the pages do not stay in the peak while the modules' values
     * grow elsewhere (sources-heavy 10,000: 131-145 MiB from run to run). */
    if (big)
        malloc_trim(0);
#else
    (void)big;
#endif
    free(e->ast_arena);
    e->ast_arena = NULL;
    e->ast = NULL;
    e->dropped = true;
    return true;
}

static void reparse(cached_file *e)
{
    diag_set none;
    diag_init(&none);
    e->ast = parse_own(e->file, &none, &e->ast_arena);
    diag_free(&none);
    e->dropped = false;
}

/* Room for one more item; false when out of memory. */
static bool cache_reserve(source_cache *c)
{
    if (c->len < c->cap)
        return true;
    size_t cap = c->cap ? c->cap * 2 : 64;
    cached_file *n = arena_alloc(c->arena, cap * sizeof *n);
    if (!n)
        return false;
    if (c->len)
        memcpy(n, c->items, c->len * sizeof *n);
    c->items = n;
    c->cap = cap;
    return true;
}

/* ---- parsing ahead, on threads ---- */


struct prefill_item {
    const char *rel_path;
    const source_file *existing; /* a cached file whose tree was dropped: parsed again, not read */
    size_t reparse_at;  /* then: its index in the cache + 1 */
    source_file *file;  /* NULL: not read (left to the first use) */
    module_ast *ast;
    arena *ast_arena;
    diag_set *diags;
};

static void *prefill_run(void *arg)
{
    prefill_share *s = arg;
    for (size_t i; (i = atomic_fetch_add(&s->next, 1)) < s->n;) {
        prefill_item *it = &s->items[i];
        diag_set *d = malloc(sizeof *d);
        if (!d)
            continue;
        diag_init(d);
        it->diags = d;
        if (it->existing) {
            it->ast = parse_own(it->existing, d, &it->ast_arena);
            continue;
        }
        size_t n = strlen(s->root) + strlen(it->rel_path) + 2;
        char *full = malloc(n);
        char why[64];
        size_t len;
        char *text = full ? (snprintf(full, n, "%s/%s", s->root, it->rel_path), read_file(full, &len, why, sizeof why))
                          : NULL;
        free(full);
        source_file *file = text ? source_file_new(it->rel_path, text, len) : NULL;
        if (file) {
            it->ast = parse_own(file, d, &it->ast_arena);
            it->file = file;
        }
    }
    return NULL;
}

static void share_init(prefill_share *share, const char *root, prefill_item *items, size_t n)
{
    *share = (prefill_share){.root = root, .items = items, .n = n};
    atomic_init(&share->next, 0);
}

/* share's items parsed on up to `threads` threads (the caller's is one). */
static void prefill_parse_share(prefill_share *share, int threads)
{
    size_t nthreads = threads < 1 ? 1 : (size_t)threads;
    if (nthreads > share->n / 4 + 1)
        nthreads = share->n / 4 + 1; /* a few files a thread at least */
    pthread_t tids[16];
    if (nthreads > 16)
        nthreads = 16;
    size_t started = 0;
    for (size_t t = 1; t < nthreads; t++)
        if (pthread_create(&tids[t], NULL, prefill_run, share) == 0)
            started = t;
        else
            break;
    prefill_run(share);
    for (size_t t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
}

/* items[0..n) parsed on up to `threads` threads (the caller's is one). */
static void prefill_parse(const char *root, prefill_item *items, size_t n, int threads)
{
    prefill_share share;
    share_init(&share, root, items, n);
    prefill_parse_share(&share, threads);
}

static void free_item_tree(prefill_item *it)
{
    if (it->ast_arena) {
        arena_free(it->ast_arena);
        free(it->ast_arena);
    }
    it->ast_arena = NULL;
    it->ast = NULL;
}

/* What a parsed item holds that the cache did not take. */
static void free_item(prefill_item *it)
{
    free_item_tree(it);
    source_file_free(it->file);
    it->file = NULL;
    if (it->diags) {
        diag_free(it->diags);
        free(it->diags);
        it->diags = NULL;
    }
}

static bool worth_parsing(const loader *l, const cached_file *e);

/* What prefill_parse made, into the cache. False when out of memory (what
 * was not added is freed: parsed again on use). A window parsed in the
 * background may find a file the loader read, or ran, meanwhile: its own
 * parse is dropped. */
static bool prefill_merge(loader *l, prefill_item *items, size_t n)
{
    source_cache *c = l->cache;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        prefill_item *it = &items[i];
        if (it->reparse_at) {
            cached_file *e = &c->items[it->reparse_at - 1];
            if (worth_parsing(l, e) && it->ast) { /* it parsed cleanly before: no diagnostics now */
                e->ast = it->ast;
                e->ast_arena = it->ast_arena;
                e->dropped = false;
                it->ast_arena = NULL; /* the cache's now */
            }
        } else if (it->file && !strmap_get(&c->by_path, it->file->path)) {
            if (ok && cache_reserve(c) && strmap_put(&c->by_path, it->file->path, c->len)) {
                c->items[c->len++] = (cached_file){.rel_path = it->file->path, .file = it->file, .ast = it->ast,
                                                   .ast_arena = it->ast_arena, .held = it->diags};
                continue;
            }
            ok = false;
        }
        free_item(it);
    }
    return ok;
}

/* ---- the modules the files parsed ahead import ---- */

typedef struct import_paths {
    strmap seen;  /* heap */
    char **items; /* heap strings */
    size_t len, cap;
    bool oom;
} import_paths;

static void add_path(void *ud, const char *rel)
{
    import_paths *p = ud;
    if (p->oom || strmap_get(&p->seen, rel))
        return;
    if (p->len == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **n = realloc(p->items, cap * sizeof *n);
        if (!n) {
            p->oom = true;
            return;
        }
        p->items = n;
        p->cap = cap;
    }
    char *copy = strdup(rel);
    if (!copy || !strmap_put(&p->seen, copy, 0)) {
        p->oom = true;
        free(copy);
        return;
    }
    p->items[p->len++] = copy;
}

/* A file this loader has not run: its (re)parse may be of use. */
static bool worth_parsing(const loader *l, const cached_file *e) { return e->dropped && e->ran_in != l->id; }

/* Of rel_paths[0..n), the files to parse: not read yet, or run by another
 * loader and their trees freed. NULL when out of memory. */
static prefill_item *prefill_todo(const loader *l, char *const *rel_paths, size_t n, size_t *todo)
{
    source_cache *c = l->cache;
    prefill_item *items = calloc(n ? n : 1, sizeof *items);
    *todo = 0;
    for (size_t i = 0; items && i < n; i++) {
        size_t *at = strmap_get(&c->by_path, rel_paths[i]);
        if (!at)
            items[(*todo)++].rel_path = rel_paths[i];
        else if (worth_parsing(l, &c->items[*at]))
            items[(*todo)++] = (prefill_item){.rel_path = rel_paths[i], .existing = c->items[*at].file, .reparse_at = *at + 1};
    }
    return items;
}

/* A window's parsed files into the cache, then what they import, parsed
 * (on `threads` threads) and added too. */
static bool prefill_settle(loader *l, prefill_item *items, size_t todo, int threads)
{
    import_paths imports = {0};
    strmap_init(&imports.seen, NULL);
    for (size_t i = 0; i < todo && !imports.oom; i++)
        if (items[i].ast && !ast_import_paths(items[i].rel_path, &items[i].ast->body, add_path, &imports))
            imports.oom = true;
    bool ok = prefill_merge(l, items, todo);
    size_t nmore = 0;
    prefill_item *more = imports.len ? prefill_todo(l, imports.items, imports.len, &nmore) : NULL;
    if (nmore) {
        prefill_parse(l->repo.root, more, nmore, threads);
        ok = prefill_merge(l, more, nmore) && ok;
    }
    free(more);
    for (size_t i = 0; i < imports.len; i++)
        free(imports.items[i]);
    free(imports.items);
    strmap_free(&imports.seen);
    return ok && !imports.oom;
}

bool loader_prefill(loader *l, char *const *rel_paths, size_t n, int threads)
{
    size_t todo;
    prefill_item *items = prefill_todo(l, rel_paths, n, &todo);
    if (!items)
        return false;
    prefill_parse(l->repo.root, items, todo, threads);
    bool ok = prefill_settle(l, items, todo, threads);
    free(items);
    return ok;
}

static void *prefill_background(void *arg)
{
    prefill_window *w = arg;
    prefill_parse_share(&w->share, w->threads - 1); /* the caller's thread evaluates */
    return NULL;
}

bool loader_prefill_start(loader *l, char *const *rel_paths, size_t n, int threads)
{
    prefill_window *w = &l->window;
    if (w->running || threads < 2)
        return loader_prefill(l, rel_paths, n, threads);
    w->items = prefill_todo(l, rel_paths, n, &w->n);
    if (!w->items)
        return false;
    w->threads = threads;
    share_init(&w->share, l->repo.root, w->items, w->n);
    if (pthread_create(&w->thread, NULL, prefill_background, w) == 0) {
        w->running = true;
        return true;
    }
    prefill_parse_share(&w->share, threads); /* no thread: here and now */
    bool ok = prefill_settle(l, w->items, w->n, threads);
    free(w->items);
    w->items = NULL;
    return ok;
}

bool loader_prefill_finish(loader *l)
{
    prefill_window *w = &l->window;
    if (!w->running)
        return true;
    prefill_run(&w->share); /* the files nobody has taken yet, here */
    pthread_join(w->thread, NULL);
    w->running = false;
    bool ok = prefill_settle(l, w->items, w->n, w->threads);
    free(w->items);
    w->items = NULL;
    return ok;
}

/* The parsed file at rel_path, read and parsed on first use. NULL when it
 * cannot be read (reported at loc). */
static cached_file *cached_parse(loader *l, const char *rel_path, src_loc loc)
{
    source_cache *c = l->cache;
    size_t *known = strmap_get(&c->by_path, rel_path);
    if (known) {
        cached_file *e = &c->items[*known];
        if (e->held) { /* parsed ahead: its diagnostics are reported now, at first use */
            size_t errors = l->diags->error_reports;
            diag_append(l->diags, e->held);
            e->first_error = diag_error_report_loc(l->diags, errors);
            e->syntax_errors = e->held->error_reports > 0;
            diag_free(e->held);
            free(e->held);
            e->held = NULL;
        }
        if (e->dropped)
            reparse(e);
        return e;
    }
    char *full = arena_sprintf(l->arena, "%s/%s", l->repo.root, rel_path);
    char why[256];
    size_t len;
    char *text = full ? read_file(full, &len, why, sizeof why) : NULL;
    if (!text) {
        diag_error(l->diags, loc, "cannot read %s: %s", rel_path, full ? why : "out of memory");
        return NULL;
    }
    source_file *file = source_file_new(rel_path, text, len);
    if (!file)
        return NULL;
    if (!cache_reserve(c) || !strmap_put(&c->by_path, file->path, c->len)) {
        source_file_free(file);
        return NULL;
    }
    cached_file *e = &c->items[c->len++];
    *e = (cached_file){.rel_path = file->path, .file = file};
    size_t errors = l->diags->error_reports;
    e->ast = parse_own(file, l->diags, &e->ast_arena);
    e->syntax_errors = l->diags->error_reports > errors;
    e->first_error = diag_error_report_loc(l->diags, errors);
    return e;
}

static const char *loader_cycle(eval_ctx *ctx, const module *m);

loader *loader_new(const char *root, arena *a, diag_set *diags, source_cache *cache)
{
    loader *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->arena = a;
    l->diags = diags;
    l->cache = cache;
    strmap_init(&l->by_name, a);
    strmap_init(&l->kwarg_names, a);
    strmap_init(&l->repo.modules_by_file, a);
    if (!cache && !(l->cache = l->own_cache = source_cache_new(a))) {
        free(l);
        return NULL;
    }
    l->repo.root = arena_strndup(a, root, strlen(root));
    char *teams_path = arena_sprintf(a, "%s/teams.json", root);
    if (!l->repo.root || !teams_path) {
        free(l);
        return NULL;
    }
    struct stat st;
    if (stat(teams_path, &st) == 0) {
        json_error_t jerr;
        l->repo.teams = json_load_file(teams_path, 0, &jerr);
        l->repo.teams_unreadable = !l->repo.teams || !json_is_object(l->repo.teams);
        if (!l->repo.teams) {
            src_loc none = {0};
            diag_error(diags, none, "teams.json:%d:%d: %s", jerr.line, jerr.column, jerr.text);
        } else if (!json_is_object(l->repo.teams)) {
            src_loc none = {0};
            diag_error(diags, none, "teams.json: expected an object of teams");
            json_decref(l->repo.teams);
            l->repo.teams = NULL;
        }
    }
    l->check_copy_out = getenv("CHRONONC_CHECK_COPY_OUT") != NULL;
    l->id = ++l->cache->loaders;
    eval_ctx *ctx = &l->ctx;
    ctx->arena = a;
    ctx->keep = a;
    ctx->diags = diags;
    ctx->builtins = builtins_module(a);
    ctx->import = loader_import;
    ctx->submodule_exists = loader_module_exists;
    ctx->import_cycle = loader_cycle;
    ctx->loader = l;
    ctx->repo = &l->repo;
    if (!ctx->builtins) {
        loader_free(l);
        return NULL;
    }
    return l;
}

void loader_free(loader *l)
{
    if (!l)
        return;
    if (l->window.running) { /* a compile that stopped early: its parse is not wanted */
        pthread_join(l->window.thread, NULL);
        for (size_t i = 0; i < l->window.n; i++)
            free_item(&l->window.items[i]);
        free(l->window.items);
    }
    source_cache_free(l->own_cache);
    json_decref(l->repo.teams);
    for (size_t i = 0; i < l->module_arenas_cap; i++) {
        if (l->module_arenas[i])
            arena_free(l->module_arenas[i]);
        free(l->module_arenas[i]);
    }
    free(l->module_arenas);
    free(l);
}

eval_ctx *loader_ctx(loader *l) { return &l->ctx; }

loader_stats loader_get_stats(const loader *l) { return l->stats; }

void loader_finish(loader *l)
{
    /* a module first imported by a rest that fails adds its own rest */
    for (size_t i = 0; i < l->rest_len; i++) {
        unfinished u = l->rest[i];
        u.m->loading = true;
        if (!push_module(l->arena, &l->stack, &l->depth, &l->stack_cap, u.m)) {
            u.m->loading = false;
            eval_oom(&l->ctx, (src_loc){0});
            return;
        }
        eval_module(&l->ctx, u.m, u.ast, &u.next, false);
        l->depth--;
        u.m->loading = false;
    }
    l->rest_len = 0;
}

static module *find_loaded(loader *l, const char *name)
{
    size_t *i = strmap_get(&l->by_name, name);
    return i ? l->repo.modules[*i] : NULL;
}

/* The arena a module at this depth of the import stack runs in (empty,
 * watched); NULL when out of memory. */
static arena *module_arena(loader *l, size_t depth)
{
    if (depth >= l->module_arenas_cap) {
        size_t cap = depth + 8;
        arena **n = realloc(l->module_arenas, cap * sizeof *n);
        if (!n)
            return NULL;
        for (size_t i = l->module_arenas_cap; i < cap; i++)
            n[i] = NULL;
        l->module_arenas = n;
        l->module_arenas_cap = cap;
    }
    if (!l->module_arenas[depth]) {
        if (!(l->module_arenas[depth] = malloc(sizeof(arena))))
            return NULL;
        arena_init(l->module_arenas[depth]);
    }
    arena *a = l->module_arenas[depth];
    arena_free(a); /* empty already, unless a run before it ran out of memory */
    a->watch = true;
    return a;
}

/* An import reached m, a module still running (a cycle, or a package
 * importing from itself): the modules from m up the stack may now hold one
 * another's values, so none of their arenas is freed. */
static void pin_running(loader *l, const module *m)
{
    size_t from = l->depth;
    while (from > 0 && l->stack[from - 1] != m)
        from--;
    for (size_t i = from ? from - 1 : 0; i < l->depth && i < l->module_arenas_cap; i++)
        if (l->module_arenas[i])
            l->module_arenas[i]->escaped = l->module_arenas[i]->pinned = true;
}

/* m has run in own. If nothing older holds one of its values (no escape: a
 * store into an imported module's list, a shared source's selects), it did
 * not fail (a failed module's rest runs later) and memory did not run out,
 * its globals (and the code of its functions) are copied into the loader's
 * arena, and its arena and syntax tree are freed. Otherwise its arena
 * becomes part of the loader's, as every module's was before. */
static void keep_or_copy_out(loader *l, module *m, arena *own)
{
    own->watch = false;
    /* looked up when needed: the imports it ran may have moved the cache's items */
    size_t *at = strmap_get(&l->cache->by_path, m->file->path);
    if (at)
        l->cache->items[*at].ran_in = l->id;
    l->stats.ran++;
    arena *const *outer = l->module_arenas;
    size_t nouter = l->depth; /* the modules below it on the stack, still running */
    if (m->failed || own->escaped || !module_copy_out(m, own, l->arena, outer, nouter, &l->kwarg_names)) {
        if (nouter)
            arenas_pin_referenced(own, outer, nouter);
        if (m->failed)
            l->stats.kept_failed++;
        else if (own->pinned)
            l->stats.kept_cycle++;
        else
            l->stats.kept_escaped++; /* or out of memory while copying */
        arena_adopt(l->arena, own);
        if (at) /* also when the file runs again as another module (another name) */
            l->cache->items[*at].keeps_tree = true;
        return;
    }
    const module *holder = NULL;
    if (l->check_copy_out && ((holder = modules_reaching(l->repo.modules, l->repo.module_count, own)) ||
                              (holder = modules_reaching(l->repo.builtin_modules, l->repo.builtin_count, own)))) {
        fprintf(stderr, "chrononc: internal error: a value of %s is still held (through %s) after it was copied out\n",
                m->name, holder->name);
        abort();
    }
    arena_free(own);
    l->stats.copied_out++;
    if (at && drop_ast(&l->cache->items[*at]))
        l->stats.trees_freed++;
}

/* Register, parse and run a module from a file (or a package with no file). */
static module *run_module(loader *l, const char *name, const char *rel_path, src_loc loc)
{
    eval_ctx *ctx = &l->ctx;
    cached_file *cf = NULL;
    if (rel_path && !(cf = cached_parse(l, rel_path, loc)))
        return NULL;
    source_file *file = cf ? cf->file : NULL;
    module *m = module_new(l->arena, name, file);
    bool known;
    if (!m || !push_module(l->arena, &l->repo.modules, &l->repo.module_count, &l->repo.module_cap, m) ||
        !strmap_get_or_put(&l->by_name, m->name, l->repo.module_count - 1, &known)) {
        eval_oom(ctx, loc);
        return NULL;
    }
    m->is_definition = true;
    if (file) {
        size_t *first = strmap_get_or_put(&l->repo.modules_by_file, file->path, l->repo.module_count - 1, &known);
        if (!first) {
            eval_oom(ctx, loc);
            return NULL;
        }
        if (known) {
            module *last = l->repo.modules[*first];
            while (last->next_same_file)
                last = last->next_same_file;
            last->next_same_file = m;
        }
    }
    /* a package hangs off its parent as an attribute, as Python's import does */
    const char *dot = strrchr(name, '.');
    if (dot) {
        char *parent_name = arena_strndup(l->arena, name, (size_t)(dot - name));
        module *parent = parent_name ? find_loaded(l, parent_name) : NULL;
        value *mv = v_module(l->arena, m, loc);
        if (parent && mv)
            dict_set_str(l->arena, parent->attrs, dot + 1, mv, loc);
    }
    if (!file)
        return m;
    m->reports_at_start = l->diags->error_reports;
    if (!cf->ast) {
        eval_oom(ctx, loc);
        m->failed = true;
        return m;
    }
    m->loading = true;
    if (!push_module(l->arena, &l->stack, &l->depth, &l->stack_cap, m)) {
        eval_oom(ctx, loc);
        m->loading = false;
        m->failed = true;
        return m;
    }
    /* A file with syntax errors is not run: its names would only cascade.
     * A module whose run reports an error has failed, and stops there, as a
     * Python import ends at an exception: what follows could change objects
     * of other modules (GroupBy() adds columns to a shared source's
     * selects) that Python leaves alone. The rest runs at loader_finish,
     * after the configs were converted, so that every error of the file is
     * still reported. */
    size_t next = 0;
    /* it runs in an arena of its own, its globals too (see keep_or_copy_out) */
    arena *own = cf->syntax_errors ? NULL : module_arena(l, l->depth - 1);
    if (own && !(m->attrs = dict_new(own)))
        own = NULL;
    if (!cf->syntax_errors && !own) {
        eval_oom(ctx, loc);
        l->depth--;
        m->loading = false;
        m->failed = true;
        return m;
    }
    arena *running = ctx->arena;
    ctx->arena = own ? own : l->arena;
    bool ran = !cf->syntax_errors && eval_module(ctx, m, cf->ast, &next, true);
    ctx->arena = running;
    if (ran && next < cf->ast->body.len) {
        if (l->rest_len == l->rest_cap) {
            size_t cap = l->rest_cap ? l->rest_cap * 2 : 16;
            unfinished *n = arena_alloc(l->arena, cap * sizeof *n);
            if (n && l->rest_len)
                memcpy(n, l->rest, l->rest_len * sizeof *n);
            if (n) {
                l->rest = n;
                l->rest_cap = cap;
            }
        }
        if (l->rest_len < l->rest_cap)
            l->rest[l->rest_len++] = (unfinished){.m = m, .ast = cf->ast, .next = next};
        else
            eval_oom(ctx, loc);
    }
    l->depth--;
    m->loading = false;
    if (cf->syntax_errors) {
        m->failed = true;
        m->fail_at = cf->first_error;
    } else if (l->diags->error_reports > m->reports_at_start) {
        m->failed = true;
        /* the first error of its run, unless failed_import already put a
         * failed import's root error there */
        if (!m->fail_at.file)
            m->fail_at = diag_error_report_loc(l->diags, m->reports_at_start);
    }
    if (own)
        keep_or_copy_out(l, m, own);
    return m;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A file the source cache holds was read whole, so it is a regular file
 * (the walk lists regular files, and reading a folder fails): no stat for
 * it. Files parsed ahead are all there before the pass imports them. */
static bool known_file(loader *l, const char *rel, const char *full)
{
    return strmap_get(&l->cache->by_path, rel) || is_file(full);
}

static const char *const stdlib_modules[] = {
    "os", "sys", "json", "logging", "datetime", "time", "re", "subprocess", "pathlib", "typing",
    "collections", "itertools", "functools", "copy", "math", "random", "inspect", "importlib",
    "requests", "yaml", "pandas", "numpy", "pyspark", "dataclasses", "enum", "abc", "textwrap",
};

/* "did you mean" for a module: the closest sibling in the module's folder,
 * or the closest of Chronon's API modules. */
static const char *suggest_module(loader *l, const char *name)
{
    static const char *const api[] = {
        "ai.chronon.api.ttypes", "ai.chronon.query", "ai.chronon.group_by", "ai.chronon.join",
        "ai.chronon.staging_query", "ai.chronon.utils", "ai.chronon.model", "ai.chronon.external_api",
        "ai.chronon.repo",
    };
    if (strncmp(name, "ai.", 3) == 0)
        return closest_name(name, api, sizeof api / sizeof api[0]);
    const char *dot = strrchr(name, '.');
    const char *leaf = dot ? dot + 1 : name;
    char *dir_rel = dot ? arena_strndup(l->arena, name, (size_t)(dot - name)) : arena_strndup(l->arena, "", 0);
    if (!dir_rel)
        return NULL;
    for (char *p = dir_rel; *p; p++)
        if (*p == '.')
            *p = '/';
    char *dir = arena_sprintf(l->arena, "%s/%s", l->repo.root, dir_rel);
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return NULL;
    const char *cands[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 256) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || de->d_name[0] == '_')
            continue;
        if (len > 3 && strcmp(de->d_name + len - 3, ".py") == 0)
            cands[n++] = arena_strndup(l->arena, de->d_name, len - 3);
        else if (!strchr(de->d_name, '.'))
            cands[n++] = arena_strndup(l->arena, de->d_name, len);
        if (n && !cands[n - 1])
            n--;
    }
    closedir(d);
    const char *best = closest_name(leaf, cands, n);
    if (!best)
        return NULL;
    return dot ? arena_sprintf(l->arena, "%.*s.%s", (int)(dot - name), name, best) : best;
}

static module *import_failed(loader *l, const char *name, src_loc loc)
{
    char top[128];
    size_t n = strcspn(name, ".");
    snprintf(top, sizeof top, "%.*s", (int)(n < sizeof top ? n : sizeof top - 1), name);
    for (size_t i = 0; i < sizeof stdlib_modules / sizeof stdlib_modules[0]; i++)
        if (strcmp(top, stdlib_modules[i]) == 0) {
            diag_error(l->diags, loc,
                       "import of '%s' is not supported in definition files: they may import Chronon's API "
                       "(ai.chronon.*) and other definition modules of the repo", name);
            return NULL;
        }
    if (strcmp(top, "ai") == 0) {
        diag_error(l->diags, loc, "no module named '%s' in Chronon's API", name);
    } else {
        char *path = arena_strndup(l->arena, name, strlen(name));
        for (char *p = path; p && *p; p++)
            if (*p == '.')
                *p = '/';
        diag_error(l->diags, loc, "no module named '%s': no %s.py or folder under the repo root", name,
                   path ? path : name);
    }
    const char *hint = suggest_module(l, name);
    if (hint)
        diag_note(l->diags, loc, "did you mean '%s'?", hint);
    return NULL;
}

/* The modules loading from m's own import to now, back to m: "a -> b -> a";
 * NULL if m is not loading or out of memory. */
static const char *cycle_chain(loader *l, const module *m)
{
    size_t from = l->depth;
    for (size_t i = 0; i < l->depth; i++)
        if (l->stack[i] == m)
            from = i;
    if (from == l->depth)
        return NULL;
    tj_buf chain = {0};
    for (size_t i = from; i < l->depth; i++) {
        tj_buf_puts(&chain, l->stack[i]->name);
        tj_buf_puts(&chain, " -> ");
    }
    tj_buf_puts(&chain, m->name);
    const char *out = chain.data && !chain.failed ? arena_strndup(l->arena, chain.data, chain.len) : NULL;
    tj_buf_free(&chain);
    return out;
}

static const char *loader_cycle(eval_ctx *ctx, const module *m)
{
    return cycle_chain(ctx->loader, m);
}


/* The module `import name` gives, loaded on first use: NULL when there is
 * none (reported); a failed module (m->failed) when it, or a package above
 * it, failed to load: the failed one, whose name may be a parent's. */
static module *load(loader *l, const char *name, src_loc loc)
{
    eval_ctx *ctx = &l->ctx;
    module *api = api_module(ctx, name);
    if (api)
        return api;
    if (strncmp(name, "ai.", 3) == 0 || strcmp(name, "ai") == 0)
        return import_failed(l, name, loc);
    /* Loaded, failed (remembered, not run again) or still running: as in
     * Python, an import of a module that is running (a package's
     * __init__.py importing its submodule, or a cycle) gives the partly run
     * module; a name it has not bound yet is an error where it is used. */
    module *m = find_loaded(l, name);
    if (m) {
        if (m->loading)
            pin_running(l, m);
        return m;
    }
    /* parents first: `import a.b.c` imports a and a.b; a failed package
     * fails every import below it, as in Python */
    const char *dot = strrchr(name, '.');
    if (dot) {
        char *parent_name = strndup(name, (size_t)(dot - name));
        module *parent = parent_name ? load(l, parent_name, loc) : NULL;
        free(parent_name);
        if (!parent || parent->failed)
            return parent;
    }
    /* the candidate paths, on the heap for this call only (run_module copies
     * what it keeps; a pass loads thousands of modules, so they are put
     * together by hand): ROOT/REL.py, ROOT/REL and ROOT/REL/__init__.py,
     * where REL is the name with '/' for '.'; py and init_rel point into
     * the first and the last */
    size_t root_len = strlen(l->repo.root), name_len = strlen(name);
    size_t dir_len = root_len + 1 + name_len;
    char *full_dir = malloc(dir_len + 1);
    char *full_py = malloc(dir_len + sizeof ".py");
    char *full_init = malloc(dir_len + sizeof "/__init__.py");
    char *py = NULL, *init_rel = NULL;
    if (full_dir && full_py && full_init) {
        memcpy(full_dir, l->repo.root, root_len);
        full_dir[root_len] = '/';
        for (size_t i = 0; i < name_len; i++)
            full_dir[root_len + 1 + i] = name[i] == '.' ? '/' : name[i];
        full_dir[dir_len] = '\0';
        memcpy(full_py, full_dir, dir_len);
        memcpy(full_py + dir_len, ".py", sizeof ".py");
        memcpy(full_init, full_dir, dir_len);
        memcpy(full_init + dir_len, "/__init__.py", sizeof "/__init__.py");
        py = full_py + root_len + 1;
        init_rel = full_init + root_len + 1;
    } else {
        free(full_dir);
        free(full_py);
        free(full_init);
        full_dir = full_py = full_init = NULL;
    }
    if (!full_py || !full_dir || !full_init)
        eval_oom(ctx, loc); /* m stays NULL */
    else if (known_file(l, py, full_py))
        m = run_module(l, name, py, loc);
    else if (is_dir(full_dir))
        m = run_module(l, name, known_file(l, init_rel, full_init) ? init_rel : NULL, loc);
    else
        m = import_failed(l, name, loc);
    free(full_py);
    free(full_dir);
    free(full_init);
    return m;
}

/* The note under an error caused by the failed module m: where m's root
 * error is. */
static void note_failure_root(loader *l, const module *m)
{
    if (m->fail_at.file)
        diag_note(l->diags, m->fail_at, "'%s' failed to load because of this error", m->name);
}

/* `import name` (at loc) reached the failed module m: an error at the import
 * (one per importer; the root error itself is reported once, where it is).
 * The module importing it fails too, with m's root error as its own when
 * this is its first. */
static void failed_import(loader *l, const char *name, const module *m, src_loc loc)
{
    module *importer = l->depth ? l->stack[l->depth - 1] : NULL;
    if (importer && !importer->fail_at.file && l->diags->error_reports == importer->reports_at_start)
        importer->fail_at = m->fail_at;
    if (strcmp(name, m->name) == 0)
        diag_error(l->diags, loc, "cannot import '%s': the module failed to load", name);
    else
        diag_error(l->diags, loc, "cannot import '%s': its package '%s' failed to load", name, m->name);
    note_failure_root(l, m);
}

module *loader_import(eval_ctx *ctx, const char *name, src_loc loc)
{
    loader *l = ctx->loader;
    module *m = load(l, name, loc);
    if (m && m->failed) {
        failed_import(l, name, m, loc);
        return NULL;
    }
    return m;
}

module *loader_load_path(loader *l, const char *rel_path)
{
    /* module name from the path: joins/team/x.py -> joins.team.x */
    size_t n = strlen(rel_path);
    if (n < 3 || strcmp(rel_path + n - 3, ".py") != 0) {
        src_loc none = {0};
        diag_error(l->diags, none, "%s: not a Python file", rel_path);
        return NULL;
    }
    char *name = arena_strndup(l->arena, rel_path, n - 3);
    if (!name)
        return NULL;
    for (char *p = name; *p; p++)
        if (*p == '/')
            *p = '.';
    src_loc none = {0};
    module *m = load(l, name, none);
    if (m && m->failed && strcmp(m->name, name) != 0 && !(m->file && strcmp(m->file->path, rel_path) == 0) &&
        !(m->fail_at.file && strcmp(m->fail_at.file->path, rel_path) == 0)) {
        /* The file's package failed, so the file never ran: the error is on
         * the file as a whole. (The package's own __init__.py, which is
         * compiled as a file too, already has its errors.) */
        cached_file *cf = cached_parse(l, rel_path, none);
        if (cf) {
            src_loc at = {.file = cf->file};
            diag_error(l->diags, at, "cannot compile this file: its package '%s' failed to load", m->name);
            note_failure_root(l, m);
        }
    }
    return m;
}
