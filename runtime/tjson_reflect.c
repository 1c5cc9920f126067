/* Reflection lookups, the shared scalar types, JSON paths and error text. */
#include <stdarg.h>
#include <stdio.h>

#include "tjson_internal.h"

#define SCALAR(var, kind, name, ctype) \
    const tj_type var = {kind, name, sizeof(ctype), NULL, NULL, NULL, NULL}
SCALAR(tj_type_bool, TJ_BOOL, "bool", bool);
SCALAR(tj_type_byte, TJ_BYTE, "byte", int8_t);
SCALAR(tj_type_i16, TJ_I16, "i16", int16_t);
SCALAR(tj_type_i32, TJ_I32, "i32", int32_t);
SCALAR(tj_type_i64, TJ_I64, "i64", int64_t);
SCALAR(tj_type_double, TJ_DOUBLE, "double", double);
SCALAR(tj_type_string, TJ_STRING, "string", char *);
SCALAR(tj_type_binary, TJ_BINARY, "binary", tj_binary);

const tj_field *tj_field_by_name(const tj_struct_desc *desc, const char *name)
{
    /* The first byte first: most fields differ there, and the compiler and
     * the JSON reader look fields up by name all the time. */
    for (size_t i = 0; i < desc->field_count; i++)
        if (desc->fields[i].name[0] == name[0] && strcmp(desc->fields[i].name, name) == 0)
            return &desc->fields[i];
    return NULL;
}

const tj_field *tj_field_by_id(const tj_struct_desc *desc, int16_t id)
{
    for (size_t i = 0; i < desc->field_count; i++)
        if (desc->fields[i].id == id)
            return &desc->fields[i];
    return NULL;
}

bool tj_field_is_set(const tj_field *field, const void *obj)
{
    if (field->has_offset != TJ_NO_FLAG)
        return *(const bool *)((const char *)obj + field->has_offset);
    const void *ptr;
    memcpy(&ptr, tj_field_cslot(field, obj), sizeof ptr);
    return ptr != NULL;
}

const tj_field *tj_union_member(const tj_struct_desc *desc, const void *obj)
{
    for (size_t i = 0; i < desc->field_count; i++)
        if (tj_field_is_set(&desc->fields[i], obj))
            return &desc->fields[i];
    return NULL;
}

const char *tj_enum_name(const tj_enum_desc *desc, int32_t value)
{
    for (size_t i = 0; i < desc->count; i++)
        if (desc->values[i].value == value)
            return desc->values[i].name;
    return NULL;
}

bool tj_enum_value_of(const tj_enum_desc *desc, const char *name, int32_t *value)
{
    for (size_t i = 0; i < desc->count; i++)
        if (strcmp(desc->values[i].name, name) == 0) {
            *value = desc->values[i].value;
            return true;
        }
    return false;
}

int64_t tj_get_int(const tj_type *t, const void *slot)
{
    switch (t->kind) {
    case TJ_BOOL: return *(const bool *)slot;
    case TJ_BYTE: { int8_t v; memcpy(&v, slot, sizeof v); return v; }
    case TJ_I16: { int16_t v; memcpy(&v, slot, sizeof v); return v; }
    case TJ_I32:
    case TJ_ENUM: { int32_t v; memcpy(&v, slot, sizeof v); return v; }
    case TJ_I64: { int64_t v; memcpy(&v, slot, sizeof v); return v; }
    default: return 0;
    }
}

void tj_set_int(const tj_type *t, void *slot, int64_t v)
{
    switch (t->kind) {
    case TJ_BOOL: *(bool *)slot = v != 0; break;
    case TJ_BYTE: { int8_t x = (int8_t)v; memcpy(slot, &x, sizeof x); break; }
    case TJ_I16: { int16_t x = (int16_t)v; memcpy(slot, &x, sizeof x); break; }
    case TJ_I32:
    case TJ_ENUM: { int32_t x = (int32_t)v; memcpy(slot, &x, sizeof x); break; }
    case TJ_I64: memcpy(slot, &v, sizeof v); break;
    default: break;
    }
}

bool tj_int_in_range(const tj_type *t, int64_t v)
{
    switch (t->kind) {
    case TJ_BYTE: return v >= INT8_MIN && v <= INT8_MAX;
    case TJ_I16: return v >= INT16_MIN && v <= INT16_MAX;
    case TJ_I32:
    case TJ_ENUM: return v >= INT32_MIN && v <= INT32_MAX;
    default: return true;
    }
}

/* ---- paths ---- */

void tj_path_init(tj_path *p)
{
    p->len = 1; /* "$" */
    p->depth = 0;
    p->truncated = false;
    p->text[0] = '\0';
}

static bool is_identifier(const char *s)
{
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return false;
    for (s++; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* A key that is not an identifier, quoted with what would make the path
 * ambiguous or unprintable escaped (at most 199 bytes of it); returns the
 * quoted length. */
static size_t quote_key(const char *key, char quoted[200])
{
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)key; *s && n + 8 < 200; s++) {
        if (*s == '"' || *s == '\\')
            n += (size_t)snprintf(quoted + n, 200 - n, "\\%c", *s);
        else if (*s < 0x20)
            n += (size_t)snprintf(quoted + n, 200 - n, "\\u%04x", *s);
        else
            quoted[n++] = (char)*s;
    }
    quoted[n] = '\0';
    return n;
}

static size_t digits(size_t v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Spell one frame at out (room enough is the caller's concern); returns its
 * length. */
static size_t spell_frame(const tj_path_frame *f, char *out)
{
    if (f->kind == TJ_PATH_INDEX) {
        size_t n = digits(f->u.index) + 2;
        out[0] = '[';
        size_t v = f->u.index;
        for (size_t i = n - 2; i > 0; i--) {
            out[i] = (char)('0' + v % 10);
            v /= 10;
        }
        out[n - 1] = ']';
        return n;
    }
    if (f->kind == TJ_PATH_KEY && !is_identifier(f->u.s)) {
        char quoted[200];
        size_t q = quote_key(f->u.s, quoted);
        out[0] = '[';
        out[1] = '"';
        memcpy(out + 2, quoted, q);
        out[q + 2] = '"';
        out[q + 3] = ']';
        return q + 4;
    }
    size_t n = strlen(f->u.s); /* a field, or a key that reads as one */
    out[0] = '.';
    memcpy(out + 1, f->u.s, n);
    return n + 1;
}

void tj_path_spell(const tj_path *p, char *buf)
{
    if (p->truncated) {
        memcpy(buf, p->text, p->len + 1);
        return;
    }
    size_t len = 1;
    buf[0] = '$';
    for (size_t i = 0; i < p->depth; i++)
        len += spell_frame(&p->frames[i], buf + len);
    buf[len] = '\0';
}

/* Push a frame whose spelling is n bytes long. */
static size_t push(tj_path *p, tj_path_frame f, size_t n)
{
    size_t mark = p->len;
    if (p->truncated)
        return mark;
    if (n >= TJ_PATH_SIZE - p->len) {
        /* Too deep to spell out: keep a marker instead of a cut-off segment. */
        tj_path_spell(p, p->text);
        if (mark + 4 < TJ_PATH_SIZE)
            memcpy(p->text + mark, "...", 4);
        p->len = strlen(p->text);
        p->truncated = true;
        return mark;
    }
    f.start = (uint16_t)mark;
    p->frames[p->depth++] = f;
    p->len += n;
    return mark;
}

size_t tj_path_push_field(tj_path *p, const char *name)
{
    tj_path_frame f = {.u.s = name, .kind = TJ_PATH_FIELD};
    return push(p, f, strlen(name) + 1);
}

size_t tj_path_push_index(tj_path *p, size_t index)
{
    tj_path_frame f = {.u.index = index, .kind = TJ_PATH_INDEX};
    return push(p, f, digits(index) + 2);
}

size_t tj_path_push_key(tj_path *p, const char *key)
{
    tj_path_frame f = {.u.s = key, .kind = TJ_PATH_KEY};
    if (is_identifier(key))
        return push(p, f, strlen(key) + 1);
    char quoted[200];
    return push(p, f, quote_key(key, quoted) + 4);
}

tj_status tj_fail(tj_error *err, tj_status status, const tj_path *path, const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    err->line = err->column = 0;
    if (path)
        tj_path_spell(path, err->path);
    else
        snprintf(err->path, sizeof err->path, "$");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

const char *tj_error_format(const tj_error *err, char *buf, size_t size)
{
    if (err->status == TJ_ERR_SYNTAX)
        snprintf(buf, size, "line %d, column %d: %s", err->line, err->column, err->message);
    else
        snprintf(buf, size, "%s: %s", err->path, err->message);
    return buf;
}
