/* ai.chronon.staging_query (docs/internals/python-api.md §8): sources that
 * read a StagingQuery's output table, and its dependency string. Staging
 * queries themselves are built with ttypes.StagingQuery(...). Resolving the
 * table names the StagingQuery through its module and reads teams.json
 * (§8.1, §13.2). */
#include <string.h>

#include "api_tables.h"
#include "chronon_api.h"
#include "repo.h"
#include "thrift_values.h"

#define BUILTIN(name) \
    static value *name(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
#define UNUSED_SELF ((void)self, (void)def)
#define NPARAMS(p) (sizeof(p) / sizeof((p)[0]))
#define IS_ERR(v) ((v)->kind == V_ERROR)

static value *err(eval_ctx *ctx) { return v_error(ctx->arena); }

static src_loc first_arg_loc(const call_args *args, const char *name, src_loc fallback)
{
    if (args->npositional)
        return args->positional_loc[0];
    for (size_t k = 0; k < args->nkeywords; k++)
        if (strcmp(args->names[k], name) == 0)
            return args->keyword_loc[k];
    return fallback;
}

static value *table_value(eval_ctx *ctx, value *sq, src_loc sq_loc, src_loc loc, const char **ns)
{
    const char *table, *namespace_;
    if (!api_resolve_staging_query_table(ctx, sq, sq_loc, &table, &namespace_))
        return err(ctx);
    if (ns)
        *ns = namespace_;
    value *v = v_cstr(ctx->arena, table, loc);
    return v ? v : eval_oom(ctx, loc);
}

BUILTIN(sq_event_source)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"staging_query", P_REQUIRED}, {"query", P_REQUIRED},
                                        {"is_cumulative", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, "StagingQueryEventSource", params, 3, args, loc, a))
        return err(ctx);
    value *table = table_value(ctx, a[0], first_arg_loc(args, "staging_query", loc), loc, NULL);
    if (IS_ERR(table))
        return table;
    value *cum = a[2] ? a[2] : v_bool(ctx->arena, false, loc);
    value *es = thrift_new(ctx, &chronon_EventSource_desc, loc);
    value *src = thrift_new(ctx, &chronon_Source_desc, loc);
    if (!cum)
        return eval_oom(ctx, loc);
    if (IS_ERR(es) || IS_ERR(src))
        return err(ctx);
    obj_set(es, "table", table);
    obj_set(es, "query", a[1]);
    obj_set(es, "isCumulative", cum);
    obj_set(src, "events", es);
    return src;
}

BUILTIN(sq_entity_source)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"staging_query", P_REQUIRED}, {"query", P_REQUIRED}};
    value *a[2];
    if (!bind_args(ctx, "StagingQueryEntitySource", params, 2, args, loc, a))
        return err(ctx);
    value *table = table_value(ctx, a[0], first_arg_loc(args, "staging_query", loc), loc, NULL);
    if (IS_ERR(table))
        return table;
    value *es = thrift_new(ctx, &chronon_EntitySource_desc, loc);
    value *src = thrift_new(ctx, &chronon_Source_desc, loc);
    if (IS_ERR(es) || IS_ERR(src))
        return err(ctx);
    obj_set(es, "snapshotTable", table);
    obj_set(es, "query", a[1]);
    obj_set(src, "entities", es);
    return src;
}

BUILTIN(sq_dependencies)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"staging_query", P_REQUIRED}, {"lag", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "get_staging_query_dependencies", params, 2, args, loc, a))
        return err(ctx);
    const char *ns;
    value *table = table_value(ctx, a[0], first_arg_loc(args, "staging_query", loc), loc, &ns);
    if (IS_ERR(table))
        return table;
    char *spec = arena_sprintf(ctx->arena, "%s.chronon_signal_partitions/ds={{ ds }}/table_name=%s", ns,
                               table->u.str.data);
    value *sv = spec ? v_cstr(ctx->arena, spec, loc) : NULL;
    value *l = v_list(ctx->arena, V_LIST, 1, loc);
    if (!sv || !l || !v_list_push(ctx->arena, l, sv))
        return eval_oom(ctx, loc);
    return l;
}

/* _resolve_staging_query_table_and_namespace(sq): (table, namespace) */
BUILTIN(sq_resolve)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"staging_query", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "_resolve_staging_query_table_and_namespace", params, 1, args, loc, a))
        return err(ctx);
    const char *ns;
    value *table = table_value(ctx, a[0], first_arg_loc(args, "staging_query", loc), loc, &ns);
    if (IS_ERR(table))
        return table;
    value *nsv = v_cstr(ctx->arena, ns, loc);
    value *t = v_list(ctx->arena, V_TUPLE, 2, loc);
    if (!nsv || !t)
        return eval_oom(ctx, loc);
    t->u.list.items[0] = table;
    t->u.list.items[1] = nsv;
    t->u.list.len = 2;
    return t;
}

static const builtin staging_query_builtins[] = {
    {"StagingQueryEventSource", sq_event_source, NULL},
    {"StagingQueryEntitySource", sq_entity_source, NULL},
    {"get_staging_query_dependencies", sq_dependencies, NULL},
    {"_resolve_staging_query_table_and_namespace", sq_resolve, NULL},
};

bool api_staging_query_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    for (size_t i = 0; i < NPARAMS(staging_query_builtins); i++)
        if (!api_def(ctx, m, &staging_query_builtins[i]))
            return false;
    /* re-exported from ai.chronon.utils / ai.chronon.repo, as staging_query.py imports them */
    module *utils = api_module(ctx, "ai.chronon.utils");
    module *tt = api_module(ctx, "ai.chronon.api.ttypes");
    if (!utils || !tt)
        return false;
    static const char *const from_utils[] = {"get_staging_query_output_table_name", "chronon_root_path",
                                             "TEAMS_FILE_PATH"};
    for (size_t i = 0; i < NPARAMS(from_utils); i++) {
        value *v = dict_get_str(utils->attrs, from_utils[i]);
        if (v && !dict_set_str(ctx->arena, m->attrs, from_utils[i], v, none))
            return false;
    }
    value *ttv = v_module(ctx->arena, tt, none);
    return ttv && dict_set_str(ctx->arena, m->attrs, "api", ttv, none);
}
