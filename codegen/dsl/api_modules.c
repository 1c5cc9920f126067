/* The registry of Chronon's API modules implemented in C (the helpers the
 * API files share are in api_shared.c). A module is made on first import and
 * cached in the repo, so `from ai.chronon.group_by import GroupBy` in a
 * hundred files builds it once. */
#include <string.h>

#include "api_shared.h"
#include "thrift_values.h"

typedef bool (*api_init_fn)(eval_ctx *ctx, module *m);

/* ai.chronon.repo: the folder-name constants definitions sometimes import. */
static bool api_repo_init(eval_ctx *ctx, module *m)
{
    static const char *const consts[] = {
        "JOIN_FOLDER_NAME", "joins",
        "GROUP_BY_FOLDER_NAME", "group_bys",
        "STAGING_QUERY_FOLDER_NAME", "staging_queries",
        "TEAMS_FILE_PATH", "teams.json",
    };
    return api_set_str_attrs(ctx, m, consts, NPARAMS(consts) / 2);
}

static const struct {
    const char *name;
    api_init_fn init;  /* NULL: a package with only submodules */
} api_modules[] = {
    {"ai", NULL},
    {"ai.chronon", NULL},
    {"ai.chronon.api", NULL},
    {"ai.chronon.api.ttypes", NULL}, /* made by ttypes_module */
    {"ai.chronon.query", api_query_init},
    {"ai.chronon.group_by", api_group_by_init},
    {"ai.chronon.join", api_join_init},
    {"ai.chronon.staging_query", api_staging_query_init},
    {"ai.chronon.utils", api_utils_init},
    {"ai.chronon.model", api_model_init},
    {"ai.chronon.external_api", api_external_api_init},
    {"ai.chronon.repo", api_repo_init},
};

static bool remember(eval_ctx *ctx, module *m)
{
    repo *r = ctx->repo;
    if (r->builtin_count == r->builtin_cap) {
        size_t cap = r->builtin_cap ? r->builtin_cap * 2 : 16;
        module **mods = arena_alloc(ctx->arena, cap * sizeof *mods);
        if (!mods)
            return false;
        if (r->builtin_count)
            memcpy(mods, r->builtin_modules, r->builtin_count * sizeof *mods);
        r->builtin_modules = mods;
        r->builtin_cap = cap;
    }
    r->builtin_modules[r->builtin_count++] = m;
    return true;
}

static module *make_api_module(eval_ctx *ctx, size_t i, const char *name);

module *api_module(eval_ctx *ctx, const char *name)
{
    size_t i;
    for (i = 0; i < sizeof api_modules / sizeof api_modules[0]; i++)
        if (strcmp(api_modules[i].name, name) == 0)
            break;
    if (i == sizeof api_modules / sizeof api_modules[0])
        return NULL;
    repo *r = ctx->repo;
    for (size_t k = 0; k < r->builtin_count; k++)
        if (strcmp(r->builtin_modules[k]->name, name) == 0)
            return r->builtin_modules[k];
    /* made in the loader's arena: the module running now may have an arena
     * of its own, freed when it has run (loader.c) */
    arena *running = ctx->arena;
    if (ctx->keep)
        ctx->arena = ctx->keep;
    module *m = make_api_module(ctx, i, name);
    ctx->arena = running;
    return m;
}

static module *make_api_module(eval_ctx *ctx, size_t i, const char *name)
{
    module *m;
    src_loc none = {0};
    if (strcmp(name, "ai.chronon.api.ttypes") == 0) {
        m = ttypes_module(ctx);
    } else {
        m = module_new(ctx->arena, name, NULL);
        if (m && api_modules[i].init && !api_modules[i].init(ctx, m))
            m = NULL;
    }
    if (!m || !remember(ctx, m))
        return NULL;
    /* hang it off its package, as Python does after an import */
    const char *dot = strrchr(name, '.');
    if (dot) {
        char *parent_name = arena_strndup(ctx->arena, name, (size_t)(dot - name));
        module *parent = parent_name ? api_module(ctx, parent_name) : NULL;
        value *mv = v_module(ctx->arena, m, none);
        if (!parent || !mv || !dict_set_str(ctx->arena, parent->attrs, dot + 1, mv, none))
            return NULL;
    }
    return m;
}
