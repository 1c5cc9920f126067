/* Loading definition modules: `import group_bys.team.purchases` finds
 * <root>/group_bys/team/purchases.py (or a package folder), parses and runs it
 * once, and caches it; Chronon's API modules come from api_module. Import
 * cycles and imports of anything else are diagnosed.
 *
 * Memory: each module of a file runs in an arena of its own, watched for
 * stores into anything older (arena.h). When it has run, unless such a store
 * happened, it failed, or it is on an import cycle, its globals (and the code
 * of the functions they reach) are copied into the loader's arena and its
 * arena and syntax tree are freed: a pass holds what the modules define, not
 * everything their runs made (copy_out.h). With CHRONONC_CHECK_COPY_OUT set,
 * every copy is checked: nothing reachable from any module's globals may
 * still point into the freed arena (the tests set it). */
#ifndef DSL_LOADER_H
#define DSL_LOADER_H

#include "repo.h"

/* Parsed files, shared by several loaders of one run: compile evaluates each
 * kind of config afresh (as compile.py's separate processes do), but reads
 * and parses each file once, and reports its syntax errors once. Lives in
 * the run's arena; the files it holds are freed by source_cache_free. */
typedef struct source_cache source_cache;
source_cache *source_cache_new(arena *a);
void source_cache_free(source_cache *c);

typedef struct loader loader;

/* Read and parse the files at rel_paths (relative to the loader's root)
 * ahead of use, on up to `threads` threads, and then the files they import
 * that l has not run yet (their syntax trees were freed, or they are not
 * read yet). Their diagnostics are held back and reported when a loader
 * first uses the file, exactly as if it had parsed it then; a file that
 * cannot be read is left to that first use to report. False only when memory
 * runs out (nothing is lost: what was not parsed is parsed on use). */
bool loader_prefill(loader *l, char *const *rel_paths, size_t n, int threads);

/* The same, with the files themselves parsed on a thread of their own (and
 * threads - 2 more) while the caller goes on running modules; what they
 * import is parsed at loader_prefill_finish, which adds the files to the
 * cache (a file the loader read or ran meanwhile keeps its own parse). One
 * window at a time; with fewer than two threads, or none to be had, the
 * window is parsed at once, as loader_prefill does. loader_free waits for a
 * window still being parsed. False only when memory runs out. */
bool loader_prefill_start(loader *l, char *const *rel_paths, size_t n, int threads);
bool loader_prefill_finish(loader *l);

/* A loader for the repo at root (teams.json read from there). Diagnostics go
 * to diags; everything lives in a. cache may be NULL (the loader keeps its
 * own). NULL when out of memory; a bad teams.json is reported to diags. */
loader *loader_new(const char *root, arena *a, diag_set *diags, source_cache *cache);
void loader_free(loader *l);

/* A module fails at its first error, as a Python import does at an
 * exception, and stops running there: nothing that follows may change what
 * is written. Run the rest of every failed module, for its diagnostics only:
 * call it when the loaded objects are no longer needed (after the configs
 * were converted), before loader_free. */
void loader_finish(loader *l);

/* What became of the arenas the loader's modules ran in (see loader.c):
 * copied out and freed, or kept (a value escaped into an older module, the
 * module failed, or it was on an import cycle). */
typedef struct loader_stats {
    size_t ran, copied_out, trees_freed, kept_escaped, kept_failed, kept_cycle;
} loader_stats;
loader_stats loader_get_stats(const loader *l);

/* The evaluation context the loader runs modules in. */
eval_ctx *loader_ctx(loader *l);

/* Load the module of a file under the root (path relative to the root, e.g.
 * "joins/team/training.py"). NULL only when the file cannot be read (reported). */
module *loader_load_path(loader *l, const char *rel_path);

/* The import hooks installed in the context. */
module *loader_import(eval_ctx *ctx, const char *name, src_loc loc);
bool loader_module_exists(eval_ctx *ctx, const char *name);

#endif
