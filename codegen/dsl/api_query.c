/* ai.chronon.query: Query and select (python-api.md §4). */
#include "api_shared.h"
#include "chronon_api.h"
#include "thrift_values.h"

/* Query(selects, wheres, start_partition, end_partition, time_column, setups,
 * mutation_time_column, reversal_column, partition_column): ttypes.Query with
 * the very objects passed (GroupBy later adds to selects in place); setups
 * is `setups or []`. */
BUILTIN(q_query)
{
    UNUSED_SELF;
    static const param_spec p[] = {
        {"selects", P_OPTIONAL},        {"wheres", P_OPTIONAL},          {"start_partition", P_OPTIONAL},
        {"end_partition", P_OPTIONAL},  {"time_column", P_OPTIONAL},     {"setups", P_OPTIONAL},
        {"mutation_time_column", P_OPTIONAL}, {"reversal_column", P_OPTIONAL}, {"partition_column", P_OPTIONAL},
    };
    static const char *const fields[] = {
        "selects", "wheres", "startPartition", "endPartition", "timeColumn",
        "setups", "mutationTimeColumn", "reversalColumn", "partitionColumn",
    };
    value *a[9];
    if (!bind_args(ctx, def->name, p, 9, args, loc, a))
        return v_error(ctx->arena);
    value *q = thrift_new(ctx, &chronon_Query_desc, loc);
    if (q->kind == V_ERROR)
        return q;
    for (size_t i = 0; i < 9; i++) {
        value *v = a[i];
        if (i == 5 && !(v && value_truthy(v))) {
            v = v_list(ctx->arena, V_LIST, 0, loc);
            if (!v)
                return eval_oom(ctx, loc);
        }
        obj_set(q, fields[i], v);
    }
    return q;
}

/* select(*args, **kwargs): {x: x for x in args}, then the keywords merged
 * (an existing key keeps its position). */
BUILTIN(q_select)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"args", P_VARARGS}, {"kwargs", P_KWARGS}};
    value *a[2];
    if (!bind_args(ctx, def->name, p, 2, args, loc, a))
        return v_error(ctx->arena);
    value *d = v_dict(ctx->arena, loc);
    if (!d)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < a[0]->u.list.len; i++) {
        value *x = a[0]->u.list.items[i];
        if (!value_hashable(x))
            return eval_error(ctx, i < args->npositional ? args->positional_loc[i] : loc,
                              "unhashable type: '%s'", value_type_name(x));
        if (!dict_set(ctx->arena, d->u.dict, x, x))
            return eval_oom(ctx, loc);
    }
    dict *kw = a[1]->u.dict;
    for (size_t i = 0; i < kw->len; i++)
        if (!dict_set(ctx->arena, d->u.dict, kw->keys[i], kw->values[i]))
            return eval_oom(ctx, loc);
    return d;
}

static const builtin query_defs[] = {
    {"Query", q_query, NULL},
    {"select", q_select, NULL},
};

bool api_query_init(eval_ctx *ctx, module *m)
{
    return api_def_all(ctx, m, query_defs, NPARAMS(query_defs));
}
