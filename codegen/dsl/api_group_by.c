/* ai.chronon.group_by: GroupBy, Aggregation and their helpers
 * (python-api.md §2.2-2.4, §5, §6). Values are shared as in Python: GroupBy
 * adds the columns it needs to the caller's Query objects, Aggregations()
 * writes inputColumn into the caller's aggregations. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api_deps.h"
#include "api_shared.h"
#include "chronon_api.h"
#include "thrift_values.h"

/* obj.name into out, or return false (the error is reported) */
#define ATTR(obj, name, out, at) \
    do { \
        if (!deps_attr(ctx, (obj), (name), (at), &(out))) \
            return false; \
    } while (0)

enum {
    OP_LAST = 3, OP_UNIQUE_COUNT = 4, OP_APPROX_PERCENTILE = 12, OP_LAST_K = 13, OP_FIRST_K = 14,
    OP_TOP_K = 15, OP_BOTTOM_K = 16, OP_HISTOGRAM = 17,
    ACCURACY_TEMPORAL = 0, ACCURACY_SNAPSHOT = 1, TIME_UNIT_HOURS = 0
};

static const char *const upload_schedules[] = {"@daily", "@weekly", "@monthly", "@quarterly"};
#define UPLOAD_SCHEDULES_TEXT "['@daily', '@weekly', '@monthly', '@quarterly']"

/* ---- small helpers ---- */

static const char *py_repr(eval_ctx *ctx, const value *v)
{
    tj_buf b = {0};
    if (v)
        value_repr(&b, v);
    else
        tj_buf_puts(&b, "None");
    return api_buf_cstr(ctx, &b);
}

static bool within(src_loc in, src_loc outer)
{
    if (!in.file || in.file != outer.file)
        return false;
    if (in.first_line < outer.first_line || (in.first_line == outer.first_line && in.first_col < outer.first_col))
        return false;
    return !(in.last_line > outer.last_line || (in.last_line == outer.last_line && in.last_col > outer.last_col));
}

/* After a failure inside a call at loc (errors reported since diag index
 * `before`): when the error points elsewhere (a source or aggregation
 * defined earlier), add a note at the call, as compilers do for
 * instantiations. */
static void note_call_site(eval_ctx *ctx, size_t before, src_loc loc, const char *what)
{
    diag_set *d = ctx->diags;
    for (size_t i = d->len; i-- > before;) {
        if (d->items[i].level != DIAG_ERROR)
            continue;
        if (loc.file && !within(d->items[i].loc, loc))
            diag_note(d, loc, "%s", what);
        return;
    }
}

/* The name of an enum value looked up as Python's _VALUES_TO_NAMES[v]:
 * True is 1 and 2.0 is 2. NULL if none. */
static const char *enum_name(const tj_enum_desc *e, const value *v)
{
    int64_t k;
    if (!v)
        return NULL;
    if (v->kind == V_INT)
        k = v->u.i;
    else if (v->kind == V_BOOL)
        k = v->u.b;
    else if (v->kind == V_FLOAT && v->u.f >= INT32_MIN && v->u.f <= INT32_MAX && v->u.f == (double)(int32_t)v->u.f)
        k = (int32_t)v->u.f;
    else
        return NULL;
    if (k < INT32_MIN || k > INT32_MAX)
        return NULL;
    return tj_enum_name(e, (int32_t)k);
}

static char *lower(eval_ctx *ctx, const char *s)
{
    char *out = arena_strndup(ctx->arena, s, strlen(s));
    for (char *p = out; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return out;
}

/* `keys + other` for a `keys` that should be a list: Python's TypeError otherwise. */
static bool concat_keys(eval_ctx *ctx, value *keys, src_loc at, value **out)
{
    if (keys && keys->kind == V_LIST) {
        value *l = v_list(ctx->arena, V_LIST, keys->u.list.len + 1, at);
        if (!l)
            return eval_oom(ctx, at), false;
        for (size_t i = 0; i < keys->u.list.len; i++)
            l->u.list.items[l->u.list.len++] = keys->u.list.items[i];
        *out = l;
        return true;
    }
    const char *t = keys ? value_type_name(keys) : "NoneType";
    if (keys && keys->kind == V_STR)
        deps_error(ctx, keys->loc.file ? keys->loc : at, "keys must be a list of column names, got str; write keys=[\"%s\"]",
                   keys->u.str.data);
    else if (keys && keys->kind == V_TUPLE)
        deps_error(ctx, at, "can only concatenate %s (not \"list\") to %s", t, t);
    else
        deps_error(ctx, at, "unsupported operand type(s) for +: '%s' and 'list'", t);
    return false;
}

/* Remove key from d in place (every holder of d sees it). */
static bool dict_remove(arena *a, dict *d, const value *key)
{
    arena_note_store(a, d);
    dict *nd = dict_new(a);
    if (!nd)
        return false;
    for (size_t i = 0; i < d->len; i++)
        if (!value_equal(d->keys[i], key) && !dict_set(a, nd, d->keys[i], d->values[i]))
            return false;
    *d = *nd;
    return true;
}

static bool list_has(const value *list, const value *x)
{
    for (size_t i = 0; i < list->u.list.len; i++)
        if (value_equal(list->u.list.items[i], x))
            return true;
    return false;
}

/* ---- op_to_str, window_to_str_pretty, get_output_col_names ---- */

const char *group_by_op_to_str(eval_ctx *ctx, const value *op, src_loc loc)
{
    const char *name = enum_name(&chronon_Operation_desc, op);
    if (!name) {
        if (op && !value_hashable(op))
            deps_error(ctx, deps_loc(op, loc), "unhashable type: '%s'", value_type_name(op));
        else
            deps_error(ctx, deps_loc(op, loc), "KeyError: %s (not an Operation value)", py_repr(ctx, op));
        return NULL;
    }
    char *s = lower(ctx, name);
    if (!s)
        eval_oom(ctx, loc);
    return s;
}

/* The lower-case TimeUnit name of a window's unit; NULL after a KeyError. */
static const char *unit_name(eval_ctx *ctx, const value *unit, src_loc loc)
{
    const char *name = enum_name(&chronon_TimeUnit_desc, unit);
    if (!name) {
        deps_error(ctx, deps_loc(unit, loc), "KeyError: %s (not a TimeUnit value)", py_repr(ctx, unit));
        return NULL;
    }
    char *s = lower(ctx, name);
    if (!s)
        eval_oom(ctx, loc);
    return s;
}

value *group_by_output_col_names(eval_ctx *ctx, value *agg, src_loc loc)
{
    src_loc at = deps_loc(agg, loc);
    value *input, *op, *arg_map, *windows, *buckets;
    if (!deps_attr(ctx, agg, "inputColumn", at, &input) || !deps_attr(ctx, agg, "operation", at, &op) ||
        !deps_attr(ctx, agg, "argMap", at, &arg_map) || !deps_attr(ctx, agg, "windows", at, &windows) ||
        !deps_attr(ctx, agg, "buckets", at, &buckets))
        return v_error(ctx->arena);
    const char *op_str = group_by_op_to_str(ctx, op, at);
    if (!op_str)
        return v_error(ctx->arena);
    const char *base;
    if (api_eq_int(op, OP_LAST_K) || api_eq_int(op, OP_TOP_K) || api_eq_int(op, OP_FIRST_K) ||
        api_eq_int(op, OP_BOTTOM_K)) {
        /* last_k -> last<k> */
        if (!arg_map || arg_map->kind != V_DICT)
            return deps_error(ctx, at, "'%s' object has no attribute 'get'",
                              arg_map ? value_type_name(arg_map) : "NoneType");
        value *k = dict_get_str(arg_map->u.dict, "k");
        base = arena_sprintf(ctx->arena, "%s_%.*s%s", api_text(ctx, input), (int)(strlen(op_str) - 2), op_str,
                             api_text(ctx, k));
    } else {
        base = arena_sprintf(ctx->arena, "%s_%s", api_text(ctx, input), op_str);
    }
    if (!base)
        return eval_oom(ctx, loc);
    value *windowed = v_list(ctx->arena, V_LIST, 0, loc);
    if (!windowed)
        return eval_oom(ctx, loc);
    if (windows && value_truthy(windows)) {
        value **items;
        size_t n;
        if (!api_iter(ctx, windows, deps_loc(windows, at), &items, &n))
            return v_error(ctx->arena);
        for (size_t i = 0; i < n; i++) {
            value *length, *unit;
            src_loc wat = deps_loc(items[i], at);
            if (!deps_attr(ctx, items[i], "timeUnit", wat, &unit) || !deps_attr(ctx, items[i], "length", wat, &length))
                return v_error(ctx->arena);
            const char *u = unit_name(ctx, unit, wat);
            if (!u)
                return v_error(ctx->arena);
            char *name = arena_sprintf(ctx->arena, "%s_%s%c", base, api_text(ctx, length), u[0]);
            value *nv = name ? v_cstr(ctx->arena, name, loc) : NULL;
            if (!nv || !v_list_push(ctx->arena, windowed, nv))
                return eval_oom(ctx, loc);
        }
    } else {
        value *nv = v_cstr(ctx->arena, base, loc);
        if (!nv || !v_list_push(ctx->arena, windowed, nv))
            return eval_oom(ctx, loc);
    }
    if (!buckets || !value_truthy(buckets))
        return windowed;
    value *out = v_list(ctx->arena, V_LIST, 0, loc), **items;
    size_t n;
    if (!out)
        return eval_oom(ctx, loc);
    if (!api_iter(ctx, buckets, deps_loc(buckets, at), &items, &n))
        return v_error(ctx->arena);
    for (size_t b = 0; b < n; b++)
        for (size_t i = 0; i < windowed->u.list.len; i++) {
            char *name = arena_sprintf(ctx->arena, "%s_by_%s", windowed->u.list.items[i]->u.str.data,
                                       api_text(ctx, items[b]));
            value *nv = name ? v_cstr(ctx->arena, name, loc) : NULL;
            if (!nv || !v_list_push(ctx->arena, out, nv))
                return eval_oom(ctx, loc);
        }
    return out;
}

/* contains_windowed_aggregation: -1 after an error. */
static int windowed_aggregation(eval_ctx *ctx, value *aggregations, src_loc loc)
{
    if (!aggregations || !value_truthy(aggregations))
        return 0;
    value **items;
    size_t n;
    if (!api_iter(ctx, aggregations, deps_loc(aggregations, loc), &items, &n))
        return -1;
    for (size_t i = 0; i < n; i++) {
        value *w;
        if (!deps_attr(ctx, items[i], "windows", deps_loc(items[i], loc), &w))
            return -1;
        if (w && value_truthy(w))
            return 1;
    }
    return 0;
}

/* ---- validate_group_by ---- */

/* Python's repr of a set holding items[0..n). */
static const char *set_repr(eval_ctx *ctx, value **items, size_t n)
{
    tj_buf b = {0};
    tj_buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            tj_buf_puts(&b, ", ");
        value_repr(&b, items[i]);
    }
    tj_buf_putc(&b, '}');
    return api_buf_cstr(ctx, &b);
}

/* float(p) for a JSON array element, as Python would: false if it raises. */
static bool json_float(json_t *j, double *out)
{
    switch (json_typeof(j)) {
    case JSON_INTEGER: *out = (double)json_integer_value(j); return true;
    case JSON_REAL: *out = json_real_value(j); return true;
    case JSON_TRUE: *out = 1.0; return true;
    case JSON_FALSE: *out = 0.0; return true;
    case JSON_STRING: {
        const char *s = json_string_value(j), *e = s + json_string_length(j);
        while (s < e && (*s == ' ' || (*s >= '\t' && *s <= '\r')))
            s++;
        while (e > s && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
            e--;
        if (s == e || memchr(s, 'x', (size_t)(e - s)) || memchr(s, 'X', (size_t)(e - s)))
            return false;
        char *copy = strndup(s, (size_t)(e - s)), *end;
        if (!copy)
            return false;
        *out = strtod(copy, &end);
        bool ok = *end == '\0';
        free(copy);
        return ok;
    }
    default: return false;
    }
}

/* [Percentiles] check of an APPROX_PERCENTILE aggregation. */
static bool percentiles_ok(eval_ctx *ctx, value *arg_map, src_loc at)
{
    value *p = NULL;
    if (arg_map) {
        if (arg_map->kind != V_DICT) {
            deps_error(ctx, at, "'%s' object has no attribute 'get'", value_type_name(arg_map));
            return false;
        }
        p = api_opt(dict_get_str(arg_map->u.dict, "percentiles"));
    }
    if (!p) {
        deps_error(ctx, at,
                   "[Percentiles] Unsupported arguments for approx_percentile, example required: "
                   "{'k': '128', 'percentiles': '[0.4,0.5,0.95]'}, received: %s\n",
                   api_text(ctx, arg_map));
        return false;
    }
    bool ok = false;
    if (p->kind == V_STR) {
        json_t *j = json_loadb(p->u.str.data, p->u.str.len, JSON_DECODE_ANY, NULL);
        if (j && json_is_array(j)) {
            ok = true;
            for (size_t i = 0; i < json_array_size(j) && ok; i++) {
                double f;
                ok = json_float(json_array_get(j, i), &f) && f >= 0 && f <= 1;
            }
        }
        json_decref(j);
    }
    if (!ok)
        deps_error(ctx, deps_loc(p, at),
                   "[Percentiles] Unable to decode percentiles value, expected json array with values between "
                   "0 and 1 inclusive (ex: [0.6, 0.1]), received: %s",
                   api_text(ctx, p));
    return ok;
}

/* upload_override: GroupBy() passes its own uploadSchedule value (or NULL
 * for none) so a customJson that only Python can read back (NaN) does not
 * matter; a hand-built GroupBy has its customJson parsed. */
static bool validate(eval_ctx *ctx, value *gb, src_loc loc, bool has_override, value *upload_override)
{
    value *sources, *keys, *aggregations, *accuracy, *backfill, *incremental, *md;
    ATTR(gb, "sources", sources, loc);
    ATTR(gb, "keyColumns", keys, loc);
    ATTR(gb, "aggregations", aggregations, loc);
    ATTR(gb, "accuracy", accuracy, loc);
    ATTR(gb, "backfillStartDate", backfill, loc);
    ATTR(gb, "isIncremental", incremental, loc);
    ATTR(gb, "metaData", md, loc);

    if (!sources || (sources->kind != V_LIST && sources->kind != V_TUPLE)) {
        deps_error(ctx, loc, "'%s' object is not subscriptable", sources ? value_type_name(sources) : "NoneType");
        return false;
    }
    value **srcs = sources->u.list.items;
    size_t nsrc = sources->u.list.len;
    if (nsrc == 0) {
        deps_error(ctx, loc, "list index out of range");
        return false;
    }
    value *first = deps_get_columns(ctx, srcs[0], deps_loc(srcs[0], loc));
    if (first->kind == V_ERROR)
        return false;
    /* A: ts is reserved */
    if (dict_get_str(first->u.dict, "ts")) {
        deps_error(ctx, deps_loc(dict_key_str(first->u.dict, "ts"), deps_loc(first, loc)),
                   "'ts' is a reserved key word for Chronon, please specify the expression in timeColumn");
        return false;
    }
    /* B: per source */
    int windowed = -2;
    for (size_t i = 0; i < nsrc; i++) {
        value *src = srcs[i], *ev, *js, *x;
        src_loc at = deps_loc(src, loc);
        value *query = deps_get_query(ctx, src, at);
        if (query->kind == V_ERROR)
            return false;
        ATTR(src, "events", ev, at);
        if (ev && value_truthy(ev)) {
            ATTR(query, "mutationTimeColumn", x, at);
            if (x) {
                deps_error(ctx, obj_arg_loc(query, "mutationTimeColumn", at), "ingestionTimeColumn should not be specified for event source as it should be "
                                    "the same with timeColumn");
                return false;
            }
            ATTR(query, "reversalColumn", x, at);
            if (x) {
                deps_error(ctx, obj_arg_loc(query, "reversalColumn", at), "reversalColumn should not be specified for event source as it won't have "
                                    "mutations");
                return false;
            }
            if (!api_eq_int(accuracy, ACCURACY_SNAPSHOT)) {
                ATTR(query, "timeColumn", x, at);
                if (!x) {
                    deps_error(ctx, at, "please specify query.timeColumn for non-snapshot accurate group by with "
                                        "event source");
                    return false;
                }
            } else {
                value *s = deps_is_streaming_value(ctx, src, at);
                if (s->kind == V_ERROR)
                    return false;
                if (value_truthy(s)) {
                    deps_error(ctx, at, "SNAPSHOT accuracy should not be specified for streaming sources");
                    return false;
                }
            }
            continue;
        }
        ATTR(src, "joinSource", js, at);
        if (js && value_truthy(js)) {
            value *parent, *left = NULL;
            ATTR(js, "join", parent, at);
            if (parent && value_truthy(parent))
                ATTR(parent, "left", left, at);
            bool streaming = false;
            if (left && value_truthy(left)) {
                value *s = deps_is_streaming_value(ctx, left, at);
                if (s->kind == V_ERROR)
                    return false;
                streaming = value_truthy(s);
            }
            if (!streaming) {
                deps_error(ctx, at,
                           "When using a JoinSource as the source for a GroupBy, the parent join must have a topic. "
                           "Please specify either events.topic for EventSource or entities.mutationTopic for "
                           "EntitySource in the parent join's left source. Otherwise, use a regular EventSource or "
                           "EntitySource.If you want to chain batch only joins, use regular EventSource/EntitySource "
                           "insteadThere are helper methods like get_join_output_table_name, "
                           "get_staging_query_output_table_nameand group_by_output_table_name.");
                return false;
            }
            continue;
        }
        if (windowed == -2)
            windowed = windowed_aggregation(ctx, aggregations, loc);
        if (windowed < 0)
            return false;
        if (windowed) {
            ATTR(query, "timeColumn", x, at);
            if (!x || !value_truthy(x)) {
                deps_error(ctx, at, "Please specify timeColumn for entity source with windowed aggregations");
                return false;
            }
        }
    }
    /* C: is_incremental */
    if (incremental && value_truthy(incremental)) {
        bool any_streaming = false;
        for (size_t i = 0; i < nsrc; i++) {
            value *ev;
            ATTR(srcs[i], "events", ev, deps_loc(srcs[i], loc));
            if (!ev || !value_truthy(ev)) {
                deps_error(ctx, deps_loc(incremental, loc), "is_incremental is only supported for event sources");
                return false;
            }
        }
        if (!accuracy)
            for (size_t i = 0; i < nsrc; i++) {
                value *s = deps_is_streaming_value(ctx, srcs[i], deps_loc(srcs[i], loc));
                if (s->kind == V_ERROR)
                    return false;
                any_streaming = any_streaming || value_truthy(s);
            }
        if (!(api_eq_int(accuracy, ACCURACY_SNAPSHOT) || (!accuracy && !any_streaming))) {
            deps_error(ctx, deps_loc(incremental, loc),
                       "is_incremental is only supported for SNAPSHOT accuracy group bys");
            return false;
        }
    }
    /* D: upload schedule */
    value *upload = NULL;
    if (has_override) {
        upload = upload_override;
    } else {
        value *custom = NULL;
        if (md && value_truthy(md))
            ATTR(md, "customJson", custom, loc);
        if (custom && value_truthy(custom)) {
            if (custom->kind != V_STR) {
                deps_error(ctx, deps_loc(custom, loc), "the JSON object must be str, bytes or bytearray, not %s",
                           value_type_name(custom));
                return false;
            }
            value *parsed = deps_json_loads(ctx, custom->u.str.data, custom->u.str.len, deps_loc(custom, loc));
            if (parsed->kind == V_ERROR)
                return false;
            if (parsed->kind != V_DICT) {
                deps_error(ctx, deps_loc(custom, loc), "'%s' object has no attribute 'get'", value_type_name(parsed));
                return false;
            }
            upload = dict_get_str(parsed->u.dict, "uploadSchedule");
        }
    }
    if (upload && value_truthy(upload)) {
        bool known = false;
        for (size_t i = 0; i < sizeof upload_schedules / sizeof upload_schedules[0]; i++)
            known = known || api_eq_str(upload, upload_schedules[i]);
        src_loc at = deps_loc(upload, loc);
        const char *us = api_text(ctx, upload);
        if (!known) {
            deps_error(ctx, at, "Invalid upload_schedule '%s', must be one of " UPLOAD_SCHEDULES_TEXT, us);
            return false;
        }
        if (!api_eq_str(upload, "@daily")) {
            for (size_t i = 0; i < nsrc; i++) {
                value *s = deps_is_streaming_value(ctx, srcs[i], deps_loc(srcs[i], loc));
                if (s->kind == V_ERROR)
                    return false;
                if (value_truthy(s)) {
                    deps_error(ctx, at, "upload_schedule '%s' is only supported for group bys without a streaming "
                                        "source, since streaming fetches replay everything after the batch end date",
                               us);
                    return false;
                }
            }
            if (api_eq_int(accuracy, ACCURACY_TEMPORAL)) {
                deps_error(ctx, at, "upload_schedule '%s' is only supported for SNAPSHOT accuracy group bys", us);
                return false;
            }
        }
    }
    /* E: every source selects the same columns */
    value *column_set = NULL;
    for (size_t i = 1; i < nsrc; i++) {
        column_set = deps_get_columns(ctx, srcs[i], deps_loc(srcs[i], loc));
        if (column_set->kind == V_ERROR)
            return false;
        dict *cs = column_set->u.dict, *fs = first->u.dict;
        value **diff = arena_alloc(ctx->arena, (cs->len + fs->len + 1) * sizeof *diff);
        size_t nd = 0;
        if (!diff)
            return eval_oom(ctx, loc), false;
        for (size_t k = 0; k < cs->len; k++)
            if (!dict_get(fs, cs->keys[k]))
                diff[nd++] = cs->keys[k];
        for (size_t k = 0; k < fs->len; k++)
            if (!dict_get(cs, fs->keys[k]))
                diff[nd++] = fs->keys[k];
        if (nd) {
            /* the odd source as written in sources=[...], else its own call when inside */
            deps_error(ctx, obj_arg_item_loc(gb, "sources", i, within(srcs[i]->loc, loc) ? srcs[i]->loc : loc),
                       "Mismatched columns among sources [1, %zu], Difference: %s",
                       i + 1, set_repr(ctx, diff, nd));
            return false;
        }
    }
    /* F: keys are selected */
    {
        value **items;
        size_t n;
        if (!api_iter(ctx, keys, deps_loc(keys, loc), &items, &n))
            return false;
        value **missing = arena_alloc(ctx->arena, (n + 1) * sizeof *missing);
        size_t nm = 0;
        if (!missing)
            return eval_oom(ctx, loc), false;
        for (size_t i = 0; i < n; i++) {
            if (!value_hashable(items[i])) {
                deps_error(ctx, deps_loc(keys, loc), "unhashable type: '%s'", value_type_name(items[i]));
                return false;
            }
            bool dup = false;
            for (size_t k = 0; k < nm && !dup; k++)
                dup = value_equal(missing[k], items[i]);
            if (!dup && !dict_get(first->u.dict, items[i]))
                missing[nm++] = items[i];
        }
        if (nm) {
            deps_error(ctx, deps_loc(keys, loc), "Keys %s, are unselected in source", set_repr(ctx, missing, nm));
            return false;
        }
    }
    /* G: aggregations=None */
    if (!aggregations) {
        bool is_events = false, has_mutations = false;
        for (size_t i = 0; i < nsrc; i++) {
            value *ev;
            ATTR(srcs[i], "events", ev, deps_loc(srcs[i], loc));
            is_events = is_events || (ev && value_truthy(ev));
        }
        if (!is_events)
            for (size_t i = 0; i < nsrc; i++) {
                value *ent, *mt, *mtopic;
                ATTR(srcs[i], "entities", ent, deps_loc(srcs[i], loc));
                if (!ent)
                    continue;
                ATTR(ent, "mutationTable", mt, deps_loc(srcs[i], loc));
                ATTR(ent, "mutationTopic", mtopic, deps_loc(srcs[i], loc));
                has_mutations = has_mutations || mt || mtopic;
            }
        if (is_events || has_mutations) {
            deps_error(ctx, obj_arg_loc(gb, "aggregations", loc),
                       "You can only set aggregations=None in an EntitySource without mutations");
            return false;
        }
        return true;
    }
    /* H: each aggregation */
    dict *columns = dict_new(ctx->arena);
    value *t = v_bool(ctx->arena, true, loc);
    if (!columns || !t)
        return eval_oom(ctx, loc), false;
    for (size_t i = 0; i < nsrc; i++) {
        value *cols = deps_get_columns(ctx, srcs[i], deps_loc(srcs[i], loc));
        if (cols->kind == V_ERROR)
            return false;
        for (size_t k = 0; k < cols->u.dict->len; k++)
            if (!dict_set(ctx->arena, columns, cols->u.dict->keys[k], t))
                return eval_oom(ctx, loc), false;
    }
    value **aggs;
    size_t nagg;
    if (!api_iter(ctx, aggregations, deps_loc(aggregations, loc), &aggs, &nagg))
        return false;
    for (size_t i = 0; i < nagg; i++) {
        value *agg = aggs[i], *input, *op, *arg_map, *windows;
        src_loc at = deps_loc(agg, loc);
        ATTR(agg, "inputColumn", input, at);
        if (!input || !value_truthy(input)) {
            ATTR(agg, "operation", op, at);
            const char *op_str = group_by_op_to_str(ctx, op, at);
            if (!op_str)
                return false;
            deps_error(ctx, at, "input_column is required for all operations, found: input_column = %s and "
                                "operation %s", api_text(ctx, input), op_str);
            return false;
        }
        if (!value_hashable(input)) {
            deps_error(ctx, at, "unhashable type: '%s'", value_type_name(input));
            return false;
        }
        if (!dict_get(columns, input) && !api_eq_str(input, "ts")) {
            const char *avail = "None";
            if (column_set)
                avail = set_repr(ctx, column_set->u.dict->keys, column_set->u.dict->len);
            deps_error(ctx, at, "input_column: for aggregation is not part of the query. Available columns: %s "
                                "input_column: %s", avail ? avail : "", api_text(ctx, input));
            return false;
        }
        ATTR(agg, "operation", op, at);
        if (api_eq_int(op, OP_APPROX_PERCENTILE)) {
            ATTR(agg, "argMap", arg_map, at);
            if (!percentiles_ok(ctx, arg_map, at))
                return false;
        }
        ATTR(agg, "windows", windows, at);
        if (windows && value_truthy(windows)) {
            bool snapshot = (accuracy && value_truthy(accuracy) && api_eq_int(accuracy, ACCURACY_SNAPSHOT)) ||
                            (backfill && value_truthy(backfill));
            if (!snapshot)
                continue;
            value **ws;
            size_t nw;
            if (!api_iter(ctx, windows, deps_loc(windows, at), &ws, &nw))
                return false;
            bool hourly = false;
            for (size_t k = 0; k < nw && !hourly; k++) {
                value *unit;
                ATTR(ws[k], "timeUnit", unit, deps_loc(ws[k], at));
                hourly = api_eq_int(unit, TIME_UNIT_HOURS);
            }
            if (hourly) {
                deps_error(ctx, at,
                           "Detected a snapshot accuracy group by with an hourly aggregation. Resolution with "
                           "snapshot accuracy is not fine enough to allow hourly group bys. Consider removing the "
                           "`backfill start date` param if set or adjusting the aggregation window. input_column: "
                           "%s, windows: %s",
                           api_text(ctx, input), py_repr(ctx, windows));
                return false;
            }
        }
    }
    return true;
}

bool group_by_validate(eval_ctx *ctx, value *group_by, src_loc loc)
{
    size_t before = ctx->diags->len;
    if (validate(ctx, group_by, loc, false, NULL))
        return true;
    note_call_site(ctx, before, loc, "while validating the GroupBy used here");
    return false;
}

/* ---- Aggregation, Aggregations, DefaultAggregation ---- */

/* Aggregation(...) after binding; op_at locates the operation argument. */
static value *make_aggregation(eval_ctx *ctx, value *input, value *op, value *windows, value *buckets,
                               value *tags, value *element_wise, src_loc loc, src_loc op_at)
{
    op = api_opt(op);
    if (!op && !(op = v_int(ctx->arena, OP_LAST, loc)))
        return eval_oom(ctx, loc);
    value *arg_map = v_dict(ctx->arena, loc);
    if (!arg_map)
        return eval_oom(ctx, loc);
    if (op->kind == V_TUPLE) {
        if (op->u.list.len < 2)
            return deps_error(ctx, op_at, "tuple index out of range");
        arg_map = op->u.list.items[1];
        op = op->u.list.items[0];
    }
    if (op->kind == V_BUILTIN || op->kind == V_FUNCTION) {
        /* Python stores the function and fails later, when writing the config */
        const char *name = op->kind == V_BUILTIN ? op->u.builtin.def->name : op->u.fn->name;
        return deps_error(ctx, op_at,
                          "the operation is a function (%s), not an Operation: call it with its arguments, "
                          "e.g. Operation.LAST_K(10); Chronon fails with \"'<' not supported between instances of "
                          "'function' and 'int'\" when writing it",
                          name);
    }
    if (api_eq_int(op, OP_UNIQUE_COUNT))
        diag_add(ctx->diags, DIAG_WARNING, op_at,
                 "When using UNIQUE_COUNT operation, please consider using BOUNDED_UNIQUE_COUNT_K or "
                 "APPROX_UNIQUE_COUNT for better performance and scalability.");
    else if (api_eq_int(op, OP_HISTOGRAM))
        diag_add(ctx->diags, DIAG_WARNING, op_at,
                 "When using HISTOGRAM operation, please consider using APPROX_HISTOGRAM_K for better performance "
                 "and bounded memory usage.");
    value *agg = thrift_new(ctx, &chronon_Aggregation_desc, loc);
    if (agg->kind == V_ERROR)
        return agg;
    obj_set(agg, "inputColumn", input);
    obj_set(agg, "operation", op);
    obj_set(agg, "argMap", arg_map);
    obj_set(agg, "windows", windows);
    obj_set(agg, "buckets", buckets);
    obj_set(agg, "elementWise", element_wise);
    value *t = tags ? tags : v_none(ctx->arena, loc);
    if (!t || !obj_set_extra(ctx->arena, agg, "tags", t))
        return eval_oom(ctx, loc);
    return agg;
}

static const param_spec aggregation_params[] = {
    {"input_column", P_OPTIONAL}, {"operation", P_OPTIONAL}, {"windows", P_OPTIONAL},
    {"buckets", P_OPTIONAL},      {"tags", P_OPTIONAL},      {"element_wise", P_OPTIONAL},
};

BUILTIN(g_aggregation)
{
    UNUSED_SELF;
    value *a[6];
    if (!bind_args(ctx, def->name, aggregation_params, 6, args, loc, a))
        return v_error(ctx->arena);
    return make_aggregation(ctx, a[0], a[1], a[2], a[3], a[4], a[5], loc,
                            api_arg_loc(args, aggregation_params, 1, loc));
}

BUILTIN(g_aggregations)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"agg_dict", P_KWARGS}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    dict *d = a[0]->u.dict;
    for (size_t i = 0; i < d->len; i++)
        if (!api_is(d->values[i], &chronon_Aggregation_desc)) {
            /* Python: an AssertionError with no message */
            src_loc at = loc;
            for (size_t k = 0; k < args->nkeywords; k++)
                if (strcmp(args->names[k], d->keys[i]->u.str.data) == 0)
                    at = args->keyword_loc[k];
            return deps_error(ctx, at, "Aggregations() takes Aggregation objects; '%s' is a %s",
                              d->keys[i]->u.str.data, value_type_name(d->values[i]));
        }
    value *out = v_list(ctx->arena, V_LIST, d->len + 1, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < d->len; i++) {
        value *agg = d->values[i], *input = obj_get(agg, "inputColumn");
        if (!input || !value_truthy(input))
            obj_set(agg, "inputColumn", d->keys[i]);
        out->u.list.items[out->u.list.len++] = agg;
    }
    return out;
}

BUILTIN(g_default_aggregation)
{
    UNUSED_SELF;
    static const param_spec p[] = {
        {"keys", P_REQUIRED}, {"sources", P_REQUIRED}, {"operation", P_OPTIONAL}, {"tags", P_OPTIONAL}};
    value *a[4];
    if (!bind_args(ctx, def->name, p, 4, args, loc, a))
        return v_error(ctx->arena);
    value *op = a[2];
    if (!op && !(op = v_int(ctx->arena, OP_LAST, loc)))
        return eval_oom(ctx, loc);
    src_loc op_at = api_arg_loc(args, p, 2, loc), src_at = api_arg_loc(args, p, 1, loc);
    value **srcs, *columns = v_list(ctx->arena, V_LIST, 0, loc);
    size_t n;
    if (!columns)
        return eval_oom(ctx, loc);
    if (!api_iter(ctx, a[1], src_at, &srcs, &n))
        return v_error(ctx->arena);
    for (size_t i = 0; i < n; i++) {
        src_loc at = deps_loc(srcs[i], src_at);
        value *query = deps_get_query(ctx, srcs[i], at), *time_column, *non_agg;
        if (query->kind == V_ERROR)
            return query;
        value *cols = deps_get_columns(ctx, srcs[i], at);
        if (cols->kind == V_ERROR)
            return cols;
        if (!deps_attr(ctx, query, "timeColumn", at, &time_column) ||
            !concat_keys(ctx, a[0], api_arg_loc(args, p, 0, loc), &non_agg))
            return v_error(ctx->arena);
        static const char *const reserved[] = {"ts", "is_before", "mutation_ts", "ds"};
        for (size_t k = 0; k < 4; k++) {
            value *s = v_cstr(ctx->arena, reserved[k], loc);
            if (!s || !v_list_push(ctx->arena, non_agg, s))
                return eval_oom(ctx, loc);
        }
        value *tc = time_column ? time_column : v_none(ctx->arena, loc);
        if (!tc || !v_list_push(ctx->arena, non_agg, tc))
            return eval_oom(ctx, loc);
        for (size_t k = 0; k < cols->u.dict->len; k++)
            if (!list_has(non_agg, cols->u.dict->keys[k]) &&
                !v_list_push(ctx->arena, columns, cols->u.dict->keys[k]))
                return eval_oom(ctx, loc);
    }
    value *out = v_list(ctx->arena, V_LIST, columns->u.list.len + 1, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < columns->u.list.len; i++) {
        value *agg = make_aggregation(ctx, columns->u.list.items[i], op, NULL, NULL, a[3], NULL, loc, op_at);
        if (agg->kind == V_ERROR)
            return agg;
        out->u.list.items[out->u.list.len++] = agg;
    }
    return out;
}

/* ---- GroupBy ---- */

enum {
    GB_SOURCES, GB_KEYS, GB_AGGREGATIONS, GB_ONLINE, GB_PRODUCTION, GB_BACKFILL_START_DATE, GB_DEPENDENCIES,
    GB_ENV, GB_TABLE_PROPERTIES, GB_OUTPUT_NAMESPACE, GB_ACCURACY, GB_LAG, GB_OFFLINE_SCHEDULE,
    GB_UPLOAD_SCHEDULE, GB_NAME, GB_TAGS, GB_DERIVATIONS, GB_HISTORICAL_BACKFILL, GB_DEPRECATION_DATE,
    GB_DESCRIPTION, GB_IS_INCREMENTAL, GB_KWARGS, GB_NPARAMS
};

static const param_spec group_by_params[GB_NPARAMS] = {
    {"sources", P_REQUIRED},
    {"keys", P_REQUIRED},
    {"aggregations", P_REQUIRED},
    {"online", P_OPTIONAL},
    {"production", P_OPTIONAL},
    {"backfill_start_date", P_OPTIONAL},
    {"dependencies", P_OPTIONAL},
    {"env", P_OPTIONAL},
    {"table_properties", P_OPTIONAL},
    {"output_namespace", P_OPTIONAL},
    {"accuracy", P_OPTIONAL},
    {"lag", P_OPTIONAL},
    {"offline_schedule", P_OPTIONAL},
    {"upload_schedule", P_OPTIONAL},
    {"name", P_OPTIONAL},
    {"tags", P_OPTIONAL},
    {"derivations", P_OPTIONAL},
    {"historical_backfill", P_OPTIONAL},
    {"deprecation_date", P_OPTIONAL},
    {"description", P_OPTIONAL},
    {"is_incremental", P_OPTIONAL},
    {"kwargs", P_KWARGS},
};

/* ttypes.Source wrapping a bare EventSource / EntitySource / JoinSource
 * (the inner object is shared); a Source as is; NULL after an error. */
static value *normalize_source(eval_ctx *ctx, value *src, src_loc at)
{
    const char *field = NULL;
    if (src->kind == V_ERROR)
        return NULL;
    if (api_is(src, &chronon_Source_desc))
        return src;
    if (api_is(src, &chronon_EventSource_desc))
        field = "events";
    else if (api_is(src, &chronon_EntitySource_desc))
        field = "entities";
    else if (api_is(src, &chronon_JoinSource_desc))
        field = "joinSource";
    if (!field) {
        /* Python logs "unrecognized <src>" and then fails on None.entities */
        deps_error(ctx, at,
                   "unrecognized %s: a GroupBy source must be a Source, EventSource, EntitySource or JoinSource "
                   "('NoneType' object has no attribute 'entities')",
                   api_text(ctx, src));
        return NULL;
    }
    value *s = thrift_new(ctx, &chronon_Source_desc, deps_loc(src, at));
    if (s->kind == V_ERROR)
        return NULL;
    obj_set(s, field, src);
    return s;
}

/* _sanitize_columns: add the required columns to the source's query and move
 * `ts` to timeColumn, in place. */
static bool sanitize_columns(eval_ctx *ctx, value *src, value *required, src_loc at)
{
    value *ent, *ev, *js, *query, *selects, *time_column;
    ATTR(src, "entities", ent, at);
    if (ent)
        ATTR(ent, "query", query, at);
    else {
        ATTR(src, "events", ev, at);
        if (ev)
            ATTR(ev, "query", query, at);
        else {
            ATTR(src, "joinSource", js, at);
            ATTR(js, "query", query, at);
        }
    }
    ATTR(query, "selects", selects, at);
    src_loc qat = deps_loc(query, at);
    if (!selects) {
        if (!(selects = v_dict(ctx->arena, qat)))
            return eval_oom(ctx, at), false;
        arena_note_store(ctx->arena, query->u.obj);
        obj_set(query, "selects", selects);
    }
    if (selects->kind != V_DICT) {
        deps_error(ctx, deps_loc(selects, qat), "Query selects must be a dict of column name to expression, got %s",
                   value_type_name(selects));
        return false;
    }
    dict *d = selects->u.dict;
    for (size_t i = 0; i < required->u.list.len; i++) {
        value *col = required->u.list.items[i];
        if (!value_hashable(col)) {
            deps_error(ctx, deps_loc(col, at), "unhashable type: '%s'", value_type_name(col));
            return false;
        }
        if (!dict_get(d, col) && !dict_set(ctx->arena, d, col, col))
            return eval_oom(ctx, at), false;
    }
    value *ts = dict_get_str(d, "ts");
    if (!ts)
        return true;
    value key = {.kind = V_STR};
    key.u.str.data = "ts";
    key.u.str.len = 2;
    if (!dict_remove(ctx->arena, d, &key))
        return eval_oom(ctx, at), false;
    ATTR(query, "timeColumn", time_column, at);
    if (!time_column) {
        arena_note_store(ctx->arena, query->u.obj);
        obj_set(query, "timeColumn", ts);
        time_column = api_opt(ts);
    }
    value none = {.kind = V_NONE};
    if (!value_equal(time_column ? time_column : &none, ts)) {
        deps_error(ctx, qat,
                   "mismatched `ts`: %s and `timeColumn`: %s in source {source}. Please specify only the "
                   "`timeColumn`",
                   api_text(ctx, ts), api_text(ctx, time_column));
        return false;
    }
    return true;
}

static value *group_by_call(eval_ctx *ctx, const builtin *def, call_args *args, src_loc loc)
{
    value *a[GB_NPARAMS];
    const param_spec *p = group_by_params;
    if (!bind_args(ctx, def->name, p, GB_NPARAMS, args, loc, a))
        return v_error(ctx->arena);
    value *sources = a[GB_SOURCES], *keys = a[GB_KEYS], *aggregations = api_opt(a[GB_AGGREGATIONS]);
    src_loc sources_at = api_arg_loc(args, p, GB_SOURCES, loc);
    /* 1, 2 */
    if (!value_truthy(sources))
        return deps_error(ctx, sources_at, "Sources are not specified");
    if (api_opt(a[GB_HISTORICAL_BACKFILL]) && !api_opt(a[GB_BACKFILL_START_DATE]))
        return deps_error(ctx, api_arg_loc(args, p, GB_HISTORICAL_BACKFILL, loc),
                          "historical_backfill can only be set when backfill_start_date is specified.");
    /* 3: required_columns = keys + [agg.inputColumn ...] */
    value **aggs = NULL, *required;
    size_t nagg = 0;
    if (aggregations) {
        if (!api_iter(ctx, aggregations, api_arg_loc(args, p, GB_AGGREGATIONS, loc), &aggs, &nagg))
            return v_error(ctx->arena);
        for (size_t i = 0; i < nagg; i++) {
            value *input;
            if (!deps_attr(ctx, aggs[i], "inputColumn", deps_loc(aggs[i], api_arg_loc(args, p, GB_AGGREGATIONS, loc)),
                           &input))
                return v_error(ctx->arena);
        }
    }
    if (!concat_keys(ctx, keys, api_arg_loc(args, p, GB_KEYS, loc), &required))
        return v_error(ctx->arena);
    for (size_t i = 0; i < nagg; i++) {
        value *input = obj_get(aggs[i], "inputColumn");
        if (!input && !(input = v_none(ctx->arena, aggs[i]->loc)))
            return eval_oom(ctx, loc);
        if (!v_list_push(ctx->arena, required, input))
            return eval_oom(ctx, loc);
    }
    /* 4, 5: normalize and sanitize every source */
    value **given = &sources;
    size_t ngiven = 1;
    if (sources->kind == V_LIST) {
        given = sources->u.list.items;
        ngiven = sources->u.list.len;
    }
    value *srcs = v_list(ctx->arena, V_LIST, ngiven + 1, loc);
    if (!srcs)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < ngiven; i++) {
        src_loc at = sources->kind == V_LIST ? deps_loc(given[i], sources_at) : sources_at;
        value *s = normalize_source(ctx, given[i], at);
        if (!s || !sanitize_columns(ctx, s, required, at))
            return v_error(ctx->arena);
        srcs->u.list.items[srcs->u.list.len++] = s;
    }
    /* 6: dependencies, source by source, no de-duplication */
    value *lag = a[GB_LAG] ? a[GB_LAG] : v_int(ctx->arena, 0, loc);
    value *deps = v_list(ctx->arena, V_LIST, 0, loc);
    if (!lag || !deps)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < srcs->u.list.len; i++) {
        value *d = deps_for_source(ctx, srcs->u.list.items[i], a[GB_DEPENDENCIES], lag,
                                   deps_loc(srcs->u.list.items[i], sources_at));
        if (d->kind == V_ERROR)
            return d;
        if (!api_extend(ctx, deps, d, loc))
            return v_error(ctx->arena);
    }
    /* 7: customJson starts with the extra keywords, then lag */
    dict *custom = a[GB_KWARGS]->u.dict;
    if (!dict_set_str(ctx->arena, custom, "lag", lag, loc))
        return eval_oom(ctx, loc);
    /* 8 */
    const char *team = current_team(ctx);
    /* 9: column_tags */
    value *column_tags = v_dict(ctx->arena, loc);
    if (!column_tags)
        return eval_oom(ctx, loc);
    if (aggregations && value_truthy(aggregations))
        for (size_t i = 0; i < nagg; i++) {
            value *tags = obj_get_extra(aggs[i], "tags");
            if (!tags || !value_truthy(tags))
                continue;
            value *names = group_by_output_col_names(ctx, aggs[i], loc);
            if (names->kind == V_ERROR)
                return names;
            for (size_t k = 0; k < names->u.list.len; k++)
                if (!dict_set(ctx->arena, column_tags->u.dict, names->u.list.items[k], tags))
                    return eval_oom(ctx, loc);
        }
    /* 10 */
    value *tags = a[GB_TAGS] ? a[GB_TAGS] : v_none(ctx->arena, loc);
    if (!tags || !dict_set_str(ctx->arena, custom, "groupby_tags", tags, loc) ||
        !dict_set_str(ctx->arena, custom, "column_tags", column_tags, loc))
        return eval_oom(ctx, loc);
    value *upload = a[GB_UPLOAD_SCHEDULE];
    if (upload && !api_eq_str(upload, "@daily") && !dict_set_str(ctx->arena, custom, "uploadSchedule", upload, loc))
        return eval_oom(ctx, loc);
    /* 11: customJson text; on failure, point at the keyword that holds the bad value */
    value custom_v = {.kind = V_DICT, .loc = loc};
    custom_v.u.dict = custom;
    tj_buf probe = {0};
    const char *bad = NULL;
    bool json_ok = value_to_pyjson(&probe, &custom_v, &bad);
    tj_buf_free(&probe);
    if (!json_ok) {
        src_loc at = loc;
        for (size_t i = 0; i < custom->len; i++) {
            tj_buf b = {0};
            const char *bad_here = NULL;
            bool ok = value_to_pyjson(&b, custom->values[i], &bad_here);
            tj_buf_free(&b);
            if (ok)
                continue;
            const char *k = custom->keys[i]->u.str.data;
            if (strcmp(k, "groupby_tags") == 0 && a[GB_TAGS])
                at = api_arg_loc(args, p, GB_TAGS, loc);
            else if (strcmp(k, "lag") == 0)
                at = api_arg_loc(args, p, GB_LAG, loc);
            else if (strcmp(k, "uploadSchedule") == 0 && upload && !api_eq_str(upload, "@daily"))
                at = api_arg_loc(args, p, GB_UPLOAD_SCHEDULE, loc);
            else
                for (size_t n = 0; n < args->nkeywords; n++)
                    if (strcmp(args->names[n], k) == 0)
                        at = args->keyword_loc[n];
            break;
        }
        return deps_error(ctx, at, "Object of type %s is not JSON serializable", bad ? bad : "object");
    }
    value *custom_json = api_pyjson(ctx, &custom_v, loc);
    if (custom_json->kind == V_ERROR)
        return custom_json;

    value *md = thrift_new(ctx, &chronon_MetaData_desc, loc);
    if (md->kind == V_ERROR)
        return md;
    value *team_v = api_str(ctx, team ? team : "", loc);
    value *offline = a[GB_OFFLINE_SCHEDULE] ? a[GB_OFFLINE_SCHEDULE] : api_str(ctx, "@daily", loc);
    if (team_v->kind == V_ERROR || offline->kind == V_ERROR)
        return v_error(ctx->arena);
    obj_set(md, "name", a[GB_NAME]);
    obj_set(md, "online", a[GB_ONLINE]);
    obj_set(md, "production", a[GB_PRODUCTION]);
    obj_set(md, "outputNamespace", a[GB_OUTPUT_NAMESPACE]);
    obj_set(md, "customJson", custom_json);
    obj_set(md, "dependencies", deps);
    obj_set(md, "modeToEnvMap", a[GB_ENV]);
    obj_set(md, "tableProperties", a[GB_TABLE_PROPERTIES]);
    obj_set(md, "team", team_v);
    obj_set(md, "offlineSchedule", offline);
    obj_set(md, "historicalBackfill", a[GB_HISTORICAL_BACKFILL]);
    obj_set(md, "deprecationDate", a[GB_DEPRECATION_DATE]);
    obj_set(md, "description", a[GB_DESCRIPTION]);

    value *gb = thrift_new(ctx, &chronon_GroupBy_desc, loc);
    if (gb->kind == V_ERROR)
        return gb;
    if (!obj_set_made_by(ctx->arena, gb, args)) /* before E_CALL does: validate() points at arguments */
        return eval_oom(ctx, loc);
    obj_set(gb, "sources", srcs);
    obj_set(gb, "keyColumns", keys);
    obj_set(gb, "aggregations", aggregations);
    obj_set(gb, "metaData", md);
    obj_set(gb, "backfillStartDate", a[GB_BACKFILL_START_DATE]);
    obj_set(gb, "accuracy", a[GB_ACCURACY]);
    obj_set(gb, "derivations", a[GB_DERIVATIONS]);
    obj_set(gb, "isIncremental", a[GB_IS_INCREMENTAL]);
    /* 12 */
    if (!validate(ctx, gb, loc, true, dict_get_str(custom, "uploadSchedule")))
        return v_error(ctx->arena);
    return gb;
}

BUILTIN(g_group_by)
{
    (void)self;
    size_t before = ctx->diags->len;
    value *gb = group_by_call(ctx, def, args, loc);
    if (gb->kind == V_ERROR)
        note_call_site(ctx, before, loc, "in this GroupBy");
    return gb;
}

/* ---- Window, Derivation and the small helpers ---- */

/* Derivation(name, expression, description): join.Derivation is the same */
value *group_by_derivation(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"name", P_REQUIRED}, {"expression", P_REQUIRED}, {"description", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, def->name, p, 3, args, loc, a))
        return v_error(ctx->arena);
    value *d = thrift_new(ctx, &chronon_Derivation_desc, loc);
    if (d->kind == V_ERROR)
        return d;
    obj_set(d, "name", a[0]);
    obj_set(d, "expression", a[1]);
    if (a[2] && value_truthy(a[2])) {
        value *md = thrift_new(ctx, &chronon_MetaData_desc, loc);
        if (md->kind == V_ERROR)
            return md;
        obj_set(md, "description", a[2]);
        obj_set(d, "metaData", md);
    }
    return d;
}

BUILTIN(g_op_to_str)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"operation", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    const char *s = group_by_op_to_str(ctx, a[0], deps_loc(a[0], loc));
    return s ? api_str(ctx, s, loc) : v_error(ctx->arena);
}

BUILTIN(g_window_to_str_pretty)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"window", P_REQUIRED}};
    value *a[1], *unit, *length;
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    if (!deps_attr(ctx, a[0], "timeUnit", loc, &unit))
        return v_error(ctx->arena);
    const char *u = unit_name(ctx, unit, loc);
    if (!u || !deps_attr(ctx, a[0], "length", loc, &length))
        return v_error(ctx->arena);
    char *s = arena_sprintf(ctx->arena, "%s %s", api_text(ctx, length), u);
    return s ? api_str(ctx, s, loc) : eval_oom(ctx, loc);
}

BUILTIN(g_contains_windowed_aggregation)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"aggregations", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    int r = windowed_aggregation(ctx, api_opt(a[0]), loc);
    return r < 0 ? v_error(ctx->arena) : api_bool(ctx, r == 1, loc);
}

BUILTIN(g_validate_group_by)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"group_by", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    return group_by_validate(ctx, a[0], loc) ? api_none(ctx, loc) : v_error(ctx->arena);
}

/* ---- collectors: Operation.LAST_K(k) and friends ---- */

/* lambda k: (op, {"k": str(k)}); self is op. */
BUILTIN(g_k_collector)
{
    static const param_spec p[] = {{"k", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    value *k = value_to_str(ctx, a[0], loc);
    if (k->kind == V_ERROR)
        return k;
    value *d = v_dict(ctx->arena, loc);
    if (!d || !dict_set_str(ctx->arena, d->u.dict, "k", k, loc))
        return eval_oom(ctx, loc);
    return api_tuple(ctx, (value *[]){self, d}, 2, loc);
}

/* collector(op) makes an anonymous function; the holder's attributes carry
 * their own names so that argument errors say which one was called. */
static const builtin k_collector_def = {"<lambda>", g_k_collector, NULL};
static const builtin k_collector_named[] = {
    {"Operation.APPROX_UNIQUE_COUNT_LGK", g_k_collector, NULL},
    {"Operation.BOUNDED_UNIQUE_COUNT_K", g_k_collector, NULL},
    {"Operation.HISTOGRAM_K", g_k_collector, NULL},
    {"Operation.APPROX_HISTOGRAM_K", g_k_collector, NULL},
    {"Operation.FIRST_K", g_k_collector, NULL},
    {"Operation.LAST_K", g_k_collector, NULL},
    {"Operation.TOP_K", g_k_collector, NULL},
    {"Operation.BOTTOM_K", g_k_collector, NULL},
};

/* generic_collector's _collector(*args, **other_args); self is the tuple
 * (op, required names, defaults). */
BUILTIN(g_generic_collector_call)
{
    static const param_spec p[] = {{"args", P_VARARGS}, {"other_args", P_KWARGS}};
    value *a[2];
    if (!bind_args(ctx, def->name, p, 2, args, loc, a))
        return v_error(ctx->arena);
    value *op = self->u.list.items[0], *required = self->u.list.items[1], *defaults = self->u.list.items[2];
    value *arguments = v_dict(ctx->arena, loc);
    if (!arguments)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < defaults->u.dict->len; i++)
        if (!dict_set(ctx->arena, arguments->u.dict, defaults->u.dict->keys[i], defaults->u.dict->values[i]))
            return eval_oom(ctx, loc);
    value **names;
    size_t n;
    if (!api_iter(ctx, required, loc, &names, &n))
        return v_error(ctx->arena);
    for (size_t i = 0; i < n; i++) {
        if (i >= a[0]->u.list.len)
            return deps_error(ctx, loc, "tuple index out of range");
        if (!value_hashable(names[i]))
            return deps_error(ctx, loc, "unhashable type: '%s'", value_type_name(names[i]));
        if (!dict_set(ctx->arena, arguments->u.dict, names[i], a[0]->u.list.items[i]))
            return eval_oom(ctx, loc);
    }
    dict *other = a[1]->u.dict;
    for (size_t i = 0; i < other->len; i++)
        if (!dict_set(ctx->arena, arguments->u.dict, other->keys[i], other->values[i]))
            return eval_oom(ctx, loc);
    for (size_t i = 0; i < arguments->u.dict->len; i++) {
        value *s = value_to_str(ctx, arguments->u.dict->values[i], loc);
        if (s->kind == V_ERROR)
            return s;
        arguments->u.dict->values[i] = s;
    }
    return api_tuple(ctx, (value *[]){op, arguments}, 2, loc);
}

static const builtin generic_collector_def = {"_collector", g_generic_collector_call, NULL};

BUILTIN(g_collector)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"op", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    return OOM_IF_NULL(v_builtin(ctx->arena, &k_collector_def, a[0], loc));
}

static value *make_generic_collector(eval_ctx *ctx, value *op, value *required, value *defaults, src_loc loc)
{
    value *t = api_tuple(ctx, (value *[]){op, required, defaults}, 3, loc);
    return IS_ERR(t) ? t : OOM_IF_NULL(v_builtin(ctx->arena, &generic_collector_def, t, loc));
}

BUILTIN(g_generic_collector)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"op", P_REQUIRED}, {"required", P_REQUIRED}, {"kwargs", P_KWARGS}};
    value *a[3];
    if (!bind_args(ctx, def->name, p, 3, args, loc, a))
        return v_error(ctx->arena);
    return make_generic_collector(ctx, a[0], a[1], a[2], loc);
}

/* ---- LOGGER: the root logger; its messages affect no output ---- */

BUILTIN(g_log_quiet)
{
    UNUSED_SELF;
    (void)args;
    return api_none(ctx, loc);
}

BUILTIN(g_log_warning)
{
    UNUSED_SELF;
    if (args->npositional)
        diag_add(ctx->diags, DIAG_WARNING, loc, "%s", api_text(ctx, args->positional[0]));
    return api_none(ctx, loc);
}

static const builtin logger_defs[] = {
    {"debug", g_log_quiet, NULL},       {"info", g_log_quiet, NULL},      {"log", g_log_quiet, NULL},
    {"warning", g_log_warning, NULL},   {"warn", g_log_warning, NULL},    {"error", g_log_warning, NULL},
    {"exception", g_log_warning, NULL}, {"critical", g_log_warning, NULL},
};

/* ---- the module ---- */

static const builtin group_by_defs[] = {
    {"collector", g_collector, NULL},
    {"generic_collector", g_generic_collector, NULL},
    {"Aggregations", g_aggregations, NULL},
    {"DefaultAggregation", g_default_aggregation, NULL},
    {"window_to_str_pretty", g_window_to_str_pretty, NULL},
    {"op_to_str", g_op_to_str, NULL},
    {"Aggregation", g_aggregation, NULL},
    API_STRUCT("Window", &chronon_Window_desc, {"length", P_REQUIRED, "length"}, {"timeUnit", P_REQUIRED, "timeUnit"}),
    {"Derivation", group_by_derivation, NULL},
    {"contains_windowed_aggregation", g_contains_windowed_aggregation, NULL},
    {"validate_group_by", g_validate_group_by, NULL},
    API_UNARY("get_output_col_names", "aggregation", group_by_output_col_names),
    {"GroupBy", g_group_by, NULL},
};

static bool set_int(eval_ctx *ctx, module *m, const char *name, int64_t n)
{
    src_loc none = {0};
    return api_set_attr(ctx, m, name, v_int(ctx->arena, n, none));
}

/* An enum's ints, as the members of a holder class. */
static bool enum_members(eval_ctx *ctx, module *ns, const tj_enum_desc *e)
{
    for (size_t i = 0; i < e->count; i++)
        if (!set_int(ctx, ns, e->values[i].name, e->values[i].value))
            return false;
    return true;
}

static bool k_collector_attr(eval_ctx *ctx, module *ns, const char *name, int64_t op)
{
    src_loc none = {0};
    value *o = v_int(ctx->arena, op, none);
    const builtin *def = &k_collector_def;
    for (size_t i = 0; i < sizeof k_collector_named / sizeof k_collector_named[0]; i++)
        if (strcmp(k_collector_named[i].name + strlen("Operation."), name) == 0)
            def = &k_collector_named[i];
    return o && api_set_attr(ctx, ns, name, v_builtin(ctx->arena, def, o, none));
}

static bool operation_holder(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    module *ns = api_namespace(ctx, m, "Operation");
    if (!ns)
        return false;
    /* in class-body order */
    static const struct { const char *name; int64_t op; bool collector; } members[] = {
        {"MIN", 0, false},        {"MAX", 1, false},
        {"FIRST", 2, false},      {"LAST", 3, false},
        {"APPROX_UNIQUE_COUNT", 5, false}, {"APPROX_UNIQUE_COUNT_LGK", 5, true},
        {"UNIQUE_COUNT", 4, false}, {"BOUNDED_UNIQUE_COUNT_K", 19, true},
        {"COUNT", 6, false},      {"SUM", 7, false},
        {"AVERAGE", 8, false},    {"VARIANCE", 9, false},
        {"SKEW", 10, false},      {"KURTOSIS", 11, false},
        {"HISTOGRAM", 17, false}, {"HISTOGRAM_K", 17, true},
        {"APPROX_HISTOGRAM_K", 18, true}, {"FIRST_K", 14, true},
        {"LAST_K", 13, true},     {"TOP_K", 15, true},
        {"BOTTOM_K", 16, true},
    };
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
        if (!(members[i].collector ? k_collector_attr(ctx, ns, members[i].name, members[i].op)
                                   : set_int(ctx, ns, members[i].name, members[i].op)))
            return false;
    /* APPROX_PERCENTILE = generic_collector(APPROX_PERCENTILE, ["percentiles"], k=128) */
    value *op = v_int(ctx->arena, OP_APPROX_PERCENTILE, none), *req = v_list(ctx->arena, V_LIST, 1, none);
    value *pname = v_cstr(ctx->arena, "percentiles", none), *defaults = v_dict(ctx->arena, none);
    value *k = v_int(ctx->arena, 128, none);
    if (!op || !req || !pname || !defaults || !k || !v_list_push(ctx->arena, req, pname) ||
        !dict_set_str(ctx->arena, defaults->u.dict, "k", k, none))
        return false;
    value *coll = make_generic_collector(ctx, op, req, defaults, none);
    return coll->kind != V_ERROR && api_set_attr(ctx, ns, "APPROX_PERCENTILE", coll);
}

bool api_group_by_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    if (!api_def_all(ctx, m, group_by_defs, NPARAMS(group_by_defs)) || !operation_holder(ctx, m))
        return false;
    module *tu = api_namespace(ctx, m, "TimeUnit"), *acc = api_namespace(ctx, m, "Accuracy");
    if (!tu || !acc || !enum_members(ctx, tu, &chronon_TimeUnit_desc) ||
        !enum_members(ctx, acc, &chronon_Accuracy_desc))
        return false;
    /* Accuracy subclasses ttypes.Accuracy: its name tables come along */
    value *v2n = v_dict(ctx->arena, none), *n2v = v_dict(ctx->arena, none);
    if (!v2n || !n2v)
        return false;
    for (size_t i = 0; i < chronon_Accuracy_desc.count; i++) {
        value *iv = v_int(ctx->arena, chronon_Accuracy_desc.values[i].value, none);
        value *sv = v_cstr(ctx->arena, chronon_Accuracy_desc.values[i].name, none);
        if (!iv || !sv || !dict_set(ctx->arena, v2n->u.dict, iv, sv) || !dict_set(ctx->arena, n2v->u.dict, sv, iv))
            return false;
    }
    if (!api_set_attr(ctx, acc, "_VALUES_TO_NAMES", v2n) || !api_set_attr(ctx, acc, "_NAMES_TO_VALUES", n2v))
        return false;
    module *logger = api_namespace(ctx, m, "LOGGER");
    if (!logger)
        return false;
    logger->name = "root";
    if (!api_def_all(ctx, logger, logger_defs, NPARAMS(logger_defs)))
        return false;
    value *schedules = v_list(ctx->arena, V_TUPLE, 4, none);
    if (!schedules)
        return false;
    for (size_t i = 0; i < 4; i++) {
        value *s = v_cstr(ctx->arena, upload_schedules[i], none);
        if (!s || !v_list_push(ctx->arena, schedules, s))
            return false;
    }
    value *int_type = ctx->builtins ? dict_get_str(ctx->builtins->attrs, "int") : NULL;
    return api_set_attr(ctx, m, "DEFAULT_ONLINE", v_none(ctx->arena, none)) &&
           api_set_attr(ctx, m, "DEFAULT_PRODUCTION", v_none(ctx->arena, none)) &&
           api_set_attr(ctx, m, "UPLOAD_SCHEDULE_KEY", v_cstr(ctx->arena, "uploadSchedule", none)) &&
           api_set_attr(ctx, m, "DEFAULT_UPLOAD_SCHEDULE", v_cstr(ctx->arena, "@daily", none)) &&
           api_set_attr(ctx, m, "UPLOAD_SCHEDULES", schedules) &&
           (!int_type || api_set_attr(ctx, m, "OperationType", int_type));
}
