/* chrononc compile's state, shared by its stages: the driver
 * (cmd_compile.c: discovery, extraction, the writes, dependents), the team
 * defaults compile.py fills in after extraction (team_defaults.c) and
 * compile.py's validator rules (validate.c). Private to chrononc. */
#ifndef CHRONONC_COMPILE_RUN_H
#define CHRONONC_COMPILE_RUN_H

#include "loader.h"
#include "compile_state.h"
#include "materialized.h"
#include "strmap.h"
#include "thrift_values.h"
#include "write_queue.h"

typedef struct options {
    const char *root;
    const char *input_path;   /* NULL: the whole repo */
    const char *output_root;
    bool force;
    bool preserve_env;            /* compile.py's "no" to "update existing env variables?" */
    bool preserve_sample_percent; /* compile.py's "no" to "disable logging for these Joins?" */
    bool check_only;
    bool compare_only;            /* compile --check: compare with output_root, write nothing */
    diag_format diagnostics_format; /* --diagnostics-format: text on stderr; json, sarif on stdout */
    diag_color color;             /* --color */
    char **only_files;            /* check FILE...: the definition files to check (sorted); NULL: all */
    size_t n_only_files;
    bool quiet;
    int jobs;                     /* write threads; 0: one per processor */
    bool stats;                   /* CHRONONC_STATS set: each pass's module arenas on stderr */
} options;

typedef struct kind_info {
    const char *folder;
    const tj_struct_desc *desc;
} kind_info;

/* ---- the run's state ---- */

typedef enum write_result {
    WRITE_OK,     /* written, or unchanged on disk */
    WRITE_KEPT,   /* not overwritten: the materialized online config stays */
    WRITE_FAILED, /* an error was reported */
} write_result;

typedef struct entry {
    const char *key;      /* metaData.name when extracted: the output file's name */
    value *obj;
} entry;

typedef struct entries {
    entry *items;
    size_t len, cap;
    strmap index; /* key -> position; in the run's arena, set up by the first put */
} entries;

typedef struct run {
    options opt;
    const char *output_dir; /* <root>/<output_root>, or output_root if absolute */
    materialized out;      /* what the validator and dependency tracker see under output_root */
    /* compile.py compiles each kind in its own Python process, so each kind
     * (a pass) gets its own loader and arena: objects mutated while compiling
     * group_bys are not seen by joins, and a pass's values are freed when it
     * ends. What outlives a pass lives elsewhere: parsed files in the source
     * cache (diagnostics point into them), messages and the materialized
     * index on the heap. */
    arena arena;           /* the current pass's values */
    arena scratch;         /* one validate_config's column lists, freed when it returns */
    arena run_arena;       /* the run's: the source cache, paths */
    diag_set diags;
    source_cache *sources; /* each file read and parsed once per run */
    write_queue writes;    /* converted configs waiting to be serialized and written */
    size_t prefill_window; /* files parsed ahead at a time (PREFILL_WINDOW) */
    loader *loader;
    eval_ctx *ctx;
    size_t written, unchanged, skipped, kept, failed;
    size_t differing;      /* compile --check: configs whose file is missing or differs */
    tj_buf differing_paths;/* their paths, one a line */
    bool tty;
    /* The output folders seen so far (path -> output_dir_state), made by
     * the main thread on first use, and the files this run wrote in folders
     * it made: a write there needs no read-back of the old file. In
     * run_arena. */
    strmap dirs;
    strmap fresh_paths;
    /* Write failures after the first of each errno are counted, not
     * reported one by one: a full disk or a read-only folder is one error. */
    int failed_errnum[8];
    size_t failed_more[8];
    int lock_fd; /* the output root's parent, flock()ed for the run; -1: none */
    compile_state state; /* the trees' sum before the run (compile_state.h) */
    bool state_hit;      /* it matched a run that wrote nothing: no passes */
} run;

static inline value *md_of(value *obj) { return obj_get(obj, "metaData"); }

static inline const char *md_str(value *obj, const char *field)
{
    value *md = md_of(obj);
    value *v = md ? obj_get(md, field) : NULL;
    return v && v->kind == V_STR ? v->u.str.data : NULL;
}

static inline bool is_list(const value *v) { return v && (v->kind == V_LIST || v->kind == V_TUPLE); }

/* ---- team_defaults.c ---- */

/* outputNamespace ||= team namespace; tableProperties ||= team
 * table_properties; team = team. folder: the kind's folder when the team is
 * the config's folder (group_bys/<team>/); NULL when it is the first part of
 * the object's name (a GroupBy a Join writes on its own). False (reported)
 * for an unknown team or a missing teams.json. */
bool set_team_metadata(run *r, value *obj, const char *team, const char *folder);
/* {{ logged_table }}, {{ db }}, {{ join_backfill_table }} filled in. False when out of memory. */
bool set_templated_values(run *r, value *obj, const char *team);
/* Chronon's sanitize: every character outside [A-Za-z0-9_] becomes '_'. */
char *sanitize_name(run *r, const char *s);

/* ---- validate.c ---- */

/* compile.py's validator before writing obj under key; errors block the
 * write ("Could not write ..."), reported here. */
bool validate_config(run *r, value *obj, const char *key);

#endif
