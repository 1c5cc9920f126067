/* The JSON writer. Output is byte-identical to chronon-ai's thrift_simple_json:
 * TSimpleJSONProtocol output re-read by Python's json module and dumped with
 * indent=2. So: fields in id order, unset fields absent, bools as 1/0, enums
 * as numbers, map keys as strings (numbers quoted), binary as base64, floats
 * as Python's repr, strings with ensure_ascii escapes, "[]" and "{}" when empty,
 * ",\n" between items, no trailing newline. */
#include <math.h>
#include <stdio.h>

#include "pyjson.h"
#include "tjson_internal.h"

typedef struct writer {
    tj_buf out;
    tj_path path;
    tj_error *err;
    tj_status status;
} writer;

static void write_struct(writer *w, const tj_struct_desc *desc, const void *obj, int depth);

static void newline_indent(writer *w, int depth)
{
    /* One append for the usual depths (every field of every config). */
    static const char line[] = "\n                                                                ";
    size_t n = 1 + 2 * (size_t)(depth > 0 ? depth : 0);
    if (n <= sizeof line - 1) {
        tj_buf_put(&w->out, line, n);
        return;
    }
    tj_buf_putc(&w->out, '\n');
    for (int i = 0; i < depth; i++)
        tj_buf_put(&w->out, "  ", 2);
}

static bool fail(writer *w, tj_status st, const char *what)
{
    if (w->status == TJ_OK)
        w->status = tj_fail(w->err, st, &w->path, "%s", what);
    return false;
}

static bool put_string(writer *w, const char *s, size_t n)
{
    if (!pyjson_put_string(&w->out, s, n))
        return fail(w, TJ_ERR_VALUE, "string is not valid UTF-8");
    return true;
}

static bool put_double(writer *w, double x)
{
    if (!isfinite(x)) {
        /* Python's writer emits "inf"/"nan", which its own json.loads then
         * rejects: there is no JSON for these, so refuse them here. */
        char msg[80];
        snprintf(msg, sizeof msg, "double %s has no JSON representation",
                 isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf"));
        return fail(w, TJ_ERR_VALUE, msg);
    }
    char num[32];
    size_t n = pyjson_format_double(x, num);
    tj_buf_put(&w->out, num, n);
    return true;
}

/* An integer in decimal, as "%lld" spells it. */
static void put_int(writer *w, int64_t v)
{
    char num[24];
    char *end = num + sizeof num, *p = end;
    /* negate as unsigned: INT64_MIN has no positive int64_t */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    tj_buf_put(&w->out, p, (size_t)(end - p));
}

static bool write_value(writer *w, const tj_type *t, const void *slot, int depth);
static bool write_key(writer *w, const tj_type *t, const void *slot);

static bool write_value(writer *w, const tj_type *t, const void *slot, int depth)
{
    switch (t->kind) {
    case TJ_BOOL:
        tj_buf_putc(&w->out, *(const bool *)slot ? '1' : '0');
        return true;
    case TJ_BYTE:
    case TJ_I16:
    case TJ_I32:
    case TJ_I64:
    case TJ_ENUM:
        put_int(w, tj_get_int(t, slot));
        return true;
    case TJ_DOUBLE: {
        double x;
        memcpy(&x, slot, sizeof x);
        return put_double(w, x);
    }
    case TJ_STRING: {
        const char *s;
        memcpy(&s, slot, sizeof s);
        return put_string(w, s ? s : "", s ? strlen(s) : 0);
    }
    case TJ_BINARY: {
        const tj_binary *b = slot;
        tj_buf_putc(&w->out, '"');
        pyjson_base64_encode(&w->out, b->data, b->len);
        tj_buf_putc(&w->out, '"');
        return true;
    }
    case TJ_STRUCT:
        write_struct(w, t->struct_desc, slot, depth);
        return w->status == TJ_OK;
    case TJ_LIST:
    case TJ_SET: {
        tj_list l;
        memcpy(&l, slot, sizeof l);
        if (l.len == 0) {
            tj_buf_put(&w->out, "[]", 2);
            return true;
        }
        tj_buf_putc(&w->out, '[');
        for (size_t i = 0; i < l.len; i++) {
            if (i)
                tj_buf_putc(&w->out, ',');
            newline_indent(w, depth + 1);
            size_t mark = tj_path_push_index(&w->path, i);
            if (!write_value(w, t->elem, (const char *)l.items + i * t->elem->size, depth + 1))
                return false;
            tj_path_pop(&w->path, mark);
        }
        newline_indent(w, depth);
        tj_buf_putc(&w->out, ']');
        return true;
    }
    case TJ_MAP: {
        tj_map m;
        memcpy(&m, slot, sizeof m);
        if (m.len == 0) {
            tj_buf_put(&w->out, "{}", 2);
            return true;
        }
        tj_buf_putc(&w->out, '{');
        for (size_t i = 0; i < m.len; i++) {
            if (i)
                tj_buf_putc(&w->out, ',');
            newline_indent(w, depth + 1);
            const void *key = (const char *)m.keys + i * t->key->size;
            const char *skey = NULL;
            if (t->key->kind == TJ_STRING)
                memcpy(&skey, key, sizeof skey);
            size_t mark = skey ? tj_path_push_key(&w->path, skey) : tj_path_push_index(&w->path, i);
            if (!write_key(w, t->key, key))
                return false;
            tj_buf_put(&w->out, ": ", 2);
            if (!write_value(w, t->elem, (const char *)m.values + i * t->elem->size, depth + 1))
                return false;
            tj_path_pop(&w->path, mark);
        }
        newline_indent(w, depth);
        tj_buf_putc(&w->out, '}');
        return true;
    }
    }
    return fail(w, TJ_ERR_TYPE, "unknown type kind");
}

/* A map key: always a JSON string. Strings and binary (base64) already are;
 * numbers and bools are quoted, as Thrift's writer quotes them in key
 * position. */
static bool write_key(writer *w, const tj_type *t, const void *slot)
{
    if (t->kind == TJ_STRING || t->kind == TJ_BINARY)
        return write_value(w, t, slot, 0);
    if (t->kind == TJ_STRUCT || t->kind == TJ_LIST || t->kind == TJ_SET || t->kind == TJ_MAP)
        return fail(w, TJ_ERR_TYPE, "map key of a type JSON cannot spell");
    tj_buf_putc(&w->out, '"');
    bool ok = write_value(w, t, slot, 0);
    tj_buf_putc(&w->out, '"');
    return ok;
}

static void write_struct(writer *w, const tj_struct_desc *desc, const void *obj, int depth)
{
    size_t written = 0;
    for (size_t i = 0; i < desc->field_count && w->status == TJ_OK; i++) {
        const tj_field *f = &desc->fields[i];
        size_t mark = tj_path_push_field(&w->path, f->name);
        if (!tj_field_is_set(f, obj)) {
            if (f->req == TJ_REQUIRED) {
                char msg[160];
                snprintf(msg, sizeof msg, "required field %s of %s is not set", f->name, desc->name);
                fail(w, TJ_ERR_VALUE, msg);
            }
            tj_path_pop(&w->path, mark);
            continue;
        }
        if (desc->is_union && written > 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "union %s has more than one member set", desc->name);
            fail(w, TJ_ERR_VALUE, msg);
            break;
        }
        tj_buf_putc(&w->out, written ? ',' : '{');
        newline_indent(w, depth + 1);
        put_string(w, f->name, strlen(f->name));
        tj_buf_put(&w->out, ": ", 2);
        const void *slot = tj_field_cslot(f, obj);
        if (f->type->kind == TJ_STRUCT) {
            const void *child;
            memcpy(&child, slot, sizeof child);
            write_struct(w, f->type->struct_desc, child, depth + 1);
        } else {
            write_value(w, f->type, slot, depth + 1);
        }
        written++;
        tj_path_pop(&w->path, mark);
    }
    if (written == 0)
        tj_buf_put(&w->out, "{}", 2);
    else {
        newline_indent(w, depth);
        tj_buf_putc(&w->out, '}');
    }
}

char *tj_to_json(const tj_struct_desc *desc, const void *obj, size_t *len, tj_error *err)
{
    /* field by field: an initializer would zero the path's ~9 KB of frames
     * and text for every config written (tj_path_init sets what is read) */
    writer w;
    w.out = (tj_buf){0};
    w.err = err;
    w.status = TJ_OK;
    tj_path_init(&w.path);
    write_struct(&w, desc, obj, 0);
    if (w.status == TJ_OK && w.out.failed)
        w.status = tj_fail(err, TJ_ERR_NOMEM, NULL, "out of memory");
    if (w.status != TJ_OK) {
        tj_buf_free(&w.out);
        return NULL;
    }
    char *text = tj_buf_take(&w.out, len);
    if (!text)
        tj_fail(err, TJ_ERR_NOMEM, NULL, "out of memory");
    return text;
}
