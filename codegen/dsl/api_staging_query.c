/* ai.chronon.staging_query (docs/internals/python-api.md §8): sources that
 * read a StagingQuery's output table, and its dependency string. Staging
 * queries themselves are built with ttypes.StagingQuery(...). Resolving the
 * table names the StagingQuery through its module and reads teams.json
 * (§8.1, §13.2). */
#include "api_shared.h"
#include "api_tables.h"
#include "chronon_api.h"
#include "thrift_values.h"

static const param_spec sq_params[] = {{"staging_query", P_REQUIRED}, {"query", P_REQUIRED},
                                       {"is_cumulative", P_OPTIONAL}};

/* The staging query's table; *ns its namespace (when ns is not NULL). */
static value *table_value(eval_ctx *ctx, value *sq, src_loc sq_loc, src_loc loc, const char **ns)
{
    const char *table, *namespace_;
    if (!api_resolve_staging_query_table(ctx, sq, sq_loc, &table, &namespace_))
        return api_err(ctx);
    if (ns)
        *ns = namespace_;
    return api_str(ctx, table, loc);
}

/* StagingQueryEventSource(staging_query, query, is_cumulative=False) and, for
 * a NULL def->data, StagingQueryEntitySource(staging_query, query): a Source
 * reading the staging query's table. */
BUILTIN(sq_source)
{
    (void)self;
    bool events = def->data != NULL;
    value *a[3] = {NULL};
    if (!bind_args(ctx, def->name, sq_params, events ? 3 : 2, args, loc, a))
        return api_err(ctx);
    value *table = table_value(ctx, a[0], api_arg_loc(args, sq_params, 0, loc), loc, NULL);
    if (IS_ERR(table))
        return table;
    value *cum = events && !a[2] ? v_bool(ctx->arena, false, loc) : a[2];
    value *inner = thrift_new(ctx, events ? &chronon_EventSource_desc : &chronon_EntitySource_desc, loc);
    value *src = thrift_new(ctx, &chronon_Source_desc, loc);
    if (events && !cum)
        return eval_oom(ctx, loc);
    if (IS_ERR(inner) || IS_ERR(src))
        return api_err(ctx);
    obj_set(inner, events ? "table" : "snapshotTable", table);
    obj_set(inner, "query", a[1]);
    if (events)
        obj_set(inner, "isCumulative", cum);
    obj_set(src, events ? "events" : "entities", inner);
    return src;
}

BUILTIN(sq_dependencies)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"staging_query", P_REQUIRED}, {"lag", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "get_staging_query_dependencies", params, 2, args, loc, a))
        return api_err(ctx);
    const char *ns = NULL;
    value *table = table_value(ctx, a[0], api_arg_loc(args, params, 0, loc), loc, &ns);
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
        return api_err(ctx);
    const char *ns = NULL;
    value *table = table_value(ctx, a[0], api_arg_loc(args, params, 0, loc), loc, &ns);
    if (IS_ERR(table))
        return table;
    value *nsv = api_str(ctx, ns, loc);
    return IS_ERR(nsv) ? nsv : api_tuple(ctx, (value *[]){table, nsv}, 2, loc);
}

static const bool events_flag = true;

static const builtin staging_query_builtins[] = {
    {"StagingQueryEventSource", sq_source, &events_flag},
    {"StagingQueryEntitySource", sq_source, NULL},
    {"get_staging_query_dependencies", sq_dependencies, NULL},
    {"_resolve_staging_query_table_and_namespace", sq_resolve, NULL},
};

bool api_staging_query_init(eval_ctx *ctx, module *m)
{
    if (!api_def_all(ctx, m, staging_query_builtins, NPARAMS(staging_query_builtins)))
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
        if (v && !api_set_attr(ctx, m, from_utils[i], v))
            return false;
    }
    return api_export_module(ctx, m, "api", "ai.chronon.api.ttypes");
}
