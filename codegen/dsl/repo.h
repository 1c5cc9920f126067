/* The definitions repo as the evaluator and the Chronon API helpers see it:
 * its root, teams.json, and every module loaded so far (in load order). */
#ifndef DSL_REPO_H
#define DSL_REPO_H

#include <jansson.h>

#include "eval.h"
#include "strmap.h"

typedef struct repo {
    const char *root;          /* the chronon root folder */
    json_t *teams;             /* teams.json, or NULL if the repo has none */
    bool teams_unreadable;     /* teams.json is there but not an object of teams (reported once, where it is) */
    module **modules;          /* definition modules in the order they were loaded */
    size_t module_count, module_cap;
    strmap modules_by_file;    /* file path -> index of its first module (next_same_file: the rest) */
    module **builtin_modules;  /* Chronon API modules made so far (ai.chronon.*) */
    size_t builtin_count, builtin_cap;
} repo;

/* teams.json lookups with compile.py's fallback to the "default" team:
 * the team's value if the team has the key, else default's, else NULL. */
json_t *repo_team_value(const repo *r, const char *team, const char *key);
const char *repo_team_namespace(const repo *r, const char *team);

/* ---- names (Chronon's gc lookup, done statically) ----------------------------- */

/* The definition module that binds obj at top level and whose dotted name
 * starts with prefix ("group_bys", "joins", "staging_queries"); the first such
 * module in load order. NULL if none. */
module *find_defining_module(eval_ctx *ctx, const value *obj, const char *prefix);
/* Whether m binds obj (the same value or Thrift object) at top level. */
bool module_binds(const module *m, const value *obj);

/* compile.py's import_module_set_name: for every top-level binding var = obj of
 * m, in definition order, where obj is an instance of desc, set
 * obj.metaData.name = "<m's name after its first dot>.<var>" and
 * obj.metaData.team = "<m's second name component>" (creating metaData if
 * unset). False only when out of memory. */
bool name_module_objects(eval_ctx *ctx, module *m, const tj_struct_desc *desc);

/* The team of the code running now: the name of the folder holding the file
 * of ctx->module (Chronon reads it off the caller's stack frame). "" when the
 * file is at the root. */
const char *current_team(eval_ctx *ctx);

/* ---- the Chronon API modules, implemented in C ---------------------------------- */

/* The built-in module for a dotted name ("ai.chronon.group_by", "ai", ...),
 * made on first use and cached in the repo; NULL if name is not one. */
module *api_module(eval_ctx *ctx, const char *name);

/* Each fills m->attrs with the module's public names. False when out of memory. */
bool api_query_init(eval_ctx *ctx, module *m);        /* ai.chronon.query */
bool api_group_by_init(eval_ctx *ctx, module *m);     /* ai.chronon.group_by */
bool api_join_init(eval_ctx *ctx, module *m);         /* ai.chronon.join */
bool api_staging_query_init(eval_ctx *ctx, module *m);/* ai.chronon.staging_query */
bool api_utils_init(eval_ctx *ctx, module *m);        /* ai.chronon.utils */
bool api_model_init(eval_ctx *ctx, module *m);        /* ai.chronon.model */
bool api_external_api_init(eval_ctx *ctx, module *m); /* ai.chronon.external_api */

/* Shared by the API files: a V_STR of a C string, a V_LIST, etc. at loc. */
value *api_str(eval_ctx *ctx, const char *s, src_loc loc);
/* Register a builtin function as an attribute of m. */
bool api_def(eval_ctx *ctx, module *m, const builtin *def);
/* Python's str(v) into a C string in the arena. */
const char *api_py_str(eval_ctx *ctx, const value *v);

#endif
