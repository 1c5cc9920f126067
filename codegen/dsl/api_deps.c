/* Dependency strings and source inspection of ai.chronon.utils
 * (python-api.md §11, §12.1, §12.5). See api_deps.h. */
#include "api_deps.h"

#include <string.h>

#include "api_shared.h"
#include "api_tables.h"
#include "chronon_api.h"

/* ---- §12.1 source inspection ---- */

value *deps_underlying_source(eval_ctx *ctx, value *src, src_loc loc)
{
    value *ent, *ev, *js;
    if (!deps_attr(ctx, src, "entities", loc, &ent))
        return v_error(ctx->arena);
    if (ent && value_truthy(ent))
        return ent;
    if (!deps_attr(ctx, src, "events", loc, &ev))
        return v_error(ctx->arena);
    if (ev && value_truthy(ev))
        return ev;
    if (!deps_attr(ctx, src, "joinSource", loc, &js))
        return v_error(ctx->arena);
    return js ? js : api_none(ctx, loc);
}

value *deps_get_query(eval_ctx *ctx, value *src, src_loc loc)
{
    value *u = deps_underlying_source(ctx, src, loc), *q;
    if (u->kind == V_ERROR)
        return u;
    if (!deps_attr(ctx, u, "query", loc, &q))
        return v_error(ctx->arena);
    return q ? q : api_none(ctx, loc);
}

value *deps_get_columns(eval_ctx *ctx, value *src, src_loc loc)
{
    value *q = deps_get_query(ctx, src, loc), *selects;
    if (q->kind == V_ERROR)
        return q;
    if (!deps_attr(ctx, q, "selects", loc, &selects))
        return v_error(ctx->arena);
    if (!selects)
        return deps_error(ctx, deps_loc(q, loc), "Please specify selects in your Source/Query");
    if (selects->kind != V_DICT)
        return deps_error(ctx, deps_loc(selects, loc), "'%s' object has no attribute 'keys'",
                          value_type_name(selects));
    return selects;
}

bool deps_is_streaming(const value *src)
{
    if (!api_is(src, &chronon_Source_desc))
        return false;
    value *ent = obj_get(src, "entities"), *ev = obj_get(src, "events");
    if (ent && value_truthy(ent) && ent->kind == V_OBJECT && obj_get(ent, "mutationTopic"))
        return true;
    return ev && value_truthy(ev) && ev->kind == V_OBJECT && obj_get(ev, "topic");
}

value *deps_is_streaming_value(eval_ctx *ctx, value *src, src_loc loc)
{
    /* (entities and entities.mutationTopic is not None) or (events and events.topic is not None) */
    value *ent, *ev, *topic;
    if (!deps_attr(ctx, src, "entities", loc, &ent))
        return v_error(ctx->arena);
    if (ent && value_truthy(ent)) {
        if (!deps_attr(ctx, ent, "mutationTopic", loc, &topic))
            return v_error(ctx->arena);
        if (topic)
            return api_bool(ctx, true, loc);
    }
    if (!deps_attr(ctx, src, "events", loc, &ev))
        return v_error(ctx->arena);
    if (!ev || !value_truthy(ev))
        return ev ? ev : api_none(ctx, loc);
    if (!deps_attr(ctx, ev, "topic", loc, &topic))
        return v_error(ctx->arena);
    return api_bool(ctx, topic != NULL, loc);
}

static bool group_by_sources(eval_ctx *ctx, value *group_by, src_loc loc, value ***items, size_t *n)
{
    value *sources;
    if (!deps_attr(ctx, group_by, "sources", loc, &sources))
        return false;
    return api_iter(ctx, sources, loc, items, n);
}

value *deps_has_topic(eval_ctx *ctx, value *group_by, src_loc loc)
{
    value **items;
    size_t n;
    if (!group_by_sources(ctx, group_by, loc, &items, &n))
        return v_error(ctx->arena);
    bool any = false;
    for (size_t i = 0; i < n && !any; i++) {
        value *s = items[i], *ent, *ev, *topic;
        if (!deps_attr(ctx, s, "entities", deps_loc(s, loc), &ent))
            return v_error(ctx->arena);
        if (ent && value_truthy(ent)) {
            if (!deps_attr(ctx, ent, "mutationTopic", deps_loc(s, loc), &topic))
                return v_error(ctx->arena);
            if (topic && value_truthy(topic)) {
                any = true;
                break;
            }
        }
        if (!deps_attr(ctx, s, "events", deps_loc(s, loc), &ev))
            return v_error(ctx->arena);
        if (ev && value_truthy(ev)) {
            if (!deps_attr(ctx, ev, "topic", deps_loc(s, loc), &topic))
                return v_error(ctx->arena);
            any = topic && value_truthy(topic);
        }
    }
    return api_bool(ctx, any, loc);
}

value *deps_streaming_sources(eval_ctx *ctx, value *group_by, src_loc loc)
{
    value **items;
    size_t n;
    if (!group_by_sources(ctx, group_by, loc, &items, &n))
        return v_error(ctx->arena);
    value *out = api_list(ctx, 0, loc);
    for (size_t i = 0; i < n && out->kind != V_ERROR; i++) {
        value *s = deps_is_streaming_value(ctx, items[i], deps_loc(items[i], loc));
        if (s->kind == V_ERROR)
            return s;
        if (value_truthy(s) && !api_push(ctx, out, items[i], loc))
            return v_error(ctx->arena);
    }
    return out;
}

/* str.split("/")[0] of a table value. */
static value *table_head(eval_ctx *ctx, value *table, src_loc loc)
{
    if (!table || table->kind != V_STR)
        return deps_error(ctx, deps_loc(table, loc), "'%s' object has no attribute 'split'",
                          table ? value_type_name(table) : "NoneType");
    const char *slash = memchr(table->u.str.data, '/', table->u.str.len);
    if (!slash)
        return table;
    return OOM_IF_NULL(v_str(ctx->arena, table->u.str.data, (size_t)(slash - table->u.str.data), loc));
}

/* The parent join's full output table name, as a V_STR. */
static value *join_table(eval_ctx *ctx, value *join_source, src_loc loc)
{
    value *join;
    if (!deps_attr(ctx, join_source, "join", loc, &join))
        return v_error(ctx->arena);
    if (!join)
        return deps_error(ctx, deps_loc(join_source, loc), "'NoneType' object has no attribute 'metaData'");
    const char *t = join_output_table_name(ctx, join, loc);
    if (!t)
        return v_error(ctx->arena);
    return api_str(ctx, t, loc);
}

value *deps_get_table(eval_ctx *ctx, value *src, src_loc loc)
{
    value *ent, *ev, *js, *table;
    if (!deps_attr(ctx, src, "entities", loc, &ent))
        return v_error(ctx->arena);
    if (ent && value_truthy(ent)) {
        if (!deps_attr(ctx, ent, "snapshotTable", loc, &table))
            return v_error(ctx->arena);
        return table_head(ctx, table, loc);
    }
    if (!deps_attr(ctx, src, "events", loc, &ev))
        return v_error(ctx->arena);
    if (ev && value_truthy(ev)) {
        if (!deps_attr(ctx, ev, "table", loc, &table))
            return v_error(ctx->arena);
        return table_head(ctx, table, loc);
    }
    if (!deps_attr(ctx, src, "joinSource", loc, &js))
        return v_error(ctx->arena);
    table = join_table(ctx, js, loc);
    return table->kind == V_ERROR ? table : table_head(ctx, table, loc);
}

value *deps_get_topic(eval_ctx *ctx, value *src, src_loc loc)
{
    value *ent, *ev, *topic;
    if (!deps_attr(ctx, src, "entities", loc, &ent))
        return v_error(ctx->arena);
    if (ent && value_truthy(ent)) {
        if (!deps_attr(ctx, ent, "mutationTopic", loc, &topic))
            return v_error(ctx->arena);
    } else {
        if (!deps_attr(ctx, src, "events", loc, &ev) || !deps_attr(ctx, ev, "topic", loc, &topic))
            return v_error(ctx->arena);
    }
    return topic ? topic : api_none(ctx, loc);
}

/* ---- §11 dependency strings ---- */

const char *deps_wait_for_name(eval_ctx *ctx, const char *dep, size_t len, src_loc loc)
{
    /* "wait_for_" + dep with every code point outside [a-zA-Z0-9] as "_",
     * runs of "_" collapsed, trailing "_" stripped */
    char *out = arena_alloc(ctx->arena, len + 10);
    if (!out) {
        eval_oom(ctx, loc);
        return NULL;
    }
    size_t n = strlen("wait_for_");
    memcpy(out, "wait_for_", n);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)dep[i];
        if ((c & 0xC0) == 0x80)
            continue; /* a continuation byte: its code point was written already */
        char w = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? (char)c : '_';
        if (w == '_' && out[n - 1] == '_')
            continue;
        out[n++] = w;
    }
    while (n && out[n - 1] == '_')
        n--;
    out[n] = '\0';
    return out;
}

/* The dependency dict {name, spec, start, end}; a NULL name or spec is an
 * allocation that failed. */
static value *dependency(eval_ctx *ctx, const char *name, value *spec, value *start, value *end, src_loc loc)
{
    value *d = v_dict(ctx->arena, loc), *nv = name ? v_cstr(ctx->arena, name, loc) : NULL;
    value *none = v_none(ctx->arena, loc);
    if (!d || !nv || !spec || !none || !dict_set_str(ctx->arena, d->u.dict, "name", nv, loc) ||
        !dict_set_str(ctx->arena, d->u.dict, "spec", spec, loc) ||
        !dict_set_str(ctx->arena, d->u.dict, "start", start ? start : none, loc) ||
        !dict_set_str(ctx->arena, d->u.dict, "end", end ? end : none, loc))
        return eval_oom(ctx, loc);
    return d;
}

value *deps_wait_for_simple_schema(eval_ctx *ctx, value *table, value *lag, value *start, value *end,
                                   value *query, src_loc loc)
{
    table = api_opt(table);
    query = api_opt(query);
    if (!table || !value_truthy(table))
        return api_none(ctx, loc);
    if (table->kind != V_STR)
        return deps_error(ctx, deps_loc(table, loc), "'%s' object has no attribute 'split'", value_type_name(table));
    const char *t = table->u.str.data, *slash = memchr(t, '/', table->u.str.len);
    size_t clean_len = slash ? (size_t)(slash - t) : table->u.str.len;
    const char *sub = slash ? slash + 1 : "";
    size_t sub_len = slash ? table->u.str.len - clean_len - 1 : 0;
    const char *pc = "ds";
    if (query && value_truthy(query)) {
        value *p;
        if (!deps_attr(ctx, query, "partitionColumn", loc, &p))
            return v_error(ctx->arena);
        if (p && value_truthy(p) && !(pc = api_py_str(ctx, p)))
            return eval_oom(ctx, loc);
    }
    bool zero = !lag || api_eq_int(lag, 0);
    const char *lag_s = zero ? "" : api_py_str(ctx, lag);
    if (!lag_s)
        return eval_oom(ctx, loc);
    char *name = arena_sprintf(ctx->arena, "wait_for_%.*s_%s%s%s", (int)clean_len, t, pc, zero ? "" : "_minus_", lag_s);
    char *spec = zero ? arena_sprintf(ctx->arena, "%.*s/%s={{ ds }}%s%.*s", (int)clean_len, t, pc, sub_len ? "/" : "",
                                      (int)sub_len, sub)
                      : arena_sprintf(ctx->arena, "%.*s/%s={{ macros.ds_add(ds, -%s) }}%s%.*s", (int)clean_len, t,
                                      pc, lag_s, sub_len ? "/" : "", (int)sub_len, sub);
    return dependency(ctx, name, spec ? v_cstr(ctx->arena, spec, loc) : NULL, start, end, loc);
}

/* ---- §12.5 dependency helpers ---- */

/* Append json.dumps(dep) to out. */
static bool push_json(eval_ctx *ctx, value *out, value *dep, src_loc loc)
{
    if (dep->kind == V_ERROR)
        return false;
    value *s = api_pyjson(ctx, dep, loc);
    return s->kind != V_ERROR && api_push(ctx, out, s, loc);
}

value *deps_get_dependencies(eval_ctx *ctx, value *src, value *user_deps, value *meta_data, value *lag,
                             src_loc loc)
{
    meta_data = api_opt(meta_data);
    value *query = deps_get_query(ctx, src, loc), *start, *end;
    if (query->kind == V_ERROR)
        return query;
    if (!deps_attr(ctx, query, "startPartition", loc, &start) || !deps_attr(ctx, query, "endPartition", loc, &end))
        return v_error(ctx->arena);
    value *out = api_list(ctx, 0, loc);
    if (out->kind == V_ERROR)
        return out;
    if (meta_data) {
        value *deps, **items;
        size_t n;
        if (!deps_attr(ctx, meta_data, "dependencies", loc, &deps) || !api_iter(ctx, deps, loc, &items, &n))
            return v_error(ctx->arena);
        for (size_t i = 0; i < n; i++) {
            value *dep = items[i];
            if (dep->kind != V_STR)
                return deps_error(ctx, deps_loc(dep, loc), "the JSON object must be str, bytes or bytearray, not %s",
                                  value_type_name(dep));
            value *parsed = deps_json_loads(ctx, dep->u.str.data, dep->u.str.len, deps_loc(dep, loc));
            if (!push_json(ctx, out, parsed, loc))
                return v_error(ctx->arena);
        }
        return out;
    }
    if (user_deps && value_truthy(user_deps)) {
        value **items;
        size_t n;
        if (!api_iter(ctx, user_deps, deps_loc(user_deps, loc), &items, &n))
            return v_error(ctx->arena);
        for (size_t i = 0; i < n; i++) {
            value *dep = items[i];
            if (dep->kind != V_STR)
                return deps_error(ctx, deps_loc(dep, deps_loc(user_deps, loc)),
                                  "expected string or bytes-like object, got '%s'", value_type_name(dep));
            const char *name = deps_wait_for_name(ctx, dep->u.str.data, dep->u.str.len, loc);
            value *d = dependency(ctx, name, dep, start, end, loc);
            if (!push_json(ctx, out, d, loc))
                return v_error(ctx->arena);
        }
        return out;
    }
    value *ent, *ev, *js, *table, *sub_query;
    if (!deps_attr(ctx, src, "entities", loc, &ent))
        return v_error(ctx->arena);
    if (ent && value_truthy(ent)) {
        value *mutation;
        if (!deps_attr(ctx, ent, "mutationTable", loc, &mutation) ||
            !deps_attr(ctx, ent, "snapshotTable", loc, &table) || !deps_attr(ctx, ent, "query", loc, &sub_query))
            return v_error(ctx->arena);
        value *snap = deps_wait_for_simple_schema(ctx, table, lag, start, end, sub_query, loc);
        if (snap->kind == V_ERROR)
            return snap;
        if (mutation && value_truthy(mutation)) {
            /* filter(None, ...): a falsy table's None is dropped */
            if (snap->kind != V_NONE && !push_json(ctx, out, snap, loc))
                return v_error(ctx->arena);
            value *mut = deps_wait_for_simple_schema(ctx, mutation, lag, start, end, sub_query, loc);
            if (mut->kind == V_ERROR || (mut->kind != V_NONE && !push_json(ctx, out, mut, loc)))
                return v_error(ctx->arena);
            return out;
        }
        return push_json(ctx, out, snap, loc) ? out : v_error(ctx->arena);
    }
    if (!deps_attr(ctx, src, "joinSource", loc, &js))
        return v_error(ctx->arena);
    if (js && value_truthy(js)) {
        table = join_table(ctx, js, loc);
        if (table->kind == V_ERROR || !deps_attr(ctx, js, "query", loc, &sub_query))
            return v_error(ctx->arena);
    } else {
        if (!deps_attr(ctx, src, "events", loc, &ev) || !deps_attr(ctx, ev, "table", loc, &table) ||
            !deps_attr(ctx, ev, "query", loc, &sub_query))
            return v_error(ctx->arena);
    }
    value *w = deps_wait_for_simple_schema(ctx, table, lag, start, end, sub_query, loc);
    return push_json(ctx, out, w, loc) ? out : v_error(ctx->arena);
}

value *deps_for_source(eval_ctx *ctx, value *source, value *user_deps, value *lag, src_loc loc)
{
    return deps_get_dependencies(ctx, source, user_deps, NULL, lag, loc);
}

value *deps_bootstrap_dependencies(eval_ctx *ctx, value *bootstrap_parts, src_loc loc)
{
    value *out = api_list(ctx, 0, loc);
    if (out->kind == V_ERROR || !api_opt(bootstrap_parts))
        return out;
    value **items;
    size_t n;
    if (!api_iter(ctx, bootstrap_parts, deps_loc(bootstrap_parts, loc), &items, &n))
        return v_error(ctx->arena);
    for (size_t i = 0; i < n; i++) {
        value *part = items[i], *table, *q, *start = NULL, *end = NULL;
        src_loc at = deps_loc(part, loc);
        if (!deps_attr(ctx, part, "table", at, &table) || !deps_attr(ctx, part, "query", at, &q))
            return v_error(ctx->arena);
        if (q && (!deps_attr(ctx, q, "startPartition", at, &start) || !deps_attr(ctx, q, "endPartition", at, &end)))
            return v_error(ctx->arena);
        value *w = deps_wait_for_simple_schema(ctx, table, NULL, start, end, q, at);
        if (!push_json(ctx, out, w, loc))
            return v_error(ctx->arena);
    }
    return out;
}

value *deps_label_table_dependencies(eval_ctx *ctx, value *label_part, src_loc loc)
{
    value *labels, **items;
    size_t n;
    if (!deps_attr(ctx, label_part, "labels", loc, &labels) || !api_iter(ctx, labels, loc, &items, &n))
        return v_error(ctx->arena);
    value *out = api_list(ctx, 0, loc);
    if (out->kind == V_ERROR)
        return out;
    for (size_t i = 0; i < n; i++) {
        value *gb, *sources, *md, **srcs;
        size_t ns;
        src_loc at = deps_loc(items[i], loc);
        if (!deps_attr(ctx, items[i], "groupBy", at, &gb) || !deps_attr(ctx, gb, "sources", at, &sources) ||
            !deps_attr(ctx, gb, "metaData", at, &md) || !api_iter(ctx, sources, at, &srcs, &ns))
            return v_error(ctx->arena);
        for (size_t k = 0; k < ns; k++) {
            value *deps = deps_get_dependencies(ctx, srcs[k], NULL, md, NULL, at);
            if (deps->kind == V_ERROR)
                return deps;
            if (!api_extend(ctx, out, deps, loc))
                return v_error(ctx->arena);
        }
    }
    value *fixed = api_str(ctx,
                           "{\"name\": \"wait_for_{{ join_backfill_table }}\", "
                           "\"spec\": \"{{ join_backfill_table }}/ds={{ ds }}\"}",
                           loc);
    if (fixed->kind == V_ERROR || !api_push(ctx, out, fixed, loc))
        return v_error(ctx->arena);
    return out;
}

value *deps_dedupe_in_order(eval_ctx *ctx, value *seq, src_loc loc)
{
    value **items;
    size_t n;
    if (!api_iter(ctx, seq, deps_loc(seq, loc), &items, &n))
        return v_error(ctx->arena);
    value *out = api_list(ctx, 0, loc);
    dict *seen = dict_new(ctx->arena);
    value *t = v_bool(ctx->arena, true, loc);
    if (out->kind == V_ERROR || !seen || !t)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < n; i++) {
        if (!value_hashable(items[i]))
            return deps_error(ctx, deps_loc(items[i], loc), "unhashable type: '%s'", value_type_name(items[i]));
        if (dict_get(seen, items[i]))
            continue;
        if (!dict_set(ctx->arena, seen, items[i], t) || !api_push(ctx, out, items[i], loc))
            return eval_oom(ctx, loc);
    }
    return out;
}

/* ---- the Python callables for ai.chronon.utils ---- */

BUILTIN(u_wait_for_simple_schema)
{
    UNUSED_SELF;
    static const param_spec p[] = {
        {"table", P_REQUIRED}, {"lag", P_REQUIRED}, {"start", P_REQUIRED}, {"end", P_REQUIRED}, {"query", P_OPTIONAL}};
    value *a[5];
    if (!bind_args(ctx, def->name, p, 5, args, loc, a))
        return v_error(ctx->arena);
    return deps_wait_for_simple_schema(ctx, a[0], a[1], api_opt(a[2]), api_opt(a[3]), a[4], loc);
}

BUILTIN(u_wait_for_name)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"dep", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    if (a[0]->kind != V_STR)
        return deps_error(ctx, deps_loc(a[0], loc), "expected string or bytes-like object, got '%s'",
                          value_type_name(a[0]));
    const char *s = deps_wait_for_name(ctx, a[0]->u.str.data, a[0]->u.str.len, loc);
    return s ? api_str(ctx, s, loc) : v_error(ctx->arena);
}

BUILTIN(u_get_dependencies)
{
    UNUSED_SELF;
    static const param_spec p[] = {
        {"src", P_REQUIRED}, {"dependencies", P_OPTIONAL}, {"meta_data", P_OPTIONAL}, {"lag", P_OPTIONAL}};
    value *a[4];
    if (!bind_args(ctx, def->name, p, 4, args, loc, a))
        return v_error(ctx->arena);
    return deps_get_dependencies(ctx, a[0], a[1], a[2], a[3], loc);
}

/* get_columns(source): Python gives the live keys view; a list of the keys as they are now */
static value *columns_list(eval_ctx *ctx, value *source, src_loc loc)
{
    value *selects = deps_get_columns(ctx, source, loc);
    return selects->kind == V_ERROR ? selects : api_keys_list(ctx, selects->u.dict, loc);
}

const builtin deps_utils_builtins[] = {
    {"wait_for_simple_schema", u_wait_for_simple_schema, NULL},
    {"wait_for_name", u_wait_for_name, NULL},
    {"get_dependencies", u_get_dependencies, NULL},
    API_UNARY("get_bootstrap_dependencies", "bootstrap_parts", deps_bootstrap_dependencies),
    API_UNARY("get_label_table_dependencies", "label_part", deps_label_table_dependencies),
    API_UNARY("dedupe_in_order", "seq", deps_dedupe_in_order),
    API_UNARY("is_streaming", "source", deps_is_streaming_value),
    API_UNARY("has_topic", "group_by", deps_has_topic),
    API_UNARY("get_streaming_sources", "group_by", deps_streaming_sources),
    API_UNARY("get_underlying_source", "source", deps_underlying_source),
    API_UNARY("get_query", "source", deps_get_query),
    API_UNARY("get_table", "source", deps_get_table),
    API_UNARY("get_topic", "source", deps_get_topic),
    API_UNARY("get_columns", "source", columns_list),
};
const size_t deps_utils_builtin_count = sizeof deps_utils_builtins / sizeof deps_utils_builtins[0];
