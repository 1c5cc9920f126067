/* The JSON reader: jansson parses, this file checks every value against the
 * IDL type it must have and builds the C value. Errors carry the JSON path of
 * the offending value. Policy, chosen to match what Chronon's JVM side
 * accepts while being strict on types:
 *   - unknown fields are ignored (TJ_READ_STRICT reports them);
 *   - a bool is true/false or 0/1 (Thrift's simple JSON writes 0/1);
 *   - an enum is an integer that names a member of the enum;
 *   - a double accepts integers; integers never accept fractions;
 *   - a union has at most one member; required fields must be present;
 *   - reading starts from the IDL defaults, as chronon-ai's decoder does. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "pyjson.h"
#include "tjson_internal.h"

typedef struct reader {
    tj_path path;
    tj_error *err;
    unsigned flags;
} reader;

static tj_status read_struct(reader *r, const tj_struct_desc *desc, json_t *json, void *obj);

static const char *json_kind_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "real number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    case JSON_NULL: return "null";
    }
    return "value";
}

static tj_status expected(reader *r, const char *what, const json_t *got)
{
    return tj_fail(r->err, TJ_ERR_TYPE, &r->path, "expected %s, got %s", what, json_kind_name(got));
}

/* ---- scalars shared by values and map keys ---- */

static tj_status store_int(reader *r, const tj_type *t, int64_t v, void *slot)
{
    if (!tj_int_in_range(t, v))
        return tj_fail(r->err, TJ_ERR_VALUE, &r->path, "integer %lld is out of range for %s",
                       (long long)v, t->kind == TJ_ENUM ? "an enum (i32)" : t->idl_name);
    if (t->kind == TJ_ENUM && !tj_enum_name(t->enum_desc, (int32_t)v))
        return tj_fail(r->err, TJ_ERR_VALUE, &r->path, "%lld is not a value of enum %s",
                       (long long)v, t->enum_desc->name);
    tj_set_int(t, slot, v);
    return TJ_OK;
}

static tj_status store_string(reader *r, const char *s, size_t n, void *slot)
{
    char *copy = malloc(n + 1);
    if (!copy)
        return tj_fail(r->err, TJ_ERR_NOMEM, &r->path, "out of memory");
    memcpy(copy, s, n);
    copy[n] = '\0';
    memcpy(slot, &copy, sizeof copy);
    return TJ_OK;
}

static tj_status store_binary(reader *r, const char *s, size_t n, void *slot)
{
    tj_binary *b = slot;
    if (!pyjson_base64_decode(s, n, &b->data, &b->len))
        return tj_fail(r->err, TJ_ERR_VALUE, &r->path, "invalid base64 for binary");
    return TJ_OK;
}

/* Map keys arrive as strings whatever the key type; Thrift's writer quotes
 * numbers in key position. */
static tj_status read_key(reader *r, const tj_type *t, const char *key, void *slot)
{
    size_t n = strlen(key);
    switch (t->kind) {
    case TJ_STRING:
        return store_string(r, key, n, slot);
    case TJ_BINARY:
        return store_binary(r, key, n, slot);
    case TJ_BOOL:
        if (strcmp(key, "1") == 0 || strcmp(key, "true") == 0) {
            *(bool *)slot = true;
            return TJ_OK;
        }
        if (strcmp(key, "0") == 0 || strcmp(key, "false") == 0) {
            *(bool *)slot = false;
            return TJ_OK;
        }
        break;
    case TJ_DOUBLE: {
        char *end;
        errno = 0;
        double x = strtod(key, &end);
        if (n > 0 && *end == '\0' && isfinite(x) && key[0] != ' ' && key[0] != '+') {
            memcpy(slot, &x, sizeof x);
            return TJ_OK;
        }
        break;
    }
    case TJ_BYTE:
    case TJ_I16:
    case TJ_I32:
    case TJ_I64:
    case TJ_ENUM: {
        const char *digits = key[0] == '-' ? key + 1 : key;
        if (*digits < '0' || *digits > '9')
            break;
        char *end;
        errno = 0;
        long long v = strtoll(key, &end, 10);
        if (*end != '\0')
            break;
        if (errno == ERANGE)
            return tj_fail(r->err, TJ_ERR_VALUE, &r->path, "map key %s is out of range for %s", key,
                           t->idl_name);
        return store_int(r, t, v, slot);
    }
    default:
        break;
    }
    return tj_fail(r->err, TJ_ERR_TYPE, &r->path, "map key \"%s\" is not a %s", key, t->idl_name);
}

/* ---- values ---- */

static tj_status alloc_items(reader *r, const tj_type *t, size_t n, void **items)
{
    *items = NULL;
    if (n == 0)
        return TJ_OK;
    *items = calloc(n, t->size);
    return *items ? TJ_OK : tj_fail(r->err, TJ_ERR_NOMEM, &r->path, "out of memory");
}

/* slot is zeroed storage for one value of type t. On error the slot holds a
 * partial value that tj_value_free releases. */
static tj_status read_value(reader *r, const tj_type *t, json_t *j, void *slot)
{
    switch (t->kind) {
    case TJ_BOOL:
        if (json_is_boolean(j)) {
            *(bool *)slot = json_is_true(j);
            return TJ_OK;
        }
        if (json_is_integer(j)) {
            json_int_t v = json_integer_value(j);
            if (v == 0 || v == 1) {
                *(bool *)slot = v == 1;
                return TJ_OK;
            }
            return tj_fail(r->err, TJ_ERR_VALUE, &r->path, "integer %lld is not a boolean (0 or 1)",
                           (long long)v);
        }
        return expected(r, "boolean", j);
    case TJ_BYTE:
    case TJ_I16:
    case TJ_I32:
    case TJ_I64:
    case TJ_ENUM:
        if (!json_is_integer(j))
            return expected(r, "integer", j);
        return store_int(r, t, json_integer_value(j), slot);
    case TJ_DOUBLE: {
        if (!json_is_number(j))
            return expected(r, "number", j);
        double x = json_number_value(j);
        memcpy(slot, &x, sizeof x);
        return TJ_OK;
    }
    case TJ_STRING:
        if (!json_is_string(j))
            return expected(r, "string", j);
        return store_string(r, json_string_value(j), json_string_length(j), slot);
    case TJ_BINARY:
        if (!json_is_string(j))
            return expected(r, "base64 string", j);
        return store_binary(r, json_string_value(j), json_string_length(j), slot);
    case TJ_STRUCT: {
        tj_status st = tj_init(t->struct_desc, slot);
        if (st != TJ_OK)
            return tj_fail(r->err, st, &r->path, "out of memory");
        return read_struct(r, t->struct_desc, j, slot);
    }
    case TJ_LIST:
    case TJ_SET: {
        if (!json_is_array(j))
            return expected(r, "array", j);
        tj_list l = {NULL, json_array_size(j)};
        tj_status st = alloc_items(r, t->elem, l.len, &l.items);
        if (st != TJ_OK)
            return st;
        memcpy(slot, &l, sizeof l);
        for (size_t i = 0; i < l.len; i++) {
            void *item = (char *)l.items + i * t->elem->size;
            size_t mark = tj_path_push_index(&r->path, i);
            if ((st = read_value(r, t->elem, json_array_get(j, i), item)) != TJ_OK)
                return st;
            if (t->kind == TJ_SET)
                for (size_t k = 0; k < i; k++)
                    if (tj_value_equal(t->elem, (char *)l.items + k * t->elem->size, item))
                        return tj_fail(r->err, TJ_ERR_VALUE, &r->path,
                                       "duplicate set element (same as element %zu)", k);
            tj_path_pop(&r->path, mark);
        }
        return TJ_OK;
    }
    case TJ_MAP: {
        if (!json_is_object(j))
            return expected(r, "object", j);
        tj_map m = {NULL, NULL, json_object_size(j)};
        tj_status st = alloc_items(r, t->key, m.len, &m.keys);
        if (st == TJ_OK && (st = alloc_items(r, t->elem, m.len, &m.values)) != TJ_OK)
            free(m.keys);
        if (st != TJ_OK)
            return st;
        memcpy(slot, &m, sizeof m);
        size_t i = 0;
        const char *key;
        json_t *value;
        json_object_foreach(j, key, value) {
            size_t mark = tj_path_push_key(&r->path, key);
            if ((st = read_key(r, t->key, key, (char *)m.keys + i * t->key->size)) != TJ_OK)
                return st;
            /* distinct JSON keys can still be the same number ("1", "01") */
            for (size_t k = 0; t->key->kind != TJ_STRING && k < i; k++)
                if (tj_value_equal(t->key, (char *)m.keys + k * t->key->size,
                                   (char *)m.keys + i * t->key->size))
                    return tj_fail(r->err, TJ_ERR_VALUE, &r->path,
                                   "duplicate map key (\"%s\" means the same %s as an earlier key)",
                                   key, t->key->idl_name);
            if ((st = read_value(r, t->elem, value, (char *)m.values + i * t->elem->size)) != TJ_OK)
                return st;
            tj_path_pop(&r->path, mark);
            i++;
        }
        return TJ_OK;
    }
    }
    return tj_fail(r->err, TJ_ERR_TYPE, &r->path, "unknown type kind");
}

static tj_status read_field(reader *r, const tj_field *f, json_t *j, void *obj)
{
    void *slot = tj_field_slot(f, obj);
    if (f->type->kind == TJ_STRUCT) {
        void *old;
        memcpy(&old, slot, sizeof old);
        if (old) {
            tj_free(f->type->struct_desc, old);
            free(old);
        }
        void *child = calloc(1, f->type->struct_desc->size);
        memcpy(slot, &child, sizeof child);
        if (!child)
            return tj_fail(r->err, TJ_ERR_NOMEM, &r->path, "out of memory");
        return read_value(r, f->type, j, child);
    }
    tj_value_free(f->type, slot); /* an IDL default, replaced by the JSON */
    tj_field_set_flag(f, obj, true);
    return read_value(r, f->type, j, slot);
}

static tj_status read_struct(reader *r, const tj_struct_desc *desc, json_t *json, void *obj)
{
    if (!json_is_object(json))
        return expected(r, "object", json);
    const char *key;
    json_t *value;
    json_object_foreach(json, key, value) {
        const tj_field *f = tj_field_by_name(desc, key);
        size_t mark = tj_path_push_field(&r->path, key);
        if (!f) {
            if (r->flags & TJ_READ_STRICT)
                return tj_fail(r->err, TJ_ERR_VALUE, &r->path, "unknown field of %s", desc->name);
            tj_path_pop(&r->path, mark);
            continue;
        }
        tj_status st = read_field(r, f, value, obj);
        if (st != TJ_OK)
            return st;
        tj_path_pop(&r->path, mark);
    }
    size_t members = 0;
    for (size_t i = 0; i < desc->field_count; i++) {
        const tj_field *f = &desc->fields[i];
        bool set = tj_field_is_set(f, obj);
        members += set;
        if (!set && f->req == TJ_REQUIRED)
            return tj_fail(r->err, TJ_ERR_VALUE, &r->path, "missing required field %s of %s",
                           f->name, desc->name);
    }
    if (desc->is_union && members > 1)
        return tj_fail(r->err, TJ_ERR_VALUE, &r->path,
                       "union %s has %zu members set; at most one is allowed", desc->name, members);
    return TJ_OK;
}

tj_status tj_from_json(const tj_struct_desc *desc, void *obj, const char *text, size_t len,
                       unsigned flags, tj_error *err)
{
    tj_error scratch;
    if (!err)
        err = &scratch;
    memset(obj, 0, desc->size);
    json_error_t jerr;
    size_t jflags = JSON_DECODE_ANY | ((flags & TJ_READ_STRICT) ? JSON_REJECT_DUPLICATES : 0);
    json_t *root = json_loadb(text, len, jflags, &jerr);
    if (!root) {
        tj_fail(err, TJ_ERR_SYNTAX, NULL, "%s", jerr.text);
        err->line = jerr.line;
        err->column = jerr.column;
        return TJ_ERR_SYNTAX;
    }
    reader r; /* not zeroed whole: see tj_to_json */
    r.err = err;
    r.flags = flags;
    tj_path_init(&r.path);
    tj_status st = tj_init(desc, obj);
    if (st != TJ_OK)
        tj_fail(err, st, NULL, "out of memory");
    else
        st = read_struct(&r, desc, root, obj);
    json_decref(root);
    if (st != TJ_OK)
        tj_free(desc, obj);
    return st;
}

tj_status tj_read_default(const tj_field *f, void *obj)
{
    json_t *j = json_loads(f->default_json, JSON_DECODE_ANY, NULL);
    if (!j)
        return TJ_ERR_VALUE; /* the generator wrote bad JSON: a bug, not user input */
    tj_error err;
    reader r;
    r.err = &err;
    r.flags = 0;
    tj_path_init(&r.path);
    tj_status st = read_field(&r, f, j, obj);
    json_decref(j);
    return st;
}
