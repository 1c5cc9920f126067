/* See thrift_values.h. */
#include "thrift_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chronon_api.h"

/* ---- IDL defaults as values ---- */

static value *json_to_value(eval_ctx *ctx, const tj_type *t, json_t *j, src_loc loc)
{
    arena *a = ctx->arena;
    switch (json_typeof(j)) {
    case JSON_NULL: return v_none(a, loc);
    case JSON_TRUE: return v_bool(a, true, loc);
    case JSON_FALSE: return v_bool(a, false, loc);
    case JSON_INTEGER:
        if (t && t->kind == TJ_BOOL)
            return v_bool(a, json_integer_value(j) != 0, loc);
        if (t && t->kind == TJ_DOUBLE)
            return v_float(a, (double)json_integer_value(j), loc);
        return v_int(a, json_integer_value(j), loc);
    case JSON_REAL: return v_float(a, json_real_value(j), loc);
    case JSON_STRING: return v_str(a, json_string_value(j), json_string_length(j), loc);
    case JSON_ARRAY: {
        value *l = v_list(a, V_LIST, json_array_size(j), loc);
        if (!l)
            return NULL;
        for (size_t i = 0; i < json_array_size(j); i++) {
            value *item = json_to_value(ctx, t ? t->elem : NULL, json_array_get(j, i), loc);
            if (!item)
                return NULL;
            l->u.list.items[l->u.list.len++] = item;
        }
        return l;
    }
    case JSON_OBJECT: {
        if (t && t->kind == TJ_STRUCT) {
            value *o = v_object(a, t->struct_desc, loc);
            const char *k;
            json_t *fv;
            if (!o)
                return NULL;
            json_object_foreach(j, k, fv) {
                value **slot = object_field(o->u.obj, k);
                const tj_field *f = tj_field_by_name(t->struct_desc, k);
                if (slot && f && !(*slot = json_to_value(ctx, f->type, fv, loc)))
                    return NULL;
            }
            return o;
        }
        value *d = v_dict(a, loc);
        const char *k;
        json_t *fv;
        if (!d)
            return NULL;
        json_object_foreach(j, k, fv) {
            value *key = v_cstr(a, k, loc);
            value *val = json_to_value(ctx, t ? t->elem : NULL, fv, loc);
            if (!key || !val || !dict_set(a, d->u.dict, key, val))
                return NULL;
        }
        return d;
    }
    }
    return NULL;
}

value *thrift_new(eval_ctx *ctx, const tj_struct_desc *desc, src_loc loc)
{
    value *o = v_object(ctx->arena, desc, loc);
    if (!o)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < desc->field_count; i++) {
        const tj_field *f = &desc->fields[i];
        if (!f->default_json)
            continue;
        json_t *j = json_loads(f->default_json, JSON_DECODE_ANY, NULL);
        value *v = j ? json_to_value(ctx, f->type, j, loc) : NULL;
        json_decref(j);
        if (!v)
            return eval_oom(ctx, loc);
        o->u.obj->fields[i] = v;
    }
    return o;
}

value *thrift_construct(eval_ctx *ctx, const tj_struct_desc *desc, call_args *args, src_loc loc)
{
    size_t n = desc->field_count;
    param_spec *params = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *params);
    value **given = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *given);
    if (!params || !given)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < n; i++) {
        params[i].name = desc->fields[i].name;
        params[i].kind = P_OPTIONAL;
    }
    if (!bind_args(ctx, desc->name, params, n, args, loc, given))
        return v_error(ctx->arena);
    value *o = thrift_new(ctx, desc, loc);
    if (o->kind == V_ERROR)
        return o;
    for (size_t i = 0; i < n; i++)
        if (given[i])
            o->u.obj->fields[i] = given[i]->kind == V_NONE ? NULL : given[i];
    return o;
}

/* ---- the ttypes module ---- */

module *ttypes_module(eval_ctx *ctx)
{
    arena *a = ctx->arena;
    src_loc none = {0};
    module *m = module_new(a, "ai.chronon.api.ttypes", NULL);
    if (!m)
        return NULL;
    for (size_t i = 0; i < chronon_struct_count; i++) {
        value *cls = v_class(a, chronon_structs[i], none);
        if (!cls || !dict_set_str(a, m->attrs, chronon_structs[i]->name, cls, none))
            return NULL;
    }
    for (size_t i = 0; i < chronon_enum_count; i++) {
        const tj_enum_desc *e = chronon_enums[i];
        module *ns = module_new(a, e->name, NULL);
        value *nsv = ns ? v_module(a, ns, none) : NULL;
        if (!nsv || !dict_set_str(a, m->attrs, e->name, nsv, none))
            return NULL;
        for (size_t k = 0; k < e->count; k++) {
            value *iv = v_int(a, e->values[k].value, none);
            if (!iv || !dict_set_str(a, ns->attrs, e->values[k].name, iv, none))
                return NULL;
        }
    }
    return m;
}

/* ---- values into C structs ---- */

const char *describe_type(const tj_type *t, char *buf, size_t size)
{
    char inner[160], inner2[160];
    switch (t->kind) {
    case TJ_BOOL: snprintf(buf, size, "a bool"); break;
    case TJ_BYTE: case TJ_I16: case TJ_I32: case TJ_I64:
        snprintf(buf, size, "an int (%s)", t->idl_name);
        break;
    case TJ_DOUBLE: snprintf(buf, size, "a float"); break;
    case TJ_STRING: snprintf(buf, size, "a str"); break;
    case TJ_BINARY: snprintf(buf, size, "bytes"); break;
    case TJ_ENUM: snprintf(buf, size, "%s %s value", strchr("AEIOU", t->enum_desc->name[0]) ? "an" : "a", t->enum_desc->name); break;
    case TJ_STRUCT: snprintf(buf, size, "%s %s", strchr("AEIOU", t->struct_desc->name[0]) ? "an" : "a", t->struct_desc->name); break;
    case TJ_LIST:
    case TJ_SET:
        if (t->elem->kind == TJ_STRING)
            snprintf(buf, size, "a list of strings");
        else
            snprintf(buf, size, "a list of %s", describe_type(t->elem, inner, sizeof inner));
        break;
    case TJ_MAP:
        snprintf(buf, size, "a dict of %s to %s", describe_type(t->key, inner, sizeof inner),
                 describe_type(t->elem, inner2, sizeof inner2));
        break;
    }
    return buf;
}

/* The path of the value being converted ("GroupBy.aggregations[0].inputColumn")
 * as a stack of frames, spelled only for a message. A segment that would not
 * fit in 511 bytes is left out (its push is a no-op). Every kept segment is at
 * least 2 bytes, so at most 255 frames are ever kept. */
enum { SEG_FIELD, SEG_INDEX, SEG_KEY };
typedef struct path_frame {
    union {
        const char *s;
        size_t index;
    } u;
    uint16_t start; /* spelled length before this segment */
    uint8_t kind;
} path_frame;

typedef struct converter {
    eval_ctx *ctx;
    const char *root; /* the struct's name */
    size_t root_len;
    size_t len;       /* spelled length */
    size_t depth;
    path_frame frames[256];
    char spelled[512];
} converter;

static size_t digits(size_t v)
{
    size_t n = 1;
    for (; v >= 10; v /= 10)
        n++;
    return n;
}

/* Push a segment n bytes long; returns the mark to pop back to. */
static size_t push(converter *c, path_frame f, size_t n)
{
    if (n >= sizeof c->spelled - c->len)
        return c->depth; /* does not fit: left out */
    f.start = (uint16_t)c->len;
    c->frames[c->depth++] = f;
    c->len += n;
    return c->depth - 1;
}

static size_t push_field(converter *c, const char *name)
{
    return push(c, (path_frame){.u.s = name, .kind = SEG_FIELD}, strlen(name) + 1);
}

static size_t push_index(converter *c, size_t i)
{
    return push(c, (path_frame){.u.index = i, .kind = SEG_INDEX}, digits(i) + 2);
}

static size_t push_key(converter *c, const char *key)
{
    return push(c, (path_frame){.u.s = key, .kind = SEG_KEY}, strlen(key) + 4);
}

static void path_pop(converter *c, size_t mark)
{
    if (mark < c->depth) {
        c->len = c->frames[mark].start;
        c->depth = mark;
    }
}

/* The path as text, for a message. */
static const char *path_text(converter *c)
{
    char *out = c->spelled;
    memcpy(out, c->root, c->root_len);
    size_t len = c->root_len;
    for (size_t i = 0; i < c->depth; i++) {
        const path_frame *f = &c->frames[i];
        if (f->kind == SEG_INDEX) {
            size_t n = digits(f->u.index), v = f->u.index;
            out[len] = '[';
            for (size_t k = n; k > 0; k--, v /= 10)
                out[len + k] = (char)('0' + v % 10);
            out[len + n + 1] = ']';
            len += n + 2;
        } else {
            size_t n = strlen(f->u.s);
            if (f->kind == SEG_KEY) {
                memcpy(out + len, "[\"", 2);
                memcpy(out + len + 2, f->u.s, n);
                memcpy(out + len + 2 + n, "\"]", 2);
                len += n + 4;
            } else {
                out[len] = '.';
                memcpy(out + len + 1, f->u.s, n);
                len += n + 1;
            }
        }
    }
    out[len] = '\0';
    return out;
}

static bool mismatch(converter *c, const tj_type *t, const value *v)
{
    char want[200];
    src_loc loc = v->loc;
    eval_error(c->ctx, loc, "%s: expected %s, got %s", path_text(c), describe_type(t, want, sizeof want),
               value_type_name(v));
    return false;
}

static bool struct_to_c(converter *c, const object *o, void *out);

static bool convert(converter *c, const tj_type *t, const value *v, void *slot)
{
    if (v->kind == V_ERROR)
        return false;
    switch (t->kind) {
    case TJ_BOOL:
        if (v->kind != V_BOOL) {
            if (v->kind == V_INT || v->kind == V_FLOAT) {
                /* Chronon's writer: only the True object is written as 1 */
                diag_add(c->ctx->diags, DIAG_WARNING, v->loc,
                         "%s: Chronon writes a bool field as 1 only for True; this %s is written as 0",
                         path_text(c), value_type_name(v));
                *(bool *)slot = false;
                return true;
            }
            return mismatch(c, t, v);
        }
        *(bool *)slot = v->u.b;
        return true;
    case TJ_BYTE:
    case TJ_I16:
    case TJ_I32:
    case TJ_I64:
    case TJ_ENUM: {
        if (v->kind != V_INT)
            return mismatch(c, t, v);
        int64_t x = v->u.i;
        bool in_range = t->kind == TJ_I64 || (t->kind == TJ_BYTE && x >= INT8_MIN && x <= INT8_MAX) ||
                        (t->kind == TJ_I16 && x >= INT16_MIN && x <= INT16_MAX) ||
                        ((t->kind == TJ_I32 || t->kind == TJ_ENUM) && x >= INT32_MIN && x <= INT32_MAX);
        if (!in_range) {
            eval_error(c->ctx, v->loc, "%s: %lld is out of range for %s", path_text(c), (long long)x, t->idl_name);
            return false;
        }
        if (t->kind == TJ_ENUM && !tj_enum_name(t->enum_desc, (int32_t)x)) {
            eval_error(c->ctx, v->loc, "%s: %lld is not a value of %s", path_text(c), (long long)x, t->enum_desc->name);
            return false;
        }
        switch (t->kind) {
        case TJ_BYTE: { int8_t y = (int8_t)x; memcpy(slot, &y, 1); break; }
        case TJ_I16: { int16_t y = (int16_t)x; memcpy(slot, &y, 2); break; }
        case TJ_I64: memcpy(slot, &x, 8); break;
        default: { int32_t y = (int32_t)x; memcpy(slot, &y, 4); break; }
        }
        return true;
    }
    case TJ_DOUBLE:
        if (v->kind == V_INT) {
            /* compile.py writes the int, then its round-trip check fails */
            eval_error(c->ctx, v->loc, "%s: expected a float, got int; write %lld.0 (Chronon's compile "
                       "rejects an int here)", path_text(c), (long long)v->u.i);
            return false;
        }
        if (v->kind != V_FLOAT)
            return mismatch(c, t, v);
        memcpy(slot, &v->u.f, sizeof(double));
        return true;
    case TJ_STRING: {
        if (v->kind != V_STR)
            return mismatch(c, t, v);
        if (memchr(v->u.str.data, '\0', v->u.str.len)) {
            eval_error(c->ctx, v->loc, "%s: a NUL character cannot be written to a config", path_text(c));
            return false;
        }
        char *s = strdup(v->u.str.data);
        if (!s)
            return eval_oom(c->ctx, v->loc), false;
        memcpy(slot, &s, sizeof s);
        return true;
    }
    case TJ_BINARY:
        return mismatch(c, t, v);
    case TJ_STRUCT:
        if (v->kind != V_OBJECT || v->u.obj->desc != t->struct_desc)
            return mismatch(c, t, v);
        return struct_to_c(c, v->u.obj, slot);
    case TJ_LIST:
    case TJ_SET: {
        if (v->kind != V_LIST && v->kind != V_TUPLE)
            return mismatch(c, t, v);
        tj_list l = {NULL, v->u.list.len};
        if (l.len && !(l.items = calloc(l.len, t->elem->size)))
            return eval_oom(c->ctx, v->loc), false;
        memcpy(slot, &l, sizeof l);
        for (size_t i = 0; i < l.len; i++) {
            size_t mark = push_index(c, i);
            if (!convert(c, t->elem, v->u.list.items[i], (char *)l.items + i * t->elem->size))
                return false;
            path_pop(c, mark);
        }
        return true;
    }
    case TJ_MAP: {
        if (v->kind != V_DICT)
            return mismatch(c, t, v);
        const dict *d = v->u.dict;
        tj_map m = {NULL, NULL, d->len};
        if (m.len && (!(m.keys = calloc(m.len, t->key->size)) || !(m.values = calloc(m.len, t->elem->size)))) {
            free(m.keys);
            return eval_oom(c->ctx, v->loc), false;
        }
        memcpy(slot, &m, sizeof m);
        for (size_t i = 0; i < m.len; i++) {
            const value *k = d->keys[i];
            size_t mark = k->kind == V_STR ? push_key(c, k->u.str.data) : push_index(c, i);
            if (!convert(c, t->key, k, (char *)m.keys + i * t->key->size) ||
                !convert(c, t->elem, d->values[i], (char *)m.values + i * t->elem->size))
                return false;
            path_pop(c, mark);
        }
        return true;
    }
    }
    return false;
}

static bool struct_to_c(converter *c, const object *o, void *out)
{
    const tj_struct_desc *desc = o->desc;
    memset(out, 0, desc->size);
    for (size_t i = 0; i < desc->field_count; i++) {
        const value *v = o->fields[i];
        if (!v || v->kind == V_NONE)
            continue;
        const tj_field *f = &desc->fields[i];
        size_t mark = push_field(c, f->name);
        void *slot = (char *)out + f->offset;
        bool ok;
        if (f->type->kind == TJ_STRUCT) {
            void *child = calloc(1, f->type->struct_desc->size);
            memcpy(slot, &child, sizeof child);
            if (!child)
                return eval_oom(c->ctx, v->loc), false;
            if (v->kind != V_OBJECT || v->u.obj->desc != f->type->struct_desc)
                return mismatch(c, f->type, v);
            ok = struct_to_c(c, v->u.obj, child);
        } else {
            if (f->has_offset != TJ_NO_FLAG)
                *(bool *)((char *)out + f->has_offset) = true;
            ok = convert(c, f->type, v, slot);
        }
        if (!ok)
            return false;
        path_pop(c, mark);
    }
    return true;
}

bool value_to_struct(eval_ctx *ctx, const value *obj, void *out)
{
    converter c = {.ctx = ctx, .root = obj->u.obj->desc->name};
    c.root_len = strnlen(c.root, sizeof c.spelled - 1);
    c.len = c.root_len;
    if (!struct_to_c(&c, obj->u.obj, out)) {
        tj_free(obj->u.obj->desc, out);
        return false;
    }
    return true;
}
