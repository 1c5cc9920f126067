/* Values: construction, ordered dicts, and the Python semantics the
 * evaluator needs (truth, equality, str/repr, type names). */
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pyjson.h"

static value *new_value(arena *a, value_kind kind, src_loc loc)
{
    value *v = arena_alloc(a, sizeof *v);
    if (v) {
        v->kind = kind;
        v->loc = loc;
    }
    return v;
}

value *v_error(arena *a)
{
    src_loc none = {0};
    return new_value(a, V_ERROR, none);
}

value *v_none(arena *a, src_loc loc) { return new_value(a, V_NONE, loc); }

value *v_bool(arena *a, bool b, src_loc loc)
{
    value *v = new_value(a, V_BOOL, loc);
    if (v)
        v->u.b = b;
    return v;
}

value *v_int(arena *a, int64_t i, src_loc loc)
{
    value *v = new_value(a, V_INT, loc);
    if (v)
        v->u.i = i;
    return v;
}

value *v_float(arena *a, double f, src_loc loc)
{
    value *v = new_value(a, V_FLOAT, loc);
    if (v)
        v->u.f = f;
    return v;
}

value *v_str(arena *a, const char *data, size_t len, src_loc loc)
{
    value *v = new_value(a, V_STR, loc);
    char *copy = arena_strndup(a, data, len);
    if (!v || !copy)
        return NULL;
    v->u.str.data = copy;
    v->u.str.len = len;
    return v;
}

value *v_cstr(arena *a, const char *s, src_loc loc) { return v_str(a, s, strlen(s), loc); }

value *v_list(arena *a, value_kind kind, size_t cap, src_loc loc)
{
    value *v = new_value(a, kind, loc);
    if (!v)
        return NULL;
    if (cap) {
        v->u.list.items = arena_alloc(a, cap * sizeof(value *));
        if (!v->u.list.items)
            return NULL;
        v->u.list.cap = cap;
    }
    return v;
}

bool v_list_push(arena *a, value *list, value *item)
{
    arena_note_store(a, list);
    if (list->u.list.len == list->u.list.cap) {
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
        value **items = arena_alloc(a, cap * sizeof(value *));
        if (!items)
            return false;
        if (list->u.list.len)
            memcpy(items, list->u.list.items, list->u.list.len * sizeof(value *));
        list->u.list.items = items;
        list->u.list.cap = cap;
    }
    list->u.list.items[list->u.list.len++] = item;
    return true;
}

value *v_dict(arena *a, src_loc loc)
{
    value *v = new_value(a, V_DICT, loc);
    if (!v || !(v->u.dict = dict_new(a)))
        return NULL;
    return v;
}

value *v_builtin(arena *a, const builtin *def, value *self, src_loc loc)
{
    value *v = new_value(a, V_BUILTIN, loc);
    if (v) {
        v->u.builtin.def = def;
        v->u.builtin.self = self;
    }
    return v;
}

value *v_module(arena *a, module *m, src_loc loc)
{
    value *v = new_value(a, V_MODULE, loc);
    if (v)
        v->u.module = m;
    return v;
}

value *v_class(arena *a, const tj_struct_desc *cls, src_loc loc)
{
    value *v = new_value(a, V_CLASS, loc);
    if (v)
        v->u.cls = cls;
    return v;
}

value *v_object(arena *a, const tj_struct_desc *desc, src_loc loc)
{
    value *v = new_value(a, V_OBJECT, loc);
    object *o = arena_alloc(a, sizeof *o);
    value **fields = arena_alloc(a, (desc->field_count ? desc->field_count : 1) * sizeof(value *));
    if (!v || !o || !fields)
        return NULL;
    o->desc = desc;
    o->fields = fields;
    v->u.obj = o;
    return v;
}

module *module_new(arena *a, const char *name, const source_file *file)
{
    module *m = arena_alloc(a, sizeof *m);
    if (!m || !(m->name = arena_strndup(a, name, strlen(name))) || !(m->attrs = dict_new(a)))
        return NULL;
    m->file = file;
    return m;
}

/* ---- dicts ---- */

dict *dict_new(arena *a) { return arena_alloc(a, sizeof(dict)); }

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t hash_value(const value *v)
{
    switch (v->kind) {
    case V_STR: return hash_bytes(v->u.str.data, v->u.str.len);
    case V_BOOL: return (uint64_t)v->u.b * 0x9e3779b97f4a7c15ull;
    case V_INT: return (uint64_t)v->u.i * 0x9e3779b97f4a7c15ull;
    case V_FLOAT: {
        /* equal numbers hash equal: 2.0 like 2 */
        double f = v->u.f;
        if (f == floor(f) && fabs(f) < 9.2e18)
            return (uint64_t)(int64_t)f * 0x9e3779b97f4a7c15ull;
        uint64_t bits;
        memcpy(&bits, &f, sizeof bits);
        return bits;
    }
    case V_TUPLE: {
        uint64_t h = 0x345678;
        for (size_t i = 0; i < v->u.list.len; i++)
            h = (h ^ hash_value(v->u.list.items[i])) * 1000003ull;
        return h;
    }
    default: return 0;
    }
}

bool value_hashable(const value *v)
{
    switch (v->kind) {
    case V_NONE: case V_BOOL: case V_INT: case V_FLOAT: case V_STR: case V_ERROR:
        return true;
    case V_TUPLE:
        for (size_t i = 0; i < v->u.list.len; i++)
            if (!value_hashable(v->u.list.items[i]))
                return false;
        return true;
    default:
        return false;
    }
}

#define DICT_INDEX_FROM 8

static bool dict_reindex(arena *a, dict *d, size_t cap)
{
    size_t *index = arena_alloc(a, cap * sizeof(size_t));
    if (!index)
        return false;
    for (size_t i = 0; i < d->len; i++) {
        size_t slot = hash_value(d->keys[i]) & (cap - 1);
        while (index[slot])
            slot = (slot + 1) & (cap - 1);
        index[slot] = i + 1;
    }
    d->index = index;
    d->index_cap = cap;
    return true;
}

/* value_equal for dict keys, with the common case inline: both strings
 * (names, keyword arguments, config keys) are told apart by length and
 * first byte before any call. */
static inline bool key_equal(const value *a, const value *b)
{
    if (a->kind == V_STR && b->kind == V_STR)
        return a->u.str.len == b->u.str.len &&
               (a->u.str.len == 0 ||
                (a->u.str.data[0] == b->u.str.data[0] && memcmp(a->u.str.data, b->u.str.data, a->u.str.len) == 0));
    return value_equal(a, b);
}

static long dict_find(const dict *d, const value *key)
{
    if (!d->index) {
        for (size_t i = 0; i < d->len; i++)
            if (key_equal(d->keys[i], key))
                return (long)i;
        return -1;
    }
    size_t slot = hash_value(key) & (d->index_cap - 1);
    while (d->index[slot]) {
        size_t i = d->index[slot] - 1;
        if (key_equal(d->keys[i], key))
            return (long)i;
        slot = (slot + 1) & (d->index_cap - 1);
    }
    return -1;
}

value *dict_get(const dict *d, const value *key)
{
    long i = dict_find(d, key);
    return i < 0 ? NULL : d->values[i];
}

value *dict_get_str(const dict *d, const char *key)
{
    value k = {.kind = V_STR};
    k.u.str.data = key;
    k.u.str.len = strlen(key);
    return dict_get(d, &k);
}

value *dict_key_str(const dict *d, const char *key)
{
    value k = {.kind = V_STR};
    k.u.str.data = key;
    k.u.str.len = strlen(key);
    long i = dict_find(d, &k);
    return i < 0 ? NULL : d->keys[i];
}

bool dict_set(arena *a, dict *d, value *key, value *val)
{
    arena_note_store(a, d);
    long i = dict_find(d, key);
    if (i >= 0) {
        d->values[i] = val; /* Python keeps the first key and its position */
        return true;
    }
    if (d->len == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        value **keys = arena_alloc(a, cap * sizeof(value *));
        value **values = arena_alloc(a, cap * sizeof(value *));
        if (!keys || !values)
            return false;
        if (d->len) {
            memcpy(keys, d->keys, d->len * sizeof(value *));
            memcpy(values, d->values, d->len * sizeof(value *));
        }
        d->keys = keys;
        d->values = values;
        d->cap = cap;
    }
    d->keys[d->len] = key;
    d->values[d->len] = val;
    d->len++;
    if (d->len >= DICT_INDEX_FROM && d->len * 2 > d->index_cap)
        return dict_reindex(a, d, d->index_cap ? d->index_cap * 2 : 32);
    if (d->index) {
        size_t slot = hash_value(key) & (d->index_cap - 1);
        while (d->index[slot])
            slot = (slot + 1) & (d->index_cap - 1);
        d->index[slot] = d->len;
    }
    return true;
}

bool dict_set_str(arena *a, dict *d, const char *key, value *val, src_loc loc)
{
    value *k = v_cstr(a, key, loc);
    return k && dict_set(a, d, k, val);
}

/* ---- semantics ---- */

const char *value_type_name(const value *v)
{
    switch (v->kind) {
    case V_ERROR: return "<error>";
    case V_NONE: return "NoneType";
    case V_BOOL: return "bool";
    case V_INT: return "int";
    case V_FLOAT: return "float";
    case V_STR: return "str";
    case V_LIST: return "list";
    case V_TUPLE: return "tuple";
    case V_DICT: return "dict";
    case V_FUNCTION: return "function";
    case V_BUILTIN: return "builtin_function_or_method";
    case V_MODULE: return "module";
    case V_CLASS: return "type";
    case V_OBJECT: return v->u.obj->desc->name;
    }
    return "object";
}

bool value_truthy(const value *v)
{
    switch (v->kind) {
    case V_NONE: case V_ERROR: return false;
    case V_BOOL: return v->u.b;
    case V_INT: return v->u.i != 0;
    case V_FLOAT: return v->u.f != 0.0;
    case V_STR: return v->u.str.len != 0;
    case V_LIST: case V_TUPLE: return v->u.list.len != 0;
    case V_DICT: return v->u.dict->len != 0;
    default: return true;
    }
}

static bool is_number(const value *v) { return v->kind == V_BOOL || v->kind == V_INT || v->kind == V_FLOAT; }

static double as_double(const value *v)
{
    return v->kind == V_FLOAT ? v->u.f : v->kind == V_INT ? (double)v->u.i : (double)v->u.b;
}

bool value_equal(const value *a, const value *b)
{
    if (a == b)
        return true;
    if (is_number(a) && is_number(b)) {
        if (a->kind != V_FLOAT && b->kind != V_FLOAT) {
            int64_t x = a->kind == V_INT ? a->u.i : a->u.b, y = b->kind == V_INT ? b->u.i : b->u.b;
            return x == y;
        }
        return as_double(a) == as_double(b);
    }
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case V_NONE: return true;
    case V_STR:
        return a->u.str.len == b->u.str.len && memcmp(a->u.str.data, b->u.str.data, a->u.str.len) == 0;
    case V_LIST:
    case V_TUPLE:
        if (a->u.list.len != b->u.list.len)
            return false;
        for (size_t i = 0; i < a->u.list.len; i++)
            if (!value_equal(a->u.list.items[i], b->u.list.items[i]))
                return false;
        return true;
    case V_DICT: {
        const dict *x = a->u.dict, *y = b->u.dict;
        if (x->len != y->len)
            return false;
        for (size_t i = 0; i < x->len; i++) {
            value *other = dict_get(y, x->keys[i]);
            if (!other || !value_equal(x->values[i], other))
                return false;
        }
        return true;
    }
    case V_OBJECT: {
        /* generated Python classes compare __dict__ */
        const object *x = a->u.obj, *y = b->u.obj;
        if (x->desc != y->desc)
            return false;
        for (size_t i = 0; i < x->desc->field_count; i++) {
            const value *p = x->fields[i], *q = y->fields[i];
            bool pn = !p || p->kind == V_NONE, qn = !q || q->kind == V_NONE;
            if (pn != qn || (!pn && !value_equal(p, q)))
                return false;
        }
        return true;
    }
    case V_BUILTIN:
        return a->u.builtin.def == b->u.builtin.def && a->u.builtin.self == b->u.builtin.self;
    case V_MODULE: return a->u.module == b->u.module;
    case V_CLASS: return a->u.cls == b->u.cls;
    case V_FUNCTION: return a->u.fn == b->u.fn;
    default: return false;
    }
}

size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

/* Python's repr of a str: single quotes unless the text has a single quote
 * and no double quote; escapes for the quote, backslash and non-printables. */
static void repr_str(tj_buf *buf, const char *s, size_t n)
{
    bool has_single = memchr(s, '\'', n) != NULL, has_double = memchr(s, '"', n) != NULL;
    char quote = (has_single && !has_double) ? '"' : '\'';
    tj_buf_putc(buf, quote);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)quote || c == '\\') {
            tj_buf_putc(buf, '\\');
            tj_buf_putc(buf, (char)c);
        } else if (c == '\n') tj_buf_puts(buf, "\\n");
        else if (c == '\r') tj_buf_puts(buf, "\\r");
        else if (c == '\t') tj_buf_puts(buf, "\\t");
        else if (c < 0x20 || c == 0x7f) tj_buf_printf(buf, "\\x%02x", c);
        else tj_buf_putc(buf, (char)c); /* non-ASCII printable: as is */
    }
    tj_buf_putc(buf, quote);
}

static void put_float(tj_buf *buf, double f)
{
    if (isnan(f))
        tj_buf_puts(buf, "nan");
    else if (isinf(f))
        tj_buf_puts(buf, f > 0 ? "inf" : "-inf");
    else {
        char num[32];
        size_t n = pyjson_format_double(f, num);
        tj_buf_put(buf, num, n);
    }
}

static void put_items(tj_buf *buf, const value *v, const char *open, const char *close)
{
    tj_buf_puts(buf, open);
    for (size_t i = 0; i < v->u.list.len; i++) {
        if (i)
            tj_buf_puts(buf, ", ");
        value_repr(buf, v->u.list.items[i]);
    }
    if (v->kind == V_TUPLE && v->u.list.len == 1)
        tj_buf_putc(buf, ',');
    tj_buf_puts(buf, close);
}

void value_repr(tj_buf *buf, const value *v)
{
    switch (v->kind) {
    case V_STR: repr_str(buf, v->u.str.data, v->u.str.len); return;
    case V_LIST: put_items(buf, v, "[", "]"); return;
    case V_TUPLE: put_items(buf, v, "(", ")"); return;
    case V_DICT: {
        tj_buf_putc(buf, '{');
        for (size_t i = 0; i < v->u.dict->len; i++) {
            if (i)
                tj_buf_puts(buf, ", ");
            value_repr(buf, v->u.dict->keys[i]);
            tj_buf_puts(buf, ": ");
            value_repr(buf, v->u.dict->values[i]);
        }
        tj_buf_putc(buf, '}');
        return;
    }
    case V_OBJECT: {
        /* the generated Python classes' __repr__: Name(field=repr, ...) */
        const object *o = v->u.obj;
        tj_buf_printf(buf, "%s(", o->desc->name);
        for (size_t i = 0; i < o->desc->field_count; i++) {
            if (i)
                tj_buf_puts(buf, ", ");
            tj_buf_printf(buf, "%s=", o->desc->fields[i].name);
            if (o->fields[i])
                value_repr(buf, o->fields[i]);
            else
                tj_buf_puts(buf, "None");
        }
        tj_buf_putc(buf, ')');
        return;
    }
    default: value_str(buf, v); return;
    }
}

void value_ascii(tj_buf *buf, const value *v)
{
    tj_buf r = {0};
    value_repr(&r, v);
    const unsigned char *s = (const unsigned char *)(r.data ? r.data : ""), *end = s + r.len;
    while (s < end) {
        if (*s < 0x80) {
            tj_buf_putc(buf, (char)*s++);
            continue;
        }
        /* a UTF-8 sequence: its code point escaped as ascii() does */
        size_t n = (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xF8) == 0xF0 ? 4 : 1;
        unsigned long cp = n == 2 ? *s & 0x1Fu : n == 3 ? *s & 0x0Fu : n == 4 ? *s & 0x07u : *s;
        size_t i = 1;
        for (; i < n && s + i < end && (s[i] & 0xC0) == 0x80; i++)
            cp = (cp << 6) | (s[i] & 0x3Fu);
        if (i < n) { /* not well-formed: the byte itself */
            cp = *s;
            i = 1;
        }
        tj_buf_printf(buf, cp < 0x100 ? "\\x%02lx" : cp < 0x10000 ? "\\u%04lx" : "\\U%08lx", cp);
        s += i;
    }
    if (r.failed)
        buf->failed = true;
    tj_buf_free(&r);
}

void value_str(tj_buf *buf, const value *v)
{
    switch (v->kind) {
    case V_ERROR: tj_buf_puts(buf, "<error>"); return;
    case V_NONE: tj_buf_puts(buf, "None"); return;
    case V_BOOL: tj_buf_puts(buf, v->u.b ? "True" : "False"); return;
    case V_INT: tj_buf_printf(buf, "%lld", (long long)v->u.i); return;
    case V_FLOAT: put_float(buf, v->u.f); return;
    case V_STR: tj_buf_put(buf, v->u.str.data, v->u.str.len); return;
    case V_FUNCTION: tj_buf_printf(buf, "<function %s>", v->u.fn->name); return;
    case V_BUILTIN: tj_buf_printf(buf, "<built-in function %s>", v->u.builtin.def->name); return;
    case V_MODULE: tj_buf_printf(buf, "<module '%s'>", v->u.module->name); return;
    case V_CLASS: tj_buf_printf(buf, "<class 'ai.chronon.api.ttypes.%s'>", v->u.cls->name); return;
    default: value_repr(buf, v); return;
    }
}

value **object_field(object *o, const char *name)
{
    const tj_field *f = tj_field_by_name(o->desc, name);
    return f ? &o->fields[f - o->desc->fields] : NULL;
}

value *obj_get(const value *o, const char *field)
{
    if (o->kind != V_OBJECT)
        return NULL;
    value **slot = object_field(o->u.obj, field);
    return slot && *slot && (*slot)->kind != V_NONE ? *slot : NULL;
}

bool obj_set(value *o, const char *field, value *v)
{
    if (o->kind != V_OBJECT)
        return false;
    value **slot = object_field(o->u.obj, field);
    if (!slot)
        return false;
    *slot = v && v->kind != V_NONE ? v : NULL;
    return true;
}

value *obj_get_extra(const value *o, const char *name)
{
    return o->kind == V_OBJECT && o->u.obj->extra ? dict_get_str(o->u.obj->extra, name) : NULL;
}

bool obj_set_extra(arena *a, value *o, const char *name, value *v)
{
    arena_note_store(a, o->u.obj);
    if (!o->u.obj->extra && !(o->u.obj->extra = dict_new(a)))
        return false;
    return dict_set_str(a, o->u.obj->extra, name, v, v->loc);
}

static bool pyjson_key(tj_buf *buf, const value *k, const char **bad)
{
    switch (k->kind) {
    case V_STR: return pyjson_put_string(buf, k->u.str.data, k->u.str.len) || (*bad = "str", false);
    case V_BOOL: tj_buf_puts(buf, k->u.b ? "\"true\"" : "\"false\""); return true;
    case V_NONE: tj_buf_puts(buf, "\"null\""); return true;
    case V_INT: tj_buf_printf(buf, "\"%lld\"", (long long)k->u.i); return true;
    case V_FLOAT: tj_buf_putc(buf, '"'); put_float(buf, k->u.f); tj_buf_putc(buf, '"'); return true;
    default: *bad = value_type_name(k); return false;
    }
}

/* ---- where arguments were written ---- */

static long kwarg_index(const call_args *args, const char *name)
{
    for (size_t k = 0; args && k < args->nkeywords; k++)
        if (strcmp(args->names[k], name) == 0)
            return (long)k;
    return -1;
}

src_loc call_kwarg_loc(const call_args *args, const char *name, src_loc fallback)
{
    long k = kwarg_index(args, name);
    return k >= 0 && args->keyword_loc[k].file ? args->keyword_loc[k] : fallback;
}

src_loc call_kwarg_item_loc(const call_args *args, const char *name, size_t i, src_loc fallback)
{
    long k = kwarg_index(args, name);
    if (k >= 0 && !args->keyword_expr && args->keyword_items)
        return i < args->keyword_items[k].n ? args->keyword_items[k].locs[i] : fallback;
    const expr *e = k >= 0 && args->keyword_expr ? args->keyword_expr[k] : NULL;
    if (!e || (e->kind != E_LIST && e->kind != E_TUPLE) || i >= e->u.seq.items.len)
        return fallback;
    for (size_t j = 0; j <= i; j++)
        if (((const expr *)e->u.seq.items.items[j])->kind == E_STARRED)
            return fallback;
    return ((const expr *)e->u.seq.items.items[i])->loc;
}

bool obj_set_made_by(arena *a, value *obj, const call_args *args)
{
    if (!obj || obj->kind != V_OBJECT || obj->u.obj->made_by)
        return true;
    arena_note_store(a, obj->u.obj);
    if (!args->nkeywords) { /* Window(7, TimeUnit.DAYS): made by a call, no keyword to point at */
        static const call_args no_keywords = {0};
        obj->u.obj->made_by = &no_keywords;
        return true;
    }
    /* the keywords only (what the helpers read), copied: args may be a C
     * caller's, on its stack; of the expressions written, only the item
     * locations of list and tuple displays, so that the object does not
     * keep the syntax tree (a module's tree is freed once it has run) */
    size_t n = args->nkeywords;
    call_args *copy = arena_alloc(a, sizeof *copy);
    const char **names = arena_alloc(a, (n ? n : 1) * sizeof *names);
    src_loc *locs = arena_alloc(a, (n ? n : 1) * sizeof *locs);
    item_locs *items = arena_alloc(a, (n ? n : 1) * sizeof *items);
    if (!copy || !names || !locs || !items)
        return false;
    for (size_t k = 0; k < n; k++) {
        names[k] = args->names[k];
        locs[k] = args->keyword_loc[k];
        const expr *e = args->keyword_expr ? args->keyword_expr[k] : NULL;
        if (e && (e->kind == E_LIST || e->kind == E_TUPLE)) {
            size_t m = 0; /* up to the first starred item: the items after it have no fixed index */
            while (m < e->u.seq.items.len && ((const expr *)e->u.seq.items.items[m])->kind != E_STARRED)
                m++;
            src_loc *il = m ? arena_alloc(a, m * sizeof *il) : NULL;
            if (m && !il)
                return false;
            for (size_t j = 0; j < m; j++)
                il[j] = ((const expr *)e->u.seq.items.items[j])->loc;
            items[k] = (item_locs){.locs = il, .n = m};
        }
    }
    copy->names = names;
    copy->keyword_loc = locs;
    copy->keyword_items = items;
    copy->nkeywords = n;
    obj->u.obj->made_by = copy;
    return true;
}

/* The keyword of the call that made obj for its field `field`: the field's
 * own name, else its snake_case (timeColumn: time_column). */
static const call_args *made_by_kwarg(const value *obj, const char *field, const char **name, char *buf, size_t cap)
{
    const call_args *args = obj && obj->kind == V_OBJECT ? obj->u.obj->made_by : NULL;
    if (!args)
        return NULL;
    *name = field;
    if (kwarg_index(args, field) >= 0)
        return args;
    size_t n = 0;
    for (const char *c = field; *c; c++) {
        bool upper = *c >= 'A' && *c <= 'Z';
        if (n + 3 > cap)
            return NULL;
        if (upper)
            buf[n++] = '_';
        buf[n++] = upper ? (char)(*c - 'A' + 'a') : *c;
    }
    buf[n] = '\0';
    *name = buf;
    return args;
}

src_loc obj_arg_loc(const value *obj, const char *field, src_loc fallback)
{
    char buf[128];
    const char *name;
    const call_args *args = made_by_kwarg(obj, field, &name, buf, sizeof buf);
    return args ? call_kwarg_loc(args, name, fallback) : fallback;
}

src_loc obj_arg_item_loc(const value *obj, const char *field, size_t i, src_loc fallback)
{
    char buf[128];
    const char *name;
    const call_args *args = made_by_kwarg(obj, field, &name, buf, sizeof buf);
    return args ? call_kwarg_item_loc(args, name, i, fallback) : fallback;
}

bool value_to_pyjson(tj_buf *buf, const value *v, const char **bad)
{
    switch (v->kind) {
    case V_NONE: tj_buf_puts(buf, "null"); return true;
    case V_BOOL: tj_buf_puts(buf, v->u.b ? "true" : "false"); return true;
    case V_INT: tj_buf_printf(buf, "%lld", (long long)v->u.i); return true;
    case V_FLOAT:
        if (isnan(v->u.f)) tj_buf_puts(buf, "NaN");
        else if (isinf(v->u.f)) tj_buf_puts(buf, v->u.f > 0 ? "Infinity" : "-Infinity");
        else put_float(buf, v->u.f);
        return true;
    case V_STR:
        if (!pyjson_put_string(buf, v->u.str.data, v->u.str.len)) {
            *bad = "str (invalid UTF-8)";
            return false;
        }
        return true;
    case V_LIST:
    case V_TUPLE:
        tj_buf_putc(buf, '[');
        for (size_t i = 0; i < v->u.list.len; i++) {
            if (i)
                tj_buf_puts(buf, ", ");
            if (!value_to_pyjson(buf, v->u.list.items[i], bad))
                return false;
        }
        tj_buf_putc(buf, ']');
        return true;
    case V_DICT:
        tj_buf_putc(buf, '{');
        for (size_t i = 0; i < v->u.dict->len; i++) {
            if (i)
                tj_buf_puts(buf, ", ");
            if (!pyjson_key(buf, v->u.dict->keys[i], bad))
                return false;
            tj_buf_puts(buf, ": ");
            if (!value_to_pyjson(buf, v->u.dict->values[i], bad))
                return false;
        }
        tj_buf_putc(buf, '}');
        return true;
    default:
        *bad = value_type_name(v);
        return false;
    }
}
