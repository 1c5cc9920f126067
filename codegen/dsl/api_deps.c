/* Dependency strings and source inspection of ai.chronon.utils
 * (python-api.md §11, §12.1, §12.5). See api_deps.h. */
#include "api_deps.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "api_tables.h"
#include "chronon_api.h"
#include "repo.h"

#define BUILTIN(name) \
    static value *name(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
#define UNUSED_SELF ((void)self, (void)def)
#define OOM_IF_NULL(v) ((v) ? (v) : eval_oom(ctx, loc))

/* ---- small Python helpers ---- */

value *deps_error(eval_ctx *ctx, src_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = n < 0 ? NULL : arena_alloc(ctx->arena, (size_t)n + 1);
    if (!msg)
        return eval_oom(ctx, loc);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    diag_error(ctx->diags, loc, "%s", msg);
    return v_error(ctx->arena);
}

src_loc deps_loc(const value *v, src_loc fallback)
{
    return v && v->loc.file ? v->loc : fallback;
}

/* A Python None argument is the same as an absent one. */
static value *opt(value *v) { return v && v->kind != V_NONE ? v : NULL; }

bool deps_attr(eval_ctx *ctx, const value *obj, const char *name, src_loc loc, value **out)
{
    *out = NULL;
    if (obj && obj->kind == V_ERROR)
        return false;
    if (obj && obj->kind == V_OBJECT && object_field(obj->u.obj, name)) {
        *out = obj_get(obj, name);
        return true;
    }
    if (obj && obj->kind == V_OBJECT) {
        value *extra = obj_get_extra(obj, name);
        if (extra) {
            *out = extra->kind == V_NONE ? NULL : extra;
            return true;
        }
    }
    deps_error(ctx, loc, "'%s' object has no attribute '%s'", obj ? value_type_name(obj) : "NoneType", name);
    return false;
}

bool deps_iter(eval_ctx *ctx, value *v, src_loc loc, value ***items, size_t *n)
{
    if (!v) {
        deps_error(ctx, loc, "'NoneType' object is not iterable");
        return false;
    }
    switch (v->kind) {
    case V_LIST:
    case V_TUPLE:
        *items = v->u.list.items;
        *n = v->u.list.len;
        return true;
    case V_DICT:
        *items = v->u.dict->keys;
        *n = v->u.dict->len;
        return true;
    case V_STR: {
        size_t count = utf8_length(v->u.str.data, v->u.str.len), k = 0;
        value **chars = arena_alloc(ctx->arena, (count ? count : 1) * sizeof *chars);
        if (!chars)
            return eval_oom(ctx, loc), false;
        for (size_t i = 0; i < v->u.str.len;) {
            size_t j = i + 1;
            while (j < v->u.str.len && ((unsigned char)v->u.str.data[j] & 0xC0) == 0x80)
                j++;
            if (!(chars[k++] = v_str(ctx->arena, v->u.str.data + i, j - i, v->loc)))
                return eval_oom(ctx, loc), false;
            i = j;
        }
        *items = chars;
        *n = count;
        return true;
    }
    case V_ERROR:
        return false;
    default:
        deps_error(ctx, loc, "'%s' object is not iterable", value_type_name(v));
        return false;
    }
}

value *deps_to_pyjson(eval_ctx *ctx, value *v, src_loc loc)
{
    tj_buf b = {0};
    const char *bad = "object";
    if (!value_to_pyjson(&b, v, &bad)) {
        tj_buf_free(&b);
        return deps_error(ctx, loc, "Object of type %s is not JSON serializable", bad);
    }
    if (b.failed) {
        tj_buf_free(&b);
        return eval_oom(ctx, loc);
    }
    value *s = v_str(ctx->arena, b.data ? b.data : "", b.len, loc);
    tj_buf_free(&b);
    return OOM_IF_NULL(s);
}

static value *from_json(eval_ctx *ctx, json_t *j, src_loc loc)
{
    arena *a = ctx->arena;
    switch (json_typeof(j)) {
    case JSON_NULL: return v_none(a, loc);
    case JSON_TRUE: return v_bool(a, true, loc);
    case JSON_FALSE: return v_bool(a, false, loc);
    case JSON_INTEGER: return v_int(a, json_integer_value(j), loc);
    case JSON_REAL: return v_float(a, json_real_value(j), loc);
    case JSON_STRING: return v_str(a, json_string_value(j), json_string_length(j), loc);
    case JSON_ARRAY: {
        value *l = v_list(a, V_LIST, json_array_size(j), loc);
        if (!l)
            return NULL;
        for (size_t i = 0; i < json_array_size(j); i++) {
            value *item = from_json(ctx, json_array_get(j, i), loc);
            if (!item)
                return NULL;
            l->u.list.items[l->u.list.len++] = item;
        }
        return l;
    }
    case JSON_OBJECT: {
        value *d = v_dict(a, loc);
        const char *k;
        size_t klen;
        json_t *fv;
        if (!d)
            return NULL;
        json_object_keylen_foreach(j, k, klen, fv) {
            value *key = v_str(a, k, klen, loc);
            value *val = from_json(ctx, fv, loc);
            if (!key || !val || !dict_set(a, d->u.dict, key, val))
                return NULL;
        }
        return d;
    }
    }
    return NULL;
}

value *deps_json_loads(eval_ctx *ctx, const char *text, size_t len, src_loc loc)
{
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j)
        return deps_error(ctx, loc, "JSONDecodeError: %s: line %d column %d (char %d)", err.text, err.line,
                          err.column, err.position);
    value *v = from_json(ctx, j, loc);
    json_decref(j);
    return OOM_IF_NULL(v);
}

static value *new_list(eval_ctx *ctx, src_loc loc)
{
    value *l = v_list(ctx->arena, V_LIST, 0, loc);
    return OOM_IF_NULL(l);
}

static bool push(eval_ctx *ctx, value *list, value *item, src_loc loc)
{
    if (!v_list_push(ctx->arena, list, item)) {
        eval_oom(ctx, loc);
        return false;
    }
    return true;
}

static value *none_value(eval_ctx *ctx, src_loc loc)
{
    value *v = v_none(ctx->arena, loc);
    return OOM_IF_NULL(v);
}

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
    return js ? js : none_value(ctx, loc);
}

value *deps_get_query(eval_ctx *ctx, value *src, src_loc loc)
{
    value *u = deps_underlying_source(ctx, src, loc), *q;
    if (u->kind == V_ERROR)
        return u;
    if (!deps_attr(ctx, u, "query", loc, &q))
        return v_error(ctx->arena);
    return q ? q : none_value(ctx, loc);
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

static bool is_source(const value *v) { return v && v->kind == V_OBJECT && v->u.obj->desc == &chronon_Source_desc; }

bool deps_is_streaming(const value *src)
{
    if (!is_source(src))
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
            return OOM_IF_NULL(v_bool(ctx->arena, true, loc));
    }
    if (!deps_attr(ctx, src, "events", loc, &ev))
        return v_error(ctx->arena);
    if (!ev || !value_truthy(ev))
        return ev ? ev : none_value(ctx, loc);
    if (!deps_attr(ctx, ev, "topic", loc, &topic))
        return v_error(ctx->arena);
    return OOM_IF_NULL(v_bool(ctx->arena, topic != NULL, loc));
}

static bool group_by_sources(eval_ctx *ctx, value *group_by, src_loc loc, value ***items, size_t *n)
{
    value *sources;
    if (!deps_attr(ctx, group_by, "sources", loc, &sources))
        return false;
    return deps_iter(ctx, sources, loc, items, n);
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
    return OOM_IF_NULL(v_bool(ctx->arena, any, loc));
}

value *deps_streaming_sources(eval_ctx *ctx, value *group_by, src_loc loc)
{
    value **items;
    size_t n;
    if (!group_by_sources(ctx, group_by, loc, &items, &n))
        return v_error(ctx->arena);
    value *out = new_list(ctx, loc);
    for (size_t i = 0; i < n && out->kind != V_ERROR; i++) {
        value *s = deps_is_streaming_value(ctx, items[i], deps_loc(items[i], loc));
        if (s->kind == V_ERROR)
            return s;
        if (value_truthy(s) && !push(ctx, out, items[i], loc))
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
    return topic ? topic : none_value(ctx, loc);
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

static bool is_zero(const value *lag)
{
    value zero = {.kind = V_INT};
    zero.u.i = 0;
    return !lag || value_equal(lag, &zero);
}

value *deps_wait_for_simple_schema(eval_ctx *ctx, value *table, value *lag, value *start, value *end,
                                   value *query, src_loc loc)
{
    table = opt(table);
    query = opt(query);
    if (!table || !value_truthy(table))
        return none_value(ctx, loc);
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
    bool zero = is_zero(lag);
    const char *lag_s = zero ? "" : api_py_str(ctx, lag);
    if (!lag_s)
        return eval_oom(ctx, loc);
    char *name = arena_sprintf(ctx->arena, "wait_for_%.*s_%s%s%s", (int)clean_len, t, pc, zero ? "" : "_minus_", lag_s);
    char *spec = zero ? arena_sprintf(ctx->arena, "%.*s/%s={{ ds }}%s%.*s", (int)clean_len, t, pc, sub_len ? "/" : "",
                                      (int)sub_len, sub)
                      : arena_sprintf(ctx->arena, "%.*s/%s={{ macros.ds_add(ds, -%s) }}%s%.*s", (int)clean_len, t,
                                      pc, lag_s, sub_len ? "/" : "", (int)sub_len, sub);
    value *d = v_dict(ctx->arena, loc);
    value *nv = name ? v_cstr(ctx->arena, name, loc) : NULL, *sv = spec ? v_cstr(ctx->arena, spec, loc) : NULL;
    value *none = v_none(ctx->arena, loc);
    if (!d || !nv || !sv || !none || !dict_set_str(ctx->arena, d->u.dict, "name", nv, loc) ||
        !dict_set_str(ctx->arena, d->u.dict, "spec", sv, loc) ||
        !dict_set_str(ctx->arena, d->u.dict, "start", start ? start : none, loc) ||
        !dict_set_str(ctx->arena, d->u.dict, "end", end ? end : none, loc))
        return eval_oom(ctx, loc);
    return d;
}

/* ---- §12.5 dependency helpers ---- */

/* Append json.dumps(dep) to out. */
static bool push_json(eval_ctx *ctx, value *out, value *dep, src_loc loc)
{
    if (dep->kind == V_ERROR)
        return false;
    value *s = deps_to_pyjson(ctx, dep, loc);
    return s->kind != V_ERROR && push(ctx, out, s, loc);
}

value *deps_get_dependencies(eval_ctx *ctx, value *src, value *user_deps, value *meta_data, value *lag,
                             src_loc loc)
{
    meta_data = opt(meta_data);
    value *query = deps_get_query(ctx, src, loc), *start, *end;
    if (query->kind == V_ERROR)
        return query;
    if (!deps_attr(ctx, query, "startPartition", loc, &start) || !deps_attr(ctx, query, "endPartition", loc, &end))
        return v_error(ctx->arena);
    value *out = new_list(ctx, loc);
    if (out->kind == V_ERROR)
        return out;
    if (meta_data) {
        value *deps, **items;
        size_t n;
        if (!deps_attr(ctx, meta_data, "dependencies", loc, &deps) || !deps_iter(ctx, deps, loc, &items, &n))
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
        if (!deps_iter(ctx, user_deps, deps_loc(user_deps, loc), &items, &n))
            return v_error(ctx->arena);
        for (size_t i = 0; i < n; i++) {
            value *dep = items[i];
            if (dep->kind != V_STR)
                return deps_error(ctx, deps_loc(dep, deps_loc(user_deps, loc)),
                                  "expected string or bytes-like object, got '%s'", value_type_name(dep));
            const char *name = deps_wait_for_name(ctx, dep->u.str.data, dep->u.str.len, loc);
            value *d = v_dict(ctx->arena, loc), *nv = name ? v_cstr(ctx->arena, name, loc) : NULL;
            value *none = v_none(ctx->arena, loc);
            if (!d || !nv || !none || !dict_set_str(ctx->arena, d->u.dict, "name", nv, loc) ||
                !dict_set_str(ctx->arena, d->u.dict, "spec", dep, loc) ||
                !dict_set_str(ctx->arena, d->u.dict, "start", start ? start : none, loc) ||
                !dict_set_str(ctx->arena, d->u.dict, "end", end ? end : none, loc))
                return eval_oom(ctx, loc);
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
    value *out = new_list(ctx, loc);
    if (out->kind == V_ERROR || !opt(bootstrap_parts))
        return out;
    value **items;
    size_t n;
    if (!deps_iter(ctx, bootstrap_parts, deps_loc(bootstrap_parts, loc), &items, &n))
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
    if (!deps_attr(ctx, label_part, "labels", loc, &labels) || !deps_iter(ctx, labels, loc, &items, &n))
        return v_error(ctx->arena);
    value *out = new_list(ctx, loc);
    if (out->kind == V_ERROR)
        return out;
    for (size_t i = 0; i < n; i++) {
        value *gb, *sources, *md, **srcs;
        size_t ns;
        src_loc at = deps_loc(items[i], loc);
        if (!deps_attr(ctx, items[i], "groupBy", at, &gb) || !deps_attr(ctx, gb, "sources", at, &sources) ||
            !deps_attr(ctx, gb, "metaData", at, &md) || !deps_iter(ctx, sources, at, &srcs, &ns))
            return v_error(ctx->arena);
        for (size_t k = 0; k < ns; k++) {
            value *deps = deps_get_dependencies(ctx, srcs[k], NULL, md, NULL, at);
            if (deps->kind == V_ERROR)
                return deps;
            for (size_t d = 0; d < deps->u.list.len; d++)
                if (!push(ctx, out, deps->u.list.items[d], loc))
                    return v_error(ctx->arena);
        }
    }
    value *fixed = api_str(ctx,
                           "{\"name\": \"wait_for_{{ join_backfill_table }}\", "
                           "\"spec\": \"{{ join_backfill_table }}/ds={{ ds }}\"}",
                           loc);
    if (fixed->kind == V_ERROR || !push(ctx, out, fixed, loc))
        return v_error(ctx->arena);
    return out;
}

value *deps_dedupe_in_order(eval_ctx *ctx, value *seq, src_loc loc)
{
    value **items;
    size_t n;
    if (!deps_iter(ctx, seq, deps_loc(seq, loc), &items, &n))
        return v_error(ctx->arena);
    value *out = new_list(ctx, loc);
    dict *seen = dict_new(ctx->arena);
    value *t = v_bool(ctx->arena, true, loc);
    if (out->kind == V_ERROR || !seen || !t)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < n; i++) {
        if (!value_hashable(items[i]))
            return deps_error(ctx, deps_loc(items[i], loc), "unhashable type: '%s'", value_type_name(items[i]));
        if (dict_get(seen, items[i]))
            continue;
        if (!dict_set(ctx->arena, seen, items[i], t) || !push(ctx, out, items[i], loc))
            return eval_oom(ctx, loc);
    }
    return out;
}

/* ---- the Python callables for ai.chronon.utils ---- */

static const param_spec p_source[] = {{"source", P_REQUIRED}};
static const param_spec p_group_by[] = {{"group_by", P_REQUIRED}};

BUILTIN(u_wait_for_simple_schema)
{
    UNUSED_SELF;
    static const param_spec p[] = {
        {"table", P_REQUIRED}, {"lag", P_REQUIRED}, {"start", P_REQUIRED}, {"end", P_REQUIRED}, {"query", P_OPTIONAL}};
    value *a[5];
    if (!bind_args(ctx, def->name, p, 5, args, loc, a))
        return v_error(ctx->arena);
    return deps_wait_for_simple_schema(ctx, a[0], a[1], opt(a[2]), opt(a[3]), a[4], loc);
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

BUILTIN(u_get_bootstrap_dependencies)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"bootstrap_parts", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_bootstrap_dependencies(ctx, a[0], loc);
}

BUILTIN(u_get_label_table_dependencies)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"label_part", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_label_table_dependencies(ctx, a[0], loc);
}

BUILTIN(u_dedupe_in_order)
{
    UNUSED_SELF;
    static const param_spec p[] = {{"seq", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_dedupe_in_order(ctx, a[0], loc);
}

BUILTIN(u_is_streaming)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_source, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_is_streaming_value(ctx, a[0], loc);
}

BUILTIN(u_has_topic)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_group_by, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_has_topic(ctx, a[0], loc);
}

BUILTIN(u_get_streaming_sources)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_group_by, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_streaming_sources(ctx, a[0], loc);
}

BUILTIN(u_get_underlying_source)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_source, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_underlying_source(ctx, a[0], loc);
}

BUILTIN(u_get_query)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_source, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_get_query(ctx, a[0], loc);
}

BUILTIN(u_get_table)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_source, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_get_table(ctx, a[0], loc);
}

BUILTIN(u_get_topic)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_source, 1, args, loc, a))
        return v_error(ctx->arena);
    return deps_get_topic(ctx, a[0], loc);
}

BUILTIN(u_get_columns)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, def->name, p_source, 1, args, loc, a))
        return v_error(ctx->arena);
    value *selects = deps_get_columns(ctx, a[0], loc);
    if (selects->kind == V_ERROR)
        return selects;
    /* Python gives the live keys view; a list of the keys as they are now */
    value *out = new_list(ctx, loc);
    for (size_t i = 0; out->kind != V_ERROR && i < selects->u.dict->len; i++)
        if (!push(ctx, out, selects->u.dict->keys[i], loc))
            return v_error(ctx->arena);
    return out;
}

const builtin deps_utils_builtins[] = {
    {"wait_for_simple_schema", u_wait_for_simple_schema, NULL},
    {"wait_for_name", u_wait_for_name, NULL},
    {"get_dependencies", u_get_dependencies, NULL},
    {"get_bootstrap_dependencies", u_get_bootstrap_dependencies, NULL},
    {"get_label_table_dependencies", u_get_label_table_dependencies, NULL},
    {"dedupe_in_order", u_dedupe_in_order, NULL},
    {"is_streaming", u_is_streaming, NULL},
    {"has_topic", u_has_topic, NULL},
    {"get_streaming_sources", u_get_streaming_sources, NULL},
    {"get_underlying_source", u_get_underlying_source, NULL},
    {"get_query", u_get_query, NULL},
    {"get_table", u_get_table, NULL},
    {"get_topic", u_get_topic, NULL},
    {"get_columns", u_get_columns, NULL},
};
const size_t deps_utils_builtin_count = sizeof deps_utils_builtins / sizeof deps_utils_builtins[0];
