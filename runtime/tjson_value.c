/* Life cycle of values: init (with IDL defaults), free, deep copy, equality.
 * Every function walks the descriptors; nothing here knows a concrete struct. */
#include <stdlib.h>

#include "tjson_internal.h"

/* Apply one field's IDL default. Defaults are kept as JSON text in the
 * descriptor and go through the reader, so they mean exactly what the same
 * JSON in a config would mean. Declared in tjson_read.c. */
tj_status tj_read_default(const tj_field *f, void *obj);

tj_status tj_init(const tj_struct_desc *desc, void *obj)
{
    memset(obj, 0, desc->size);
    for (size_t i = 0; i < desc->field_count; i++) {
        const tj_field *f = &desc->fields[i];
        if (!f->default_json)
            continue;
        tj_status st = tj_read_default(f, obj);
        if (st != TJ_OK) {
            tj_free(desc, obj);
            return st;
        }
    }
    return TJ_OK;
}

static void free_field(const tj_field *f, void *obj)
{
    void *slot = tj_field_slot(f, obj);
    if (f->type->kind == TJ_STRUCT) {
        void *child;
        memcpy(&child, slot, sizeof child);
        if (child) {
            tj_free(f->type->struct_desc, child);
            free(child);
        }
        memset(slot, 0, sizeof child);
    } else {
        tj_value_free(f->type, slot);
    }
    tj_field_set_flag(f, obj, false);
}

void tj_free(const tj_struct_desc *desc, void *obj)
{
    /* Has-flags are ignored: whatever is allocated is freed, so a struct that
     * is half way through being read or copied can always be freed. */
    for (size_t i = 0; i < desc->field_count; i++)
        free_field(&desc->fields[i], obj);
    memset(obj, 0, desc->size);
}

void tj_value_free(const tj_type *t, void *slot)
{
    switch (t->kind) {
    case TJ_STRING: {
        char *s;
        memcpy(&s, slot, sizeof s);
        free(s);
        break;
    }
    case TJ_BINARY:
        free(((tj_binary *)slot)->data);
        break;
    case TJ_STRUCT:
        tj_free(t->struct_desc, slot);
        break;
    case TJ_LIST:
    case TJ_SET: {
        tj_list l;
        memcpy(&l, slot, sizeof l);
        for (size_t i = 0; i < l.len; i++)
            tj_value_free(t->elem, (char *)l.items + i * t->elem->size);
        free(l.items);
        break;
    }
    case TJ_MAP: {
        tj_map m;
        memcpy(&m, slot, sizeof m);
        for (size_t i = 0; i < m.len; i++) {
            tj_value_free(t->key, (char *)m.keys + i * t->key->size);
            tj_value_free(t->elem, (char *)m.values + i * t->elem->size);
        }
        free(m.keys);
        free(m.values);
        break;
    }
    default:
        break;
    }
    memset(slot, 0, t->size);
}

/* ---- copy ---- */

static tj_status copy_array(const tj_type *t, size_t n, void **dst, const void *src)
{
    *dst = NULL;
    if (n == 0)
        return TJ_OK;
    *dst = calloc(n, t->size);
    if (!*dst)
        return TJ_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        tj_status st = tj_value_copy(t, (char *)*dst + i * t->size, (const char *)src + i * t->size);
        if (st != TJ_OK)
            return st; /* the caller frees the zero-filled rest with the rest */
    }
    return TJ_OK;
}

/* dst is zeroed storage; on failure it holds a partial copy that
 * tj_value_free can release. */
tj_status tj_value_copy(const tj_type *t, void *dst, const void *src)
{
    switch (t->kind) {
    case TJ_STRING: {
        const char *s;
        memcpy(&s, src, sizeof s);
        char *copy = s ? strdup(s) : NULL;
        memcpy(dst, &copy, sizeof copy);
        return (s && !copy) ? TJ_ERR_NOMEM : TJ_OK;
    }
    case TJ_BINARY: {
        const tj_binary *b = src;
        tj_binary *out = dst;
        out->data = malloc(b->len ? b->len : 1);
        if (!out->data)
            return TJ_ERR_NOMEM;
        if (b->len)
            memcpy(out->data, b->data, b->len);
        out->len = b->len;
        return TJ_OK;
    }
    case TJ_STRUCT:
        return tj_copy(t->struct_desc, dst, src);
    case TJ_LIST:
    case TJ_SET: {
        tj_list in, out = {NULL, 0};
        memcpy(&in, src, sizeof in);
        tj_status st = copy_array(t->elem, in.len, &out.items, in.items);
        out.len = out.items ? in.len : 0;
        memcpy(dst, &out, sizeof out);
        return st;
    }
    case TJ_MAP: {
        tj_map in, out = {NULL, NULL, 0};
        memcpy(&in, src, sizeof in);
        tj_status st = copy_array(t->key, in.len, &out.keys, in.keys);
        if (st == TJ_OK)
            st = copy_array(t->elem, in.len, &out.values, in.values);
        /* Keep keys and values the same length so a partial copy frees cleanly. */
        if (st != TJ_OK && (!out.keys || !out.values)) {
            if (out.keys)
                for (size_t i = 0; i < in.len; i++)
                    tj_value_free(t->key, (char *)out.keys + i * t->key->size);
            free(out.keys);
            free(out.values);
            out.keys = out.values = NULL;
        }
        out.len = out.keys ? in.len : 0;
        memcpy(dst, &out, sizeof out);
        return st;
    }
    default:
        memcpy(dst, src, t->size);
        return TJ_OK;
    }
}

tj_status tj_copy(const tj_struct_desc *desc, void *dst, const void *src)
{
    memset(dst, 0, desc->size);
    for (size_t i = 0; i < desc->field_count; i++) {
        const tj_field *f = &desc->fields[i];
        if (!tj_field_is_set(f, src))
            continue;
        tj_status st = TJ_OK;
        if (f->type->kind == TJ_STRUCT) {
            const void *child;
            memcpy(&child, tj_field_cslot(f, src), sizeof child);
            void *copy = calloc(1, f->type->struct_desc->size);
            if (!copy)
                st = TJ_ERR_NOMEM;
            else {
                memcpy(tj_field_slot(f, dst), &copy, sizeof copy);
                st = tj_copy(f->type->struct_desc, copy, child);
            }
        } else {
            st = tj_value_copy(f->type, tj_field_slot(f, dst), tj_field_cslot(f, src));
        }
        tj_field_set_flag(f, dst, true);
        if (st != TJ_OK) {
            tj_free(desc, dst);
            return st;
        }
    }
    return TJ_OK;
}

/* ---- equality ---- */

bool tj_value_equal(const tj_type *t, const void *a, const void *b)
{
    switch (t->kind) {
    case TJ_STRING: {
        const char *x, *y;
        memcpy(&x, a, sizeof x);
        memcpy(&y, b, sizeof y);
        return (x == NULL) == (y == NULL) && (!x || strcmp(x, y) == 0);
    }
    case TJ_BINARY: {
        const tj_binary *x = a, *y = b;
        return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
    }
    case TJ_DOUBLE:
        /* bit for bit: -0.0 and 0.0 write differently, so they differ here */
        return memcmp(a, b, sizeof(double)) == 0;
    case TJ_STRUCT:
        return tj_equal(t->struct_desc, a, b);
    case TJ_LIST:
    case TJ_SET: {
        tj_list x, y;
        memcpy(&x, a, sizeof x);
        memcpy(&y, b, sizeof y);
        if (x.len != y.len)
            return false;
        for (size_t i = 0; i < x.len; i++)
            if (!tj_value_equal(t->elem, (char *)x.items + i * t->elem->size,
                                (char *)y.items + i * t->elem->size))
                return false;
        return true;
    }
    case TJ_MAP: {
        tj_map x, y;
        memcpy(&x, a, sizeof x);
        memcpy(&y, b, sizeof y);
        if (x.len != y.len)
            return false;
        for (size_t i = 0; i < x.len; i++)
            if (!tj_value_equal(t->key, (char *)x.keys + i * t->key->size,
                                (char *)y.keys + i * t->key->size) ||
                !tj_value_equal(t->elem, (char *)x.values + i * t->elem->size,
                                (char *)y.values + i * t->elem->size))
                return false;
        return true;
    }
    default:
        return tj_get_int(t, a) == tj_get_int(t, b);
    }
}

bool tj_equal(const tj_struct_desc *desc, const void *a, const void *b)
{
    for (size_t i = 0; i < desc->field_count; i++) {
        const tj_field *f = &desc->fields[i];
        bool set_a = tj_field_is_set(f, a), set_b = tj_field_is_set(f, b);
        if (set_a != set_b)
            return false;
        if (!set_a)
            continue;
        if (f->type->kind == TJ_STRUCT) {
            const void *x, *y;
            memcpy(&x, tj_field_cslot(f, a), sizeof x);
            memcpy(&y, tj_field_cslot(f, b), sizeof y);
            if (!tj_equal(f->type->struct_desc, x, y))
                return false;
        } else if (!tj_value_equal(f->type, tj_field_cslot(f, a), tj_field_cslot(f, b))) {
            return false;
        }
    }
    return true;
}
