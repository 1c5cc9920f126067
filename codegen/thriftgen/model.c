#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str_printf.h"

/* ---- strings ----------------------------------------------------------------- */

typedef struct sbuf {
    char *data;
    size_t len, cap;
    bool failed;
} sbuf;

static void sb_put(sbuf *s, const char *p, size_t n)
{
    if (s->failed)
        return;
    if (s->cap - s->len <= n) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap - s->len <= n)
            cap *= 2;
        char *grown = realloc(s->data, cap);
        if (!grown) {
            s->failed = true;
            return;
        }
        s->data = grown;
        s->cap = cap;
    }
    memcpy(s->data + s->len, p, n);
    s->len += n;
    s->data[s->len] = '\0';
}

static void sb_puts(sbuf *s, const char *p) { sb_put(s, p, strlen(p)); }
static void sb_putc(sbuf *s, char c) { sb_put(s, &c, 1); }

static void sb_printf(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *s, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        s->failed = true;
    } else if ((size_t)n < sizeof small) {
        sb_put(s, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (!big) {
            s->failed = true;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        sb_put(s, big, (size_t)n);
        free(big);
    }
}

/* The contents (never NULL unless an append failed); the buffer is emptied. */
static char *sb_take(sbuf *s)
{
    char *data = s->failed ? NULL : s->data ? s->data : strdup("");
    if (s->failed)
        free(s->data);
    memset(s, 0, sizeof *s);
    return data;
}


/* ---- the builder ----------------------------------------------------------------- */

typedef struct builder {
    const model_options *opt;
    json_t *enum_by_name;      /* IDL enum name -> its context object */
    json_t *struct_by_name;    /* IDL struct name -> its thrift JSON */
    json_t *containers;        /* context objects, inner types before outer ones */
    json_t *container_by_tag;  /* "list_string" -> context object */
    json_t *c_names;           /* file-scope C identifier -> what it was made for */
    char *err;
    size_t errsize;
} builder;

static bool fail(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(builder *b, const char *fmt, ...)
{
    if (b->err && b->errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->err, b->errsize, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool nomem(builder *b) { return fail(b, "out of memory"); }

/* jansson's *_new setters take the value even when they fail, and a NULL
 * value is how an earlier allocation failure arrives here. */
static bool put(builder *b, json_t *obj, const char *key, json_t *value)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        return nomem(b);
    return true;
}

static bool put_str(builder *b, json_t *obj, const char *key, const char *s)
{
    return s ? put(b, obj, key, json_string(s)) : nomem(b);
}

/* put_str, then free s (which may be NULL after a failed allocation) */
static bool put_own(builder *b, json_t *obj, const char *key, char *s)
{
    bool ok = put_str(b, obj, key, s);
    free(s);
    return ok;
}

static bool append(builder *b, json_t *array, json_t *value)
{
    if (!value || json_array_append_new(array, value) != 0)
        return nomem(b);
    return true;
}

static const char *get_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* ---- C names ----------------------------------------------------------------------- */

static const char *const reserved_words[] = {
    /* C11 keywords */
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool",
    "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local",
    /* C23 keywords, so the output survives a newer -std */
    "alignas", "alignof", "bool", "constexpr", "false", "nullptr", "static_assert",
    "thread_local", "true", "typeof", "typeof_unqual",
    /* macros of the headers tjson.h includes */
    "NULL", "offsetof",
};

static bool is_reserved(const char *name)
{
    for (size_t i = 0; i < sizeof reserved_words / sizeof reserved_words[0]; i++)
        if (strcmp(name, reserved_words[i]) == 0)
            return true;
    return false;
}

static bool is_identifier(const char *s)
{
    if (!s || !*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

/* A C spelling for an IDL name: a keyword gets a trailing underscore. */
static char *mangle(const char *name)
{
    return is_reserved(name) ? str_printf("%s_", name) : strdup(name);
}

/* prefix + name, mangled (matters only with an empty prefix) */
static char *c_ident(const builder *b, const char *name)
{
    char *joined = str_printf("%s%s", b->opt->prefix, name);
    if (!joined || !is_reserved(joined))
        return joined;
    char *mangled = mangle(joined);
    free(joined);
    return mangled;
}

/* Every file-scope identifier is claimed once, so that an IDL whose names
 * would collide in C (struct "A_desc" next to struct "A", enum value "E_V"
 * next to struct "E_V") is refused instead of failing to compile. */
static bool claim(builder *b, const char *ident, const char *owner)
{
    if (!ident)
        return nomem(b);
    json_t *prior = json_object_get(b->c_names, ident);
    if (prior)
        return fail(b, "%s and %s would both be called %s in C", json_string_value(prior), owner,
                    ident);
    return put_str(b, b->c_names, ident, owner);
}

static bool claim_derived(builder *b, const char *c_name, const char *owner,
                          const char *const *suffixes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *ident = str_printf("%s%s", c_name, suffixes[i]);
        bool ok = claim(b, ident, owner);
        free(ident);
        if (!ok)
            return false;
    }
    return true;
}

/* ---- types ----------------------------------------------------------------------------- */

typedef enum vkind {
    V_BOOL, V_BYTE, V_I16, V_I32, V_I64, V_DOUBLE, V_STRING, V_BINARY,
    V_ENUM, V_STRUCT, V_LIST, V_SET, V_MAP
} vkind;

typedef struct scalar {
    const char *type_id;  /* as thrift's JSON spells it */
    const char *tag;      /* as container names and idl_name spell it */
    const char *c_type;
    vkind kind;
} scalar;

static const scalar scalars[] = {
    {"bool", "bool", "bool", V_BOOL},       {"i8", "byte", "int8_t", V_BYTE},
    {"byte", "byte", "int8_t", V_BYTE},     {"i16", "i16", "int16_t", V_I16},
    {"i32", "i32", "int32_t", V_I32},       {"i64", "i64", "int64_t", V_I64},
    {"double", "double", "double", V_DOUBLE}, {"string", "string", "char *", V_STRING},
    {"binary", "binary", "tj_binary", V_BINARY},
};

/* A resolved IDL type at one position (field, element, key or value). */
typedef struct ttype {
    vkind kind;
    char *idl;           /* "list<string>", "Window", "i32" */
    char *tag;           /* "list_string", "Window", "i32" */
    char *c_name;        /* C type of a stored value: "int32_t", "char *", "chronon_Window" */
    char *ref;           /* "&tj_type_i32", "&chronon_Window_type" */
    json_t *enum_ctx;    /* V_ENUM: the enum's context, for checking default values */
    struct ttype *elem;  /* list/set element, map value */
    struct ttype *key;   /* map key */
} ttype;

static void ttype_free(ttype *t)
{
    if (!t)
        return;
    free(t->idl);
    free(t->tag);
    free(t->c_name);
    free(t->ref);
    ttype_free(t->elem);
    ttype_free(t->key);
    free(t);
}

static bool is_container(vkind k) { return k == V_LIST || k == V_SET || k == V_MAP; }

/* "char *" + "items" -> "char **items"; "int32_t" + "items" -> "int32_t *items" */
static char *pointer_decl(const char *c_type, const char *name)
{
    size_t n = strlen(c_type);
    return n && c_type[n - 1] == '*' ? str_printf("%s*%s", c_type, name)
                                     : str_printf("%s *%s", c_type, name);
}

static bool register_container(builder *b, const ttype *t)
{
    if (json_object_get(b->container_by_tag, t->tag))
        return true;
    char *owner = str_printf("container %s", t->idl);
    static const char *const suffixes[] = {"", "_type"};
    bool ok = owner ? claim_derived(b, t->c_name, owner, suffixes, 2) : nomem(b);
    free(owner);
    if (!ok)
        return false;

    json_t *c = json_object();
    if (!c)
        return nomem(b);
    ok = put_str(b, c, "c_name", t->c_name) && put_str(b, c, "idl_name", t->idl) &&
         put_str(b, c, "kind", t->kind == V_LIST ? "TJ_LIST" : t->kind == V_SET ? "TJ_SET" : "TJ_MAP") &&
         put(b, c, "is_map", json_boolean(t->kind == V_MAP)) &&
         put_str(b, c, "elem_ref", t->elem->ref);
    if (ok && t->kind == V_MAP)
        ok = put_str(b, c, "key_ref", t->key->ref) &&
             put_own(b, c, "keys_decl", pointer_decl(t->key->c_name, "keys")) &&
             put_own(b, c, "values_decl", pointer_decl(t->elem->c_name, "values"));
    else if (ok)
        ok = put_own(b, c, "items_decl", pointer_decl(t->elem->c_name, "items"));
    if (!ok) {
        json_decref(c);
        return false;
    }
    return append(b, b->containers, json_incref(c)) &&
           put(b, b->container_by_tag, t->tag, c);
}

/* Where an annotation applies while a field's type is resolved: c.enum turns
 * the i32s reached through list/set elements and map values into enum E;
 * c.key_enum does the same for the map keys met on that path. */
typedef struct annot {
    const char *value_enum, *key_enum;
    bool value_used, key_used;
} annot;

static ttype *resolve(builder *b, const char *where, const char *type_id, json_t *type,
                      const char *as_enum, bool *enum_used, annot *an);

static ttype *new_ttype(builder *b, vkind kind)
{
    ttype *t = calloc(1, sizeof *t);
    if (!t)
        nomem(b);
    else
        t->kind = kind;
    return t;
}

static ttype *resolve_container(builder *b, const char *where, const char *type_id, json_t *type,
                                annot *an)
{
    vkind kind = strcmp(type_id, "list") == 0 ? V_LIST : strcmp(type_id, "set") == 0 ? V_SET : V_MAP;
    if (!json_is_object(type)) {
        fail(b, "%s: %s without its element types in thrift's JSON", where, type_id);
        return NULL;
    }
    ttype *t = new_ttype(b, kind);
    if (!t)
        return NULL;
    if (kind == V_MAP) {
        t->key = resolve(b, where, get_str(type, "keyTypeId"), json_object_get(type, "keyType"),
                         an->key_enum, &an->key_used, NULL);
        if (t->key && (t->key->kind == V_STRUCT || is_container(t->key->kind))) {
            fail(b, "%s: map key type %s is a %s; JSON object keys can only hold scalars and enums",
                 where, t->key->idl, t->key->kind == V_STRUCT ? "struct" : "container");
            ttype_free(t);
            return NULL;
        }
        if (t->key)
            t->elem = resolve(b, where, get_str(type, "valueTypeId"),
                              json_object_get(type, "valueType"), an->value_enum, &an->value_used, an);
    } else {
        t->elem = resolve(b, where, get_str(type, "elemTypeId"), json_object_get(type, "elemType"),
                          an->value_enum, &an->value_used, an);
    }
    if (!t->elem) {
        ttype_free(t);
        return NULL;
    }
    if (kind == V_MAP) {
        t->idl = str_printf("map<%s,%s>", t->key->idl, t->elem->idl);
        t->tag = str_printf("map_%s_%s", t->key->tag, t->elem->tag);
    } else {
        t->idl = str_printf("%s<%s>", type_id, t->elem->idl);
        t->tag = str_printf("%s_%s", type_id, t->elem->tag);
    }
    t->c_name = t->tag ? str_printf("%s%s", b->opt->prefix, t->tag) : NULL;
    t->ref = t->c_name ? str_printf("&%s_type", t->c_name) : NULL;
    if (!t->idl || !t->ref) {
        nomem(b);
        ttype_free(t);
        return NULL;
    }
    if (!register_container(b, t)) {
        ttype_free(t);
        return NULL;
    }
    return t;
}

/* as_enum: the enum an i32 at this position stands for (NULL: plain i32);
 * *enum_used is set when it is applied. an: annotations to pass on to the
 * positions inside a container (NULL for a map key, whose type is flat). */
static ttype *resolve(builder *b, const char *where, const char *type_id, json_t *type,
                      const char *as_enum, bool *enum_used, annot *an)
{
    if (!type_id) {
        fail(b, "%s: a type without typeId in thrift's JSON", where);
        return NULL;
    }
    if (strcmp(type_id, "list") == 0 || strcmp(type_id, "set") == 0 || strcmp(type_id, "map") == 0) {
        annot none = {0};
        return resolve_container(b, where, type_id, type, an ? an : &none);
    }
    ttype *t = NULL;
    if (strcmp(type_id, "struct") == 0 || strcmp(type_id, "union") == 0 ||
        strcmp(type_id, "exception") == 0) {
        const char *name = get_str(type, "class");
        if (!name) {
            fail(b, "%s: a %s type without its class in thrift's JSON", where, type_id);
            return NULL;
        }
        if (!json_object_get(b->struct_by_name, name)) {
            if (strchr(name, '.'))
                fail(b, "%s: type %s comes from an included IDL; thrift-cgen does not follow includes",
                     where, name);
            else
                fail(b, "%s: unknown type %s", where, name);
            return NULL;
        }
        if (!(t = new_ttype(b, V_STRUCT)))
            return NULL;
        t->idl = strdup(name);
        t->tag = strdup(name);
        t->c_name = c_ident(b, name);
    } else if (strcmp(type_id, "i32") == 0 && as_enum) {
        json_t *e = json_object_get(b->enum_by_name, as_enum);
        if (!e) {
            fail(b, "%s: (c.%senum = \"%s\") names no enum of this IDL", where,
                 an ? "" : "key_", as_enum);
            return NULL;
        }
        if (!(t = new_ttype(b, V_ENUM)))
            return NULL;
        *enum_used = true;
        t->enum_ctx = e;
        t->idl = strdup(as_enum);
        t->tag = strdup(as_enum);
        t->c_name = strdup(get_str(e, "c_name"));
    } else {
        const scalar *s = NULL;
        for (size_t i = 0; i < sizeof scalars / sizeof scalars[0] && !s; i++)
            if (strcmp(type_id, scalars[i].type_id) == 0)
                s = &scalars[i];
        if (!s) {
            fail(b, "%s: unsupported type %s", where, type_id);
            return NULL;
        }
        if (!(t = new_ttype(b, s->kind)))
            return NULL;
        t->idl = strdup(s->tag);
        t->tag = strdup(s->tag);
        t->c_name = strdup(s->c_type);
        t->ref = str_printf("&tj_type_%s", s->tag);
    }
    if (!t->ref && t->c_name)
        t->ref = str_printf("&%s_type", t->c_name);
    if (!t->idl || !t->tag || !t->c_name || !t->ref) {
        nomem(b);
        ttype_free(t);
        return NULL;
    }
    return t;
}

/* ---- default values -------------------------------------------------------------------------- */

/* What Python's repr() writes for a finite double, which is what chronon-ai's
 * JSON holds: the shortest digits that read back, fixed notation for decimal
 * exponents -4..15, else d.ddde+XX. */
static void py_repr_double(double x, char out[40])
{
    if (x == 0) {
        strcpy(out, signbit(x) ? "-0.0" : "0.0");
        return;
    }
    char sci[40];
    for (int prec = 0; prec <= 16; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec, x);
        if (strtod(sci, NULL) == x)
            break;
    }
    /* sci is [-]d[.ddd]e[+-]XX */
    char digits[24];
    size_t nd = 0;
    const char *p = sci;
    bool negative = *p == '-';
    if (negative)
        p++;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    int exp10 = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';

    char *o = out;
    if (negative)
        *o++ = '-';
    if (exp10 >= -4 && exp10 < 16) {
        if (exp10 < 0) {
            o += sprintf(o, "0.");
            for (int i = -1; i > exp10; i--)
                *o++ = '0';
            o += sprintf(o, "%s", digits);
        } else {
            for (int i = 0; i <= exp10; i++)
                *o++ = (size_t)i < nd ? digits[i] : '0';
            *o++ = '.';
            if ((size_t)exp10 + 1 < nd)
                o += sprintf(o, "%s", digits + exp10 + 1);
            else
                *o++ = '0';
        }
        *o = '\0';
    } else {
        *o++ = digits[0];
        if (nd > 1) {
            *o++ = '.';
            o += sprintf(o, "%s", digits + 1);
        }
        sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    }
}

/* Decode one code point of valid UTF-8 (jansson has checked it). */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
    if (extra)
        c &= 0x3f >> extra;
    for (int i = 1; i <= extra; i++)
        c = (c << 6) | (s[i] & 0x3f);
    *p = s + 1 + extra;
    return c;
}

/* json.dumps(s) with ensure_ascii, as the runtime writes strings */
static void put_json_string(sbuf *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    sb_putc(o, '"');
    while (p < end) {
        uint32_t c = utf8_next(&p);
        switch (c) {
        case '"': sb_puts(o, "\\\""); break;
        case '\\': sb_puts(o, "\\\\"); break;
        case '\n': sb_puts(o, "\\n"); break;
        case '\r': sb_puts(o, "\\r"); break;
        case '\t': sb_puts(o, "\\t"); break;
        case '\b': sb_puts(o, "\\b"); break;
        case '\f': sb_puts(o, "\\f"); break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                sb_putc(o, (char)c);
            } else if (c < 0x10000) {
                sb_printf(o, "\\u%04x", (unsigned)c);
            } else {
                c -= 0x10000;
                sb_printf(o, "\\u%04x\\u%04x", 0xd800u + (unsigned)(c >> 10),
                          0xdc00u + (unsigned)(c & 0x3ff));
            }
        }
    }
    sb_putc(o, '"');
}

static void put_base64(sbuf *o, const unsigned char *data, size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    sb_putc(o, '"');
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < n)
            v |= data[i + 2];
        char quad[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63],
                        i + 1 < n ? alphabet[(v >> 6) & 63] : '=', i + 2 < n ? alphabet[v & 63] : '='};
        sb_put(o, quad, 4);
    }
    sb_putc(o, '"');
}

static bool int_in_range(vkind kind, long long v)
{
    switch (kind) {
    case V_BYTE: return v >= INT8_MIN && v <= INT8_MAX;
    case V_I16: return v >= INT16_MIN && v <= INT16_MAX;
    case V_I32:
    case V_ENUM: return v >= INT32_MIN && v <= INT32_MAX;
    default: return true;
    }
}

static bool enum_has_value(json_t *enum_ctx, long long v)
{
    json_t *values = json_object_get(enum_ctx, "values");
    for (size_t i = 0; i < json_array_size(values); i++)
        if (json_integer_value(json_object_get(json_array_get(values, i), "value")) == v)
            return true;
    return false;
}

static bool check_int(builder *b, const char *where, const ttype *t, long long v)
{
    if (!int_in_range(t->kind, v))
        return fail(b, "%s: default %lld does not fit in %s", where, v, t->idl);
    if (t->kind == V_ENUM && !enum_has_value(t->enum_ctx, v))
        return fail(b, "%s: default %lld is not a value of enum %s", where, v, t->idl);
    return true;
}

/* A map key in the JSON thrift wrote (always a string) as the runtime writes
 * it: numbers and bools quoted, binary in base64. */
static bool write_key(builder *b, const char *where, const ttype *t, const char *key, sbuf *o)
{
    char *end = NULL;
    errno = 0;
    switch (t->kind) {
    case V_STRING:
        put_json_string(o, key, strlen(key));
        return true;
    case V_BINARY:
        put_base64(o, (const unsigned char *)key, strlen(key));
        return true;
    case V_BOOL:
        if (strcmp(key, "1") == 0 || strcmp(key, "true") == 0)
            sb_puts(o, "\"1\"");
        else if (strcmp(key, "0") == 0 || strcmp(key, "false") == 0)
            sb_puts(o, "\"0\"");
        else
            return fail(b, "%s: map key \"%s\" is not a bool", where, key);
        return true;
    case V_DOUBLE: {
        double d = strtod(key, &end);
        if (end == key || *end || errno)
            return fail(b, "%s: map key \"%s\" is not a double", where, key);
        char num[40];
        py_repr_double(d, num);
        sb_printf(o, "\"%s\"", num);
        return true;
    }
    default: {
        long long v = strtoll(key, &end, 10);
        if (end == key || *end || errno)
            return fail(b, "%s: map key \"%s\" is not an integer", where, key);
        if (!check_int(b, where, t, v))
            return false;
        sb_printf(o, "\"%lld\"", v);
        return true;
    }
    }
}

/* The IDL default v of type t, written as the runtime would write the same
 * value (bools as 0/1, enums as numbers, binary in base64), compactly. */
static bool write_default(builder *b, const char *where, const ttype *t, json_t *v, sbuf *o)
{
    switch (t->kind) {
    case V_BOOL:
        if (json_is_boolean(v) || (json_is_integer(v) && (json_integer_value(v) & ~1LL) == 0)) {
            sb_putc(o, json_is_true(v) || json_integer_value(v) == 1 ? '1' : '0');
            return true;
        }
        break;
    case V_BYTE:
    case V_I16:
    case V_I32:
    case V_I64:
    case V_ENUM:
        if (json_is_integer(v)) {
            if (!check_int(b, where, t, json_integer_value(v)))
                return false;
            sb_printf(o, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            return true;
        }
        break;
    case V_DOUBLE:
        if (json_is_number(v)) {
            char num[40];
            py_repr_double(json_number_value(v), num);
            sb_puts(o, num);
            return true;
        }
        break;
    case V_STRING:
        if (json_is_string(v)) {
            put_json_string(o, json_string_value(v), json_string_length(v));
            return true;
        }
        break;
    case V_BINARY:
        if (json_is_string(v)) {
            put_base64(o, (const unsigned char *)json_string_value(v), json_string_length(v));
            return true;
        }
        break;
    case V_STRUCT:
        return fail(b, "%s: defaults of struct type (%s) are not supported; Python's generator "
                       "cannot emit them either", where, t->idl);
    case V_LIST:
    case V_SET:
        if (json_is_array(v)) {
            sb_putc(o, '[');
            for (size_t i = 0; i < json_array_size(v); i++) {
                if (i)
                    sb_putc(o, ',');
                if (!write_default(b, where, t->elem, json_array_get(v, i), o))
                    return false;
            }
            sb_putc(o, ']');
            return true;
        }
        break;
    case V_MAP:
        if (json_is_object(v)) {
            /* jansson keeps the order of thrift's output, which is the order
             * Python's generated dict literal has too */
            const char *key;
            json_t *value;
            bool first = true;
            sb_putc(o, '{');
            json_object_foreach(v, key, value) {
                if (!first)
                    sb_putc(o, ',');
                first = false;
                if (!write_key(b, where, t->key, key, o))
                    return false;
                sb_putc(o, ':');
                if (!write_default(b, where, t->elem, value, o))
                    return false;
            }
            sb_putc(o, '}');
            return true;
        }
        break;
    }
    return fail(b, "%s: default value does not match type %s", where, t->idl);
}

/* A C string literal holding text (printable ASCII, as write_default makes). */
static char *c_string_literal(const char *text)
{
    sbuf o = {0};
    sb_putc(&o, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_putc(&o, '\\');
        sb_putc(&o, *p);
        /* "??" would start a trigraph under -std=c11 */
        if (*p == '?' && p[1] == '?')
            sb_putc(&o, '\\');
    }
    sb_putc(&o, '"');
    return sb_take(&o);
}

/* ---- documentation comments -------------------------------------------------------------- */

/* The IDL's doc comment as {"lines": [{"text": ...}]}, or null: always set,
 * so that a field without a doc does not find its struct's doc further out
 * in the template's context stack. "*" "/" inside would end the C comment. */
static bool put_doc(builder *b, json_t *ctx, json_t *item)
{
    const char *doc = get_str(item, "doc");
    if (!doc)
        return put(b, ctx, "doc", json_null());
    json_t *lines = json_array();
    if (!lines || !put(b, ctx, "doc", json_pack("{so}", "lines", lines)))
        return false;
    size_t n = strlen(doc);
    while (n > 0 && (doc[n - 1] == '\n' || doc[n - 1] == ' '))
        n--;
    const char *p = doc, *end = doc + n;
    while (p <= end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *to = eol;
        while (to > p && (to[-1] == ' ' || to[-1] == '\t' || to[-1] == '\r'))
            to--;
        sbuf line = {0};
        for (const char *c = p; c < to; c++) {
            sb_putc(&line, *c);
            if (*c == '*' && c + 1 < to && c[1] == '/')
                sb_putc(&line, ' ');
        }
        char *text = sb_take(&line);
        json_t *entry = json_object();
        bool ok = entry ? put_str(b, entry, "text", text) : nomem(b);
        if (!ok)
            json_decref(entry);
        free(text);
        if (!ok || !append(b, lines, entry))
            return false;
        p = eol + 1;
    }
    return true;
}

/* ---- enums ----------------------------------------------------------------------------- */

static bool build_enum(builder *b, json_t *e, json_t *out)
{
    const char *name = get_str(e, "name");
    if (!is_identifier(name))
        return fail(b, "enum %s: not a C identifier", name ? name : "(unnamed)");
    json_t *members = json_object_get(e, "members");
    if (json_array_size(members) == 0)
        return fail(b, "enum %s: has no values, and C has no empty enums", name);

    json_t *ctx = json_object();
    if (!ctx || !append(b, out, ctx))
        return false;
    char *c_name = c_ident(b, name);
    char *owner = str_printf("enum %s", name);
    static const char *const suffixes[] = {"", "_desc", "_type", "_values"};
    bool ok = c_name && owner && put_str(b, ctx, "name", name) && put_str(b, ctx, "c_name", c_name) &&
              put(b, ctx, "count", json_integer((json_int_t)json_array_size(members))) &&
              put_doc(b, ctx, e) && claim_derived(b, c_name, owner, suffixes, 4) &&
              put(b, b->enum_by_name, name, json_incref(ctx));
    if (!c_name || !owner)
        ok = nomem(b);
    json_t *values = ok ? json_array() : NULL;
    ok = ok && put(b, ctx, "values", values);
    for (size_t i = 0; ok && i < json_array_size(members); i++) {
        json_t *m = json_array_get(members, i);
        const char *vname = get_str(m, "name");
        json_t *value = json_object_get(m, "value");
        if (!is_identifier(vname)) {
            ok = fail(b, "enum %s, value %s: not a C identifier", name, vname ? vname : "(unnamed)");
            break;
        }
        if (!json_is_integer(value) || !int_in_range(V_I32, json_integer_value(value))) {
            ok = fail(b, "enum %s, value %s: not a 32-bit integer", name, vname);
            break;
        }
        json_t *v = json_object();
        char *v_c_name = str_printf("%s_%s", c_name, vname);
        char *v_owner = str_printf("enum %s value %s", name, vname);
        ok = v && append(b, values, v) && put_str(b, v, "name", vname) &&
             put_str(b, v, "c_name", v_c_name) && put(b, v, "value", json_incref(value)) &&
             put_doc(b, v, m) && v_owner && claim(b, v_c_name, v_owner);
        if (!v || !v_owner)
            ok = nomem(b);
        free(v_c_name);
        free(v_owner);
    }
    free(c_name);
    free(owner);
    return ok;
}

/* ---- structs ------------------------------------------------------------------------------ */

static int by_field_id(const void *pa, const void *pb)
{
    json_int_t a = json_integer_value(json_object_get(*(json_t *const *)pa, "key"));
    json_int_t b = json_integer_value(json_object_get(*(json_t *const *)pb, "key"));
    return (a > b) - (a < b);
}

/* The annotation's value, NULL if absent; a non-string value is an error. */
static bool annotation(builder *b, const char *where, json_t *f, const char *key, const char **out)
{
    json_t *v = json_object_get(json_object_get(f, "annotations"), key);
    *out = json_string_value(v);
    if (v && !*out)
        return fail(b, "%s: (%s = ...) must be a string", where, key);
    return true;
}

static bool build_field(builder *b, const char *sname, const char *s_cname, json_t *f,
                        json_t *members, json_t *fields)
{
    const char *name = get_str(f, "name");
    char where[300];
    snprintf(where, sizeof where, "struct %s, field %s", sname, name ? name : "(unnamed)");
    if (!is_identifier(name))
        return fail(b, "%s: not a C identifier", where);
    json_t *key = json_object_get(f, "key");
    if (!json_is_integer(key) || !int_in_range(V_I16, json_integer_value(key)))
        return fail(b, "%s: field id is not a 16-bit integer", where);

    const char *req_idl = get_str(f, "required"), *req;
    if (req_idl && strcmp(req_idl, "required") == 0)
        req = "TJ_REQUIRED";
    else if (req_idl && strcmp(req_idl, "optional") == 0)
        req = "TJ_OPTIONAL";
    else if (req_idl && strcmp(req_idl, "req_out") == 0)
        req = "TJ_DEFAULT_REQ";
    else
        return fail(b, "%s: unknown requiredness \"%s\"", where, req_idl ? req_idl : "");

    annot an = {0};
    if (!annotation(b, where, f, "c.enum", &an.value_enum) ||
        !annotation(b, where, f, "c.key_enum", &an.key_enum))
        return false;
    ttype *t = resolve(b, where, get_str(f, "typeId"), json_object_get(f, "type"), an.value_enum,
                       &an.value_used, &an);
    if (!t)
        return false;
    bool ok = true;
    if (an.value_enum && !an.value_used)
        ok = fail(b, "%s: (c.enum = \"%s\") needs an i32 field, or i32 list/set elements or map "
                     "values, but the type is %s%s", where, an.value_enum, t->idl,
                  t->kind == V_MAP ? " (for map keys use c.key_enum)" : "");
    else if (an.key_enum && !an.key_used)
        ok = fail(b, "%s: (c.key_enum = \"%s\") needs a map with i32 keys, but the type is %s",
                  where, an.key_enum, t->idl);

    char *member = ok ? mangle(name) : NULL;
    char *has_name = member ? str_printf("has_%s", member) : NULL;
    bool pointer = t->kind == V_STRUCT || t->kind == V_STRING;
    char *decl = NULL, *offset = NULL, *has_offset = NULL, *default_c = NULL;
    if (has_name) {
        decl = t->kind == V_STRUCT ? pointer_decl(t->c_name, member)
               : pointer           ? str_printf("char *%s", member)
                                   : str_printf("%s %s", t->c_name, member);
        offset = str_printf("offsetof(%s, %s)", s_cname, member);
        has_offset = pointer ? strdup("TJ_NO_FLAG") : str_printf("offsetof(%s, %s)", s_cname, has_name);
        if (!decl || !offset || !has_offset)
            ok = nomem(b);
    } else if (ok) {
        ok = nomem(b);
    }

    /* members of one struct: a field "has_x" next to a flagged field "x" */
    if (ok && json_object_get(members, member))
        ok = fail(b, "%s: its C member name %s is already used by %s", where, member,
                  json_string_value(json_object_get(members, member)));
    if (ok)
        ok = put_str(b, members, member, name ? name : "");
    if (ok && !pointer) {
        if (json_object_get(members, has_name))
            ok = fail(b, "%s: its flag %s is already used by %s", where, has_name,
                      json_string_value(json_object_get(members, has_name)));
        else
            ok = put_str(b, members, has_name, name);
    }

    json_t *dflt = json_object_get(f, "default");
    if (ok && dflt) {
        sbuf text = {0};
        if (write_default(b, where, t, dflt, &text)) {
            char *json_text = sb_take(&text);
            default_c = json_text ? c_string_literal(json_text) : NULL;
            if (!default_c)
                ok = nomem(b);
            free(json_text);
        } else {
            free(sb_take(&text));
            ok = false;
        }
    }

    json_t *ctx = ok ? json_object() : NULL;
    if (ok) {
        ok = ctx && append(b, fields, ctx) && put(b, ctx, "id", json_incref(key)) &&
             put_str(b, ctx, "name", name) && put_str(b, ctx, "c_name", member) &&
             put_str(b, ctx, "idl_type", t->idl) && put_str(b, ctx, "decl", decl) &&
             put(b, ctx, "has_flag", json_boolean(!pointer)) && put_str(b, ctx, "has_name", has_name) &&
             put_str(b, ctx, "type_ref", t->ref) && put_str(b, ctx, "req", req) &&
             put_str(b, ctx, "offset", offset) && put_str(b, ctx, "has_offset", has_offset) &&
             (default_c ? put_str(b, ctx, "default_c", default_c) : put(b, ctx, "default_c", json_null())) && put_doc(b, ctx, f);
        if (!ctx)
            ok = nomem(b);
    }
    free(member);
    free(has_name);
    free(decl);
    free(offset);
    free(has_offset);
    free(default_c);
    ttype_free(t);
    return ok;
}

static bool build_struct(builder *b, json_t *s, json_t *out)
{
    const char *name = get_str(s, "name");
    bool is_union = json_is_true(json_object_get(s, "isUnion"));
    bool is_exception = json_is_true(json_object_get(s, "isException"));
    const char *kind = is_union ? "union" : is_exception ? "exception" : "struct";

    json_t *ctx = json_object();
    if (!ctx || !append(b, out, ctx))
        return false;
    char *c_name = c_ident(b, name);
    char *owner = str_printf("%s %s", kind, name);
    char *fields_ref = NULL;
    json_t *in_fields = json_object_get(s, "fields");
    size_t n = json_array_size(in_fields);
    static const char *const suffixes[] = {"",       "_desc",     "_type",        "_fields",
                                           "_init",  "_free",     "_copy",        "_equal",
                                           "_to_json", "_from_json"};
    if (c_name)
        fields_ref = n ? str_printf("%s_fields", c_name) : strdup("NULL");
    json_t *fields = json_array(), *members = json_object();
    bool ok = c_name && owner && fields_ref && put_str(b, ctx, "name", name) &&
              put_str(b, ctx, "c_name", c_name) && put_str(b, ctx, "kind", kind) &&
              put(b, ctx, "is_union", json_boolean(is_union)) &&
              put(b, ctx, "field_count", json_integer((json_int_t)n)) &&
              put(b, ctx, "has_fields", json_boolean(n > 0)) &&
              put_str(b, ctx, "fields_ref", fields_ref) && put_doc(b, ctx, s) &&
              claim_derived(b, c_name, owner, suffixes, sizeof suffixes / sizeof suffixes[0]) &&
              put(b, ctx, "fields", json_incref(fields));
    if (!c_name || !owner || !fields_ref || !members)
        ok = nomem(b);

    /* the C struct and the descriptor list fields by id, not IDL order */
    json_t **sorted = ok && n ? malloc(n * sizeof *sorted) : NULL;
    if (ok && n && !sorted)
        ok = nomem(b);
    for (size_t i = 0; ok && i < n; i++)
        sorted[i] = json_array_get(in_fields, i);
    if (ok && n)
        qsort(sorted, n, sizeof *sorted, by_field_id);
    for (size_t i = 0; ok && i < n; i++)
        ok = build_field(b, name, c_name, sorted[i], members, fields);

    free(sorted);
    json_decref(fields);
    json_decref(members);
    free(c_name);
    free(owner);
    free(fields_ref);
    return ok;
}

/* ---- the whole file ------------------------------------------------------------------------ */

static char *include_guard(const char *name)
{
    char *g = str_printf("%s_H", name);
    for (char *p = g; p && *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
        else if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            *p = '_';
    }
    return g;
}

static bool build(builder *b, json_t *idl, json_t *ctx)
{
    json_t *includes = json_object_get(idl, "includes");
    if (json_array_size(includes) > 0)
        return fail(b, "includes other IDL files, which thrift-cgen does not follow");

    const model_options *opt = b->opt;
    json_t *enums = json_array(), *structs = json_array();
    if (!put_str(b, ctx, "idl", opt->idl_path) || !put_str(b, ctx, "name", opt->name) ||
        !put_str(b, ctx, "prefix", opt->prefix) || !put_own(b, ctx, "guard", include_guard(opt->name)) ||
        !put(b, ctx, "enums", enums) || !put(b, ctx, "structs", structs) ||
        !put(b, ctx, "containers", json_incref(b->containers)))
        return false;

    static const char *const file_names[] = {"structs", "struct_count", "enums", "enum_count",
                                             "struct_by_name"};
    for (size_t i = 0; i < sizeof file_names / sizeof file_names[0]; i++) {
        char *ident = str_printf("%s%s", opt->prefix, file_names[i]);
        bool ok = claim(b, ident, "the file's tables");
        free(ident);
        if (!ok)
            return false;
    }

    json_t *in_enums = json_object_get(idl, "enums"), *in_structs = json_object_get(idl, "structs");
    for (size_t i = 0; i < json_array_size(in_enums); i++)
        if (!build_enum(b, json_array_get(in_enums, i), enums))
            return false;
    /* structs may refer to structs declared after them */
    for (size_t i = 0; i < json_array_size(in_structs); i++) {
        json_t *s = json_array_get(in_structs, i);
        const char *name = get_str(s, "name");
        if (!is_identifier(name))
            return fail(b, "struct %s: not a C identifier", name ? name : "(unnamed)");
        if (!put(b, b->struct_by_name, name, json_incref(s)))
            return false;
    }
    for (size_t i = 0; i < json_array_size(in_structs); i++)
        if (!build_struct(b, json_array_get(in_structs, i), structs))
            return false;
    return put(b, ctx, "struct_count", json_integer((json_int_t)json_array_size(structs))) &&
           put(b, ctx, "enum_count", json_integer((json_int_t)json_array_size(enums)));
}

json_t *model_build(json_t *idl, const model_options *opt, char *err, size_t errsize)
{
    builder b = {
        .opt = opt,
        .enum_by_name = json_object(),
        .struct_by_name = json_object(),
        .containers = json_array(),
        .container_by_tag = json_object(),
        .c_names = json_object(),
        .err = err,
        .errsize = errsize,
    };
    json_t *ctx = json_object();
    bool ok = ctx && b.enum_by_name && b.struct_by_name && b.containers && b.container_by_tag &&
              b.c_names;
    if (!ok)
        nomem(&b);
    else if (!json_is_object(idl))
        ok = fail(&b, "thrift's JSON is not an object");
    else
        ok = build(&b, idl, ctx);
    json_decref(b.enum_by_name);
    json_decref(b.struct_by_name);
    json_decref(b.containers);
    json_decref(b.container_by_tag);
    json_decref(b.c_names);
    if (!ok) {
        json_decref(ctx);
        return NULL;
    }
    return ctx;
}
