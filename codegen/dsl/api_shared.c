/* What the files of Chronon's API in C share. See api_shared.h. */
#include "api_shared.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "thrift_values.h"

/* ---- values ---- */

value *api_err(eval_ctx *ctx) { return v_error(ctx->arena); }

value *api_str(eval_ctx *ctx, const char *s, src_loc loc) { return OOM_IF_NULL(v_cstr(ctx->arena, s, loc)); }

value *api_none(eval_ctx *ctx, src_loc loc) { return OOM_IF_NULL(v_none(ctx->arena, loc)); }

value *api_bool(eval_ctx *ctx, bool b, src_loc loc) { return OOM_IF_NULL(v_bool(ctx->arena, b, loc)); }

value *api_int(eval_ctx *ctx, int64_t i, src_loc loc) { return OOM_IF_NULL(v_int(ctx->arena, i, loc)); }

value *api_list(eval_ctx *ctx, size_t cap, src_loc loc) { return OOM_IF_NULL(v_list(ctx->arena, V_LIST, cap, loc)); }

value *api_tuple(eval_ctx *ctx, value *const *items, size_t n, src_loc loc)
{
    value *t = v_list(ctx->arena, V_TUPLE, n, loc);
    if (!t)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < n; i++)
        t->u.list.items[t->u.list.len++] = items[i];
    return t;
}

value *api_keys_list(eval_ctx *ctx, const dict *d, src_loc loc)
{
    value *l = v_list(ctx->arena, V_LIST, d->len, loc);
    if (!l)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < d->len; i++)
        l->u.list.items[l->u.list.len++] = d->keys[i];
    return l;
}

bool api_push(eval_ctx *ctx, value *list, value *item, src_loc loc)
{
    if (v_list_push(ctx->arena, list, item))
        return true;
    eval_oom(ctx, loc);
    return false;
}

bool api_extend(eval_ctx *ctx, value *out, value *more, src_loc loc)
{
    value **items;
    size_t n;
    if (IS_ERR(more) || !api_iter(ctx, more, loc, &items, &n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!api_push(ctx, out, items[i], loc))
            return false;
    return true;
}

const char *api_buf_cstr(eval_ctx *ctx, tj_buf *b)
{
    const char *s = b->failed ? NULL : arena_strndup(ctx->arena, b->data ? b->data : "", b->len);
    tj_buf_free(b);
    return s;
}

value *api_buf_str(eval_ctx *ctx, tj_buf *b, src_loc loc)
{
    value *s = b->failed ? NULL : v_str(ctx->arena, b->data ? b->data : "", b->len, loc);
    tj_buf_free(b);
    return OOM_IF_NULL(s);
}

/* ---- Python's values ---- */

const char *api_py_str(eval_ctx *ctx, const value *v)
{
    tj_buf b = {0};
    value_str(&b, v);
    return api_buf_cstr(ctx, &b);
}

value *api_opt(value *v) { return v && v->kind != V_NONE ? v : NULL; }

bool api_is_none(const value *v) { return !v || v->kind == V_NONE; }

bool api_eq_int(const value *v, int64_t n)
{
    value k = {.kind = V_INT};
    k.u.i = n;
    return v && value_equal(v, &k);
}

bool api_eq_str(const value *v, const char *s)
{
    return v && v->kind == V_STR && v->u.str.len == strlen(s) && memcmp(v->u.str.data, s, v->u.str.len) == 0;
}

int api_positive(eval_ctx *ctx, const value *x, src_loc loc)
{
    switch (x->kind) {
    case V_BOOL: return x->u.b;
    case V_INT: return x->u.i > 0;
    case V_FLOAT: return x->u.f > 0;
    default:
        eval_error(ctx, loc, "'>' not supported between instances of '%s' and 'int'", value_type_name(x));
        return -1;
    }
}

bool api_is(const value *v, const tj_struct_desc *desc)
{
    return v && v->kind == V_OBJECT && v->u.obj->desc == desc;
}

const char *api_text(eval_ctx *ctx, const value *v)
{
    if (!v)
        return "None";
    const char *s = api_py_str(ctx, v);
    return s ? s : "";
}

static void repr_full(tj_buf *b, const value *v)
{
    switch (v->kind) {
    case V_OBJECT: {
        const object *o = v->u.obj;
        tj_buf_printf(b, "%s(", o->desc->name);
        for (size_t i = 0; i < o->desc->field_count; i++) {
            if (i)
                tj_buf_puts(b, ", ");
            tj_buf_printf(b, "%s=", o->desc->fields[i].name);
            if (o->fields[i])
                repr_full(b, o->fields[i]);
            else
                tj_buf_puts(b, "None");
        }
        for (size_t i = 0; o->extra && i < o->extra->len; i++) {
            tj_buf_puts(b, o->desc->field_count || i ? ", " : "");
            tj_buf_put(b, o->extra->keys[i]->u.str.data, o->extra->keys[i]->u.str.len);
            tj_buf_putc(b, '=');
            repr_full(b, o->extra->values[i]);
        }
        tj_buf_putc(b, ')');
        return;
    }
    case V_LIST:
    case V_TUPLE:
        tj_buf_putc(b, v->kind == V_LIST ? '[' : '(');
        for (size_t i = 0; i < v->u.list.len; i++) {
            if (i)
                tj_buf_puts(b, ", ");
            repr_full(b, v->u.list.items[i]);
        }
        if (v->kind == V_TUPLE && v->u.list.len == 1)
            tj_buf_putc(b, ',');
        tj_buf_putc(b, v->kind == V_LIST ? ']' : ')');
        return;
    case V_DICT:
        tj_buf_putc(b, '{');
        for (size_t i = 0; i < v->u.dict->len; i++) {
            if (i)
                tj_buf_puts(b, ", ");
            repr_full(b, v->u.dict->keys[i]);
            tj_buf_puts(b, ": ");
            repr_full(b, v->u.dict->values[i]);
        }
        tj_buf_putc(b, '}');
        return;
    default:
        value_repr(b, v);
        return;
    }
}

const char *api_repr(eval_ctx *ctx, const value *v)
{
    tj_buf b = {0};
    repr_full(&b, v);
    return api_buf_cstr(ctx, &b);
}

/* ---- errors and locations ---- */

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

src_loc api_arg_loc(const call_args *args, const param_spec *params, size_t idx, src_loc fallback)
{
    size_t positional = 0;
    for (size_t i = 0; i < idx; i++)
        if (params[i].kind == P_REQUIRED || params[i].kind == P_OPTIONAL)
            positional++;
    if ((params[idx].kind == P_REQUIRED || params[idx].kind == P_OPTIONAL) && positional < args->npositional)
        return args->positional_loc[positional];
    for (size_t k = 0; k < args->nkeywords; k++)
        if (strcmp(args->names[k], params[idx].name) == 0)
            return args->keyword_loc[k];
    return fallback;
}

/* ---- attributes ---- */

value *api_attr(eval_ctx *ctx, value *v, const char *name, src_loc loc)
{
    if (!v)
        v = api_none(ctx, loc);
    return eval_getattr(ctx, v, name, loc, loc);
}

value *api_metadata_attr(eval_ctx *ctx, value *obj, const char *name, src_loc loc)
{
    value *md = api_attr(ctx, obj, "metaData", loc);
    return IS_ERR(md) ? md : api_attr(ctx, md, name, loc);
}

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

bool api_set_extra(eval_ctx *ctx, value *obj, const char *name, value *v, src_loc loc)
{
    if (obj_set_extra(ctx->arena, obj, name, v))
        return true;
    eval_oom(ctx, loc);
    return false;
}

/* ---- iteration and calls ---- */

bool api_iter(eval_ctx *ctx, value *v, src_loc loc, value ***items, size_t *n)
{
    if (!v) {
        deps_error(ctx, loc, "'NoneType' object is not iterable");
        return false;
    }
    switch (v->kind) {
    case V_LIST:
    case V_TUPLE:
    case V_DICT:
    case V_STR:
    case V_ERROR:
        return eval_iterate(ctx, v, loc, items, n);
    default:
        deps_error(ctx, loc, "'%s' object is not iterable", value_type_name(v));
        return false;
    }
}

bool api_star_items(eval_ctx *ctx, const char *fname, value *v, src_loc loc, value ***items, size_t *n)
{
    if (v->kind == V_ERROR)
        return false;
    if (v->kind != V_LIST && v->kind != V_TUPLE && v->kind != V_DICT && v->kind != V_STR) {
        (void)fname; /* Python 3.11 does not name the function */
        eval_error(ctx, v->kind == V_NONE || !v->loc.file ? loc : v->loc, "Value after * must be an iterable, not %s",
                   value_type_name(v));
        return false;
    }
    return api_iter(ctx, v, loc, items, n);
}

call_args *api_args(eval_ctx *ctx, size_t npositional, value **positional, src_loc loc)
{
    call_args *a = arena_alloc(ctx->arena, sizeof *a);
    src_loc *locs = arena_alloc(ctx->arena, (npositional ? npositional : 1) * sizeof *locs);
    value **items = arena_alloc(ctx->arena, (npositional ? npositional : 1) * sizeof *items);
    if (!a || !locs || !items)
        return NULL;
    for (size_t i = 0; i < npositional; i++) {
        items[i] = positional[i];
        locs[i] = loc;
    }
    a->positional = items;
    a->positional_loc = locs;
    a->npositional = npositional;
    return a;
}

/* ---- copy, JSON ---- */

/* copy.deepcopy: a memo of (original, copy) keeps shared references shared. */
typedef struct copy_memo {
    const value **from;
    value **to;
    size_t len, cap;
} copy_memo;

static value *deepcopy(eval_ctx *ctx, value *v, copy_memo *memo)
{
    switch (v->kind) {
    case V_LIST: case V_TUPLE: case V_DICT: case V_OBJECT:
        break;
    default:
        return v; /* immutable, or copied by reference as Python does (functions, modules) */
    }
    for (size_t i = 0; i < memo->len; i++)
        if (memo->from[i] == v)
            return memo->to[i];
    arena *a = ctx->arena;
    value *c;
    if (v->kind == V_OBJECT) {
        c = v_object(a, v->u.obj->desc, v->loc);
        if (c)
            c->u.obj->made_by = v->u.obj->made_by;
    } else if (v->kind == V_DICT) {
        c = v_dict(a, v->loc);
    } else {
        c = v_list(a, v->kind, v->u.list.len, v->loc);
    }
    if (!c)
        return NULL;
    if (memo->len == memo->cap) {
        size_t cap = memo->cap ? memo->cap * 2 : 16;
        const value **from = arena_alloc(a, cap * sizeof *from);
        value **to = arena_alloc(a, cap * sizeof *to);
        if (!from || !to)
            return NULL;
        if (memo->len) {
            memcpy(from, memo->from, memo->len * sizeof *from);
            memcpy(to, memo->to, memo->len * sizeof *to);
        }
        memo->from = from;
        memo->to = to;
        memo->cap = cap;
    }
    memo->from[memo->len] = v;
    memo->to[memo->len++] = c;
    if (v->kind == V_OBJECT) {
        const object *o = v->u.obj;
        for (size_t i = 0; i < o->desc->field_count; i++)
            if (o->fields[i] && !(c->u.obj->fields[i] = deepcopy(ctx, o->fields[i], memo)))
                return NULL;
        for (size_t i = 0; o->extra && i < o->extra->len; i++) {
            value *x = deepcopy(ctx, o->extra->values[i], memo);
            if (!x || !obj_set_extra(a, c, o->extra->keys[i]->u.str.data, x))
                return NULL;
        }
    } else if (v->kind == V_DICT) {
        for (size_t i = 0; i < v->u.dict->len; i++) {
            value *k = deepcopy(ctx, v->u.dict->keys[i], memo);
            value *x = deepcopy(ctx, v->u.dict->values[i], memo);
            if (!k || !x || !dict_set(a, c->u.dict, k, x))
                return NULL;
        }
    } else {
        for (size_t i = 0; i < v->u.list.len; i++) {
            value *x = deepcopy(ctx, v->u.list.items[i], memo);
            if (!x)
                return NULL;
            c->u.list.items[c->u.list.len++] = x;
        }
    }
    return c;
}

value *api_deepcopy(eval_ctx *ctx, value *v)
{
    copy_memo memo = {0};
    value *c = deepcopy(ctx, v, &memo);
    return c ? c : eval_oom(ctx, v->loc);
}

value *api_pyjson(eval_ctx *ctx, value *v, src_loc loc)
{
    tj_buf b = {0};
    const char *bad = "object";
    if (!value_to_pyjson(&b, v, &bad)) {
        tj_buf_free(&b);
        return deps_error(ctx, loc, "Object of type %s is not JSON serializable", bad ? bad : "object");
    }
    return api_buf_str(ctx, &b, loc);
}

value *api_json_value(eval_ctx *ctx, json_t *j, src_loc loc)
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
            value *item = api_json_value(ctx, json_array_get(j, i), loc);
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
            value *val = api_json_value(ctx, fv, loc);
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
    value *v = api_json_value(ctx, j, loc);
    json_decref(j);
    return OOM_IF_NULL(v);
}

/* ---- module attributes ---- */

bool api_def(eval_ctx *ctx, module *m, const builtin *def)
{
    src_loc none = {0};
    return api_set_attr(ctx, m, def->name, v_builtin(ctx->arena, def, NULL, none));
}

bool api_def_all(eval_ctx *ctx, module *m, const builtin *defs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!api_def(ctx, m, &defs[i]))
            return false;
    return true;
}

bool api_set_attr(eval_ctx *ctx, module *m, const char *name, value *v)
{
    src_loc none = {0};
    return v && dict_set_str(ctx->arena, m->attrs, name, v, none);
}

bool api_set_str_attrs(eval_ctx *ctx, module *m, const char *const *pairs, size_t n)
{
    src_loc none = {0};
    for (size_t i = 0; i < n; i++)
        if (!api_set_attr(ctx, m, pairs[2 * i], v_cstr(ctx->arena, pairs[2 * i + 1], none)))
            return false;
    return true;
}

module *api_namespace(eval_ctx *ctx, module *m, const char *name)
{
    src_loc none = {0};
    module *ns = module_new(ctx->arena, name, NULL);
    return ns && api_set_attr(ctx, m, name, v_module(ctx->arena, ns, none)) ? ns : NULL;
}

bool api_export_module(eval_ctx *ctx, module *m, const char *name, const char *dotted)
{
    src_loc none = {0};
    module *x = api_module(ctx, dotted);
    return x && api_set_attr(ctx, m, name, v_module(ctx->arena, x, none));
}

/* ---- Thrift objects and table-driven builtins ---- */

value *api_new_struct(eval_ctx *ctx, const tj_struct_desc *desc, const char *const *fields, value *const *values,
                      size_t n, src_loc loc)
{
    value *o = thrift_new(ctx, desc, loc);
    if (IS_ERR(o))
        return o;
    for (size_t i = 0; i < n; i++)
        if (!obj_set(o, fields[i], values[i]))
            return eval_error(ctx, loc, "internal error: %s has no field %s", desc->name, fields[i]);
    return o;
}

value *api_call_unary(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
{
    (void)self;
    const api_unary *u = def->data;
    const param_spec p[] = {{u->param, P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return api_err(ctx);
    return u->fn(ctx, a[0], loc);
}

value *api_call_struct(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
{
    (void)self;
    const api_struct_call *c = def->data;
    param_spec p[API_STRUCT_MAX_ARGS];
    const char *fields[API_STRUCT_MAX_ARGS];
    value *a[API_STRUCT_MAX_ARGS];
    size_t n = 0;
    for (; n < API_STRUCT_MAX_ARGS && c->args[n].param; n++) {
        p[n].name = c->args[n].param;
        p[n].kind = c->args[n].kind;
        fields[n] = c->args[n].field;
    }
    if (!bind_args(ctx, def->name, p, n, args, loc, a))
        return api_err(ctx);
    return api_new_struct(ctx, c->desc, fields, a, n, loc);
}
