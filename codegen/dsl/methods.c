/* Methods of str, list and dict values (bound builtins), and Python's format
 * mini-language for str.format and f-strings. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "pyjson.h"

#define METHOD(name) \
    static value *name(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
#define OOM_IF_NULL(v) ((v) ? (v) : eval_oom(ctx, loc))

static value *new_str(eval_ctx *ctx, const char *s, size_t n, src_loc loc)
{
    value *v = v_str(ctx->arena, s, n, loc);
    return OOM_IF_NULL(v);
}

static value *buf_to_str(eval_ctx *ctx, tj_buf *b, src_loc loc)
{
    if (b->failed) {
        tj_buf_free(b);
        return eval_oom(ctx, loc);
    }
    value *v = new_str(ctx, b->data ? b->data : "", b->len, loc);
    tj_buf_free(b);
    return v;
}

static bool want_str(eval_ctx *ctx, const char *fname, value *v, src_loc loc)
{
    if (v->kind == V_STR)
        return true;
    eval_error(ctx, loc, "%s() argument must be str, not %s", fname, value_type_name(v));
    return false;
}

/* ---- str ---- */

METHOD(str_format_m)
{
    (void)def;
    return str_format(ctx, self, args, loc);
}

METHOD(str_join)
{
    static const param_spec p[] = {{"iterable", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    if (a[0]->kind != V_LIST && a[0]->kind != V_TUPLE)
        return eval_error(ctx, loc, "str.join() needs a list or tuple of strings, got %s", value_type_name(a[0]));
    tj_buf b = {0};
    for (size_t i = 0; i < a[0]->u.list.len; i++) {
        value *item = a[0]->u.list.items[i];
        if (item->kind != V_STR) {
            tj_buf_free(&b);
            return eval_error(ctx, loc, "sequence item %zu: expected str instance, %s found", i, value_type_name(item));
        }
        if (i)
            tj_buf_put(&b, self->u.str.data, self->u.str.len);
        tj_buf_put(&b, item->u.str.data, item->u.str.len);
    }
    return buf_to_str(ctx, &b, loc);
}

static bool is_py_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

METHOD(str_split)
{
    static const param_spec p[] = {{"sep", P_OPTIONAL}, {"maxsplit", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, def->name, p, 2, args, loc, a))
        return v_error(ctx->arena);
    int64_t maxsplit = a[1] && a[1]->kind == V_INT ? a[1]->u.i : -1;
    value *out = v_list(ctx->arena, V_LIST, 0, loc);
    if (!out)
        return eval_oom(ctx, loc);
    const char *s = self->u.str.data, *end = s + self->u.str.len;
    if (!a[0] || a[0]->kind == V_NONE) {
        while (s < end) {
            while (s < end && is_py_space(*s))
                s++;
            if (s == end)
                break;
            const char *w = s;
            if (maxsplit >= 0 && (int64_t)out->u.list.len == maxsplit) {
                const char *t = end;
                while (t > w && is_py_space(t[-1]))
                    t--;
                if (!v_list_push(ctx->arena, out, new_str(ctx, w, (size_t)(t - w), loc)))
                    return eval_oom(ctx, loc);
                break;
            }
            while (s < end && !is_py_space(*s))
                s++;
            if (!v_list_push(ctx->arena, out, new_str(ctx, w, (size_t)(s - w), loc)))
                return eval_oom(ctx, loc);
        }
        return out;
    }
    if (!want_str(ctx, "split", a[0], loc))
        return v_error(ctx->arena);
    if (a[0]->u.str.len == 0)
        return eval_error(ctx, loc, "empty separator");
    const char *sep = a[0]->u.str.data;
    size_t sl = a[0]->u.str.len;
    for (;;) {
        const char *hit = NULL;
        if (maxsplit < 0 || (int64_t)out->u.list.len < maxsplit)
            for (const char *t = s; t + sl <= end; t++)
                if (memcmp(t, sep, sl) == 0) {
                    hit = t;
                    break;
                }
        if (!hit) {
            if (!v_list_push(ctx->arena, out, new_str(ctx, s, (size_t)(end - s), loc)))
                return eval_oom(ctx, loc);
            return out;
        }
        if (!v_list_push(ctx->arena, out, new_str(ctx, s, (size_t)(hit - s), loc)))
            return eval_oom(ctx, loc);
        s = hit + sl;
    }
}

METHOD(str_replace)
{
    static const param_spec p[] = {{"old", P_REQUIRED}, {"new", P_REQUIRED}, {"count", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, def->name, p, 3, args, loc, a))
        return v_error(ctx->arena);
    if (!want_str(ctx, "replace", a[0], loc) || !want_str(ctx, "replace", a[1], loc))
        return v_error(ctx->arena);
    int64_t count = a[2] && a[2]->kind == V_INT ? a[2]->u.i : -1;
    tj_buf b = {0};
    const char *s = self->u.str.data, *end = s + self->u.str.len;
    size_t ol = a[0]->u.str.len;
    int64_t done = 0;
    while (s <= end) {
        const char *hit = NULL;
        if (count < 0 || done < count) {
            if (ol == 0)
                hit = s;
            else
                for (const char *t = s; t + ol <= end; t++)
                    if (memcmp(t, a[0]->u.str.data, ol) == 0) {
                        hit = t;
                        break;
                    }
        }
        if (!hit) {
            tj_buf_put(&b, s, (size_t)(end - s));
            break;
        }
        tj_buf_put(&b, s, (size_t)(hit - s));
        tj_buf_put(&b, a[1]->u.str.data, a[1]->u.str.len);
        done++;
        if (ol == 0) {
            if (hit == end)
                break;
            size_t step = 1;
            while (hit + step < end && ((unsigned char)hit[step] & 0xC0) == 0x80)
                step++;
            tj_buf_put(&b, hit, step);
            s = hit + step;
        } else {
            s = hit + ol;
        }
    }
    return buf_to_str(ctx, &b, loc);
}

static value *change_case(eval_ctx *ctx, value *self, src_loc loc, int mode)
{
    /* ASCII letters only: definitions name columns and tables */
    char *copy = arena_strndup(ctx->arena, self->u.str.data, self->u.str.len);
    if (!copy)
        return eval_oom(ctx, loc);
    bool word_start = true;
    for (size_t i = 0; i < self->u.str.len; i++) {
        unsigned char c = (unsigned char)copy[i];
        if (mode == 0)
            copy[i] = (char)tolower(c);
        else if (mode == 1)
            copy[i] = (char)toupper(c);
        else if (mode == 2) { /* title */
            copy[i] = (char)(word_start ? toupper(c) : tolower(c));
            word_start = !isalpha(c);
        } else { /* capitalize */
            copy[i] = (char)(i == 0 ? toupper(c) : tolower(c));
        }
    }
    value *v = v_str(ctx->arena, copy, self->u.str.len, loc);
    return OOM_IF_NULL(v);
}

METHOD(str_lower) { if (!bind_args(ctx, def->name, NULL, 0, args, loc, NULL)) return v_error(ctx->arena); return change_case(ctx, self, loc, 0); }
METHOD(str_upper) { if (!bind_args(ctx, def->name, NULL, 0, args, loc, NULL)) return v_error(ctx->arena); return change_case(ctx, self, loc, 1); }
METHOD(str_title) { if (!bind_args(ctx, def->name, NULL, 0, args, loc, NULL)) return v_error(ctx->arena); return change_case(ctx, self, loc, 2); }
METHOD(str_capitalize) { if (!bind_args(ctx, def->name, NULL, 0, args, loc, NULL)) return v_error(ctx->arena); return change_case(ctx, self, loc, 3); }

static value *strip(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc, bool left, bool right)
{
    static const param_spec p[] = {{"chars", P_OPTIONAL}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    const char *chars = NULL;
    if (a[0] && a[0]->kind != V_NONE) {
        if (!want_str(ctx, def->name, a[0], loc))
            return v_error(ctx->arena);
        chars = a[0]->u.str.data;
    }
    const char *s = self->u.str.data, *e = s + self->u.str.len;
    while (left && s < e && (chars ? strchr(chars, *s) != NULL && *s : is_py_space(*s)))
        s++;
    while (right && e > s && (chars ? strchr(chars, e[-1]) != NULL && e[-1] : is_py_space(e[-1])))
        e--;
    return new_str(ctx, s, (size_t)(e - s), loc);
}

METHOD(str_strip) { return strip(ctx, def, self, args, loc, true, true); }
METHOD(str_lstrip) { return strip(ctx, def, self, args, loc, true, false); }
METHOD(str_rstrip) { return strip(ctx, def, self, args, loc, false, true); }

static value *affix(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc, bool prefix)
{
    static const param_spec p[] = {{"affix", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    value **cands = &a[0];
    size_t n = 1;
    if (a[0]->kind == V_TUPLE) {
        cands = a[0]->u.list.items;
        n = a[0]->u.list.len;
    }
    bool hit = false;
    for (size_t i = 0; i < n && !hit; i++) {
        if (!want_str(ctx, def->name, cands[i], loc))
            return v_error(ctx->arena);
        size_t l = cands[i]->u.str.len;
        if (l <= self->u.str.len)
            hit = memcmp(prefix ? self->u.str.data : self->u.str.data + self->u.str.len - l, cands[i]->u.str.data, l) == 0;
    }
    return OOM_IF_NULL(v_bool(ctx->arena, hit, loc));
}

METHOD(str_startswith) { return affix(ctx, def, self, args, loc, true); }
METHOD(str_endswith) { return affix(ctx, def, self, args, loc, false); }

/* ---- list ---- */

METHOD(list_append)
{
    static const param_spec p[] = {{"object", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    if (!v_list_push(ctx->arena, self, a[0]))
        return eval_oom(ctx, loc);
    return OOM_IF_NULL(v_none(ctx->arena, loc));
}

METHOD(list_extend)
{
    static const param_spec p[] = {{"iterable", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    if (a[0]->kind != V_LIST && a[0]->kind != V_TUPLE)
        return eval_error(ctx, loc, "list.extend() needs a list or tuple, got %s", value_type_name(a[0]));
    size_t n = a[0]->u.list.len;
    for (size_t i = 0; i < n; i++)
        if (!v_list_push(ctx->arena, self, a[0]->u.list.items[i]))
            return eval_oom(ctx, loc);
    return OOM_IF_NULL(v_none(ctx->arena, loc));
}

METHOD(list_copy)
{
    if (!bind_args(ctx, def->name, NULL, 0, args, loc, NULL))
        return v_error(ctx->arena);
    value *out = v_list(ctx->arena, V_LIST, self->u.list.len, loc);
    if (!out)
        return eval_oom(ctx, loc);
    memcpy(out->u.list.items, self->u.list.items, self->u.list.len * sizeof(value *));
    out->u.list.len = self->u.list.len;
    return out;
}

METHOD(list_index)
{
    static const param_spec p[] = {{"value", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    for (size_t i = 0; i < self->u.list.len; i++)
        if (value_equal(self->u.list.items[i], a[0]))
            return OOM_IF_NULL(v_int(ctx->arena, (int64_t)i, loc));
    return eval_error(ctx, loc, "value is not in the %s", value_type_name(self));
}

METHOD(list_count)
{
    static const param_spec p[] = {{"value", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, p, 1, args, loc, a))
        return v_error(ctx->arena);
    int64_t n = 0;
    for (size_t i = 0; i < self->u.list.len; i++)
        n += value_equal(self->u.list.items[i], a[0]);
    return OOM_IF_NULL(v_int(ctx->arena, n, loc));
}

/* ---- dict ---- */

METHOD(dict_get_m)
{
    static const param_spec p[] = {{"key", P_REQUIRED}, {"default", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, def->name, p, 2, args, loc, a))
        return v_error(ctx->arena);
    value *v = value_hashable(a[0]) ? dict_get(self->u.dict, a[0]) : NULL;
    if (v)
        return v;
    return a[1] ? a[1] : OOM_IF_NULL(v_none(ctx->arena, loc));
}

static value *dict_view(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc, int which)
{
    if (!bind_args(ctx, def->name, NULL, 0, args, loc, NULL))
        return v_error(ctx->arena);
    dict *d = self->u.dict;
    value *out = v_list(ctx->arena, V_LIST, d->len, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < d->len; i++) {
        value *item = which == 0 ? d->keys[i] : which == 1 ? d->values[i] : NULL;
        if (which == 2) {
            item = v_list(ctx->arena, V_TUPLE, 2, loc);
            if (!item)
                return eval_oom(ctx, loc);
            item->u.list.items[0] = d->keys[i];
            item->u.list.items[1] = d->values[i];
            item->u.list.len = 2;
        }
        out->u.list.items[out->u.list.len++] = item;
    }
    return out;
}

METHOD(dict_keys) { return dict_view(ctx, def, self, args, loc, 0); }
METHOD(dict_values) { return dict_view(ctx, def, self, args, loc, 1); }
METHOD(dict_items) { return dict_view(ctx, def, self, args, loc, 2); }

METHOD(dict_copy)
{
    if (!bind_args(ctx, def->name, NULL, 0, args, loc, NULL))
        return v_error(ctx->arena);
    value *out = v_dict(ctx->arena, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < self->u.dict->len; i++)
        if (!dict_set(ctx->arena, out->u.dict, self->u.dict->keys[i], self->u.dict->values[i]))
            return eval_oom(ctx, loc);
    return out;
}

METHOD(dict_update)
{
    static const param_spec p[] = {{"other", P_OPTIONAL}, {"kwargs", P_KWARGS}};
    value *a[2];
    if (!bind_args(ctx, def->name, p, 2, args, loc, a))
        return v_error(ctx->arena);
    value *sources[2] = {a[0], a[1]};
    for (int s = 0; s < 2; s++) {
        if (!sources[s])
            continue;
        if (sources[s]->kind != V_DICT)
            return eval_error(ctx, loc, "dict.update() needs a dict, got %s", value_type_name(sources[s]));
        for (size_t i = 0; i < sources[s]->u.dict->len; i++)
            if (!dict_set(ctx->arena, self->u.dict, sources[s]->u.dict->keys[i], sources[s]->u.dict->values[i]))
                return eval_oom(ctx, loc);
    }
    return OOM_IF_NULL(v_none(ctx->arena, loc));
}

typedef struct method_entry {
    value_kind kind;
    builtin def;
} method_entry;

static const method_entry methods[] = {
    {V_STR, {"str.format", str_format_m, NULL}},
    {V_STR, {"str.join", str_join, NULL}},
    {V_STR, {"str.split", str_split, NULL}},
    {V_STR, {"str.replace", str_replace, NULL}},
    {V_STR, {"str.lower", str_lower, NULL}},
    {V_STR, {"str.upper", str_upper, NULL}},
    {V_STR, {"str.title", str_title, NULL}},
    {V_STR, {"str.capitalize", str_capitalize, NULL}},
    {V_STR, {"str.strip", str_strip, NULL}},
    {V_STR, {"str.lstrip", str_lstrip, NULL}},
    {V_STR, {"str.rstrip", str_rstrip, NULL}},
    {V_STR, {"str.startswith", str_startswith, NULL}},
    {V_STR, {"str.endswith", str_endswith, NULL}},
    {V_LIST, {"list.append", list_append, NULL}},
    {V_LIST, {"list.extend", list_extend, NULL}},
    {V_LIST, {"list.copy", list_copy, NULL}},
    {V_LIST, {"list.index", list_index, NULL}},
    {V_LIST, {"list.count", list_count, NULL}},
    {V_TUPLE, {"tuple.index", list_index, NULL}},
    {V_TUPLE, {"tuple.count", list_count, NULL}},
    {V_DICT, {"dict.get", dict_get_m, NULL}},
    {V_DICT, {"dict.keys", dict_keys, NULL}},
    {V_DICT, {"dict.values", dict_values, NULL}},
    {V_DICT, {"dict.items", dict_items, NULL}},
    {V_DICT, {"dict.copy", dict_copy, NULL}},
    {V_DICT, {"dict.update", dict_update, NULL}},
};

value *builtin_method(eval_ctx *ctx, value *self, const char *name, src_loc loc)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        const char *dot = strchr(methods[i].def.name, '.');
        if (methods[i].kind == self->kind && strcmp(dot + 1, name) == 0) {
            value *v = v_builtin(ctx->arena, &methods[i].def, self, loc);
            return OOM_IF_NULL(v);
        }
    }
    return NULL;
}

/* ---- the format mini-language ---- */

typedef struct fmt_spec {
    char fill, align, sign, type;
    bool alt, zero, comma, underscore;
    int width, precision; /* -1 if absent */
} fmt_spec;

static bool parse_spec(const char *s, size_t n, fmt_spec *f)
{
    memset(f, 0, sizeof *f);
    f->fill = ' ';
    f->width = f->precision = -1;
    size_t i = 0;
    /* fill is any one character followed by an align char; we accept ASCII fills */
    if (n >= 2 && strchr("<>=^", s[1])) {
        f->fill = s[0];
        f->align = s[1];
        i = 2;
    } else if (n >= 1 && strchr("<>=^", s[0])) {
        f->align = s[0];
        i = 1;
    }
    if (i < n && strchr("+- ", s[i]))
        f->sign = s[i++];
    if (i < n && s[i] == '#') {
        f->alt = true;
        i++;
    }
    if (i < n && s[i] == '0') {
        f->zero = true;
        i++;
    }
    if (i < n && isdigit((unsigned char)s[i])) {
        f->width = 0;
        while (i < n && isdigit((unsigned char)s[i]))
            f->width = f->width * 10 + (s[i++] - '0');
    }
    if (i < n && s[i] == ',') {
        f->comma = true;
        i++;
    } else if (i < n && s[i] == '_') {
        f->underscore = true;
        i++;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !isdigit((unsigned char)s[i]))
            return false;
        f->precision = 0;
        while (i < n && isdigit((unsigned char)s[i]))
            f->precision = f->precision * 10 + (s[i++] - '0');
    }
    if (i < n)
        f->type = s[i++];
    return i == n;
}

/* A float formatted with a precision and no type ("{:.3}"): %g's digits, but
 * Python switches to the exponent form one digit earlier (at decpt > p - 1,
 * not > p) and gives the fixed form at least one digit after the point:
 * 1.0 -> "1.0", 100.0 -> "1e+02", 12.34 -> "12.3". num holds %.<p>g of x. */
static void python_general_no_type(char *num, size_t size, double x, int prec, bool alt)
{
    int p = prec < 1 ? 1 : prec;
    char e[64];
    snprintf(e, sizeof e, "%.*e", p - 1, x);
    const char *ep = strchr(e, 'e');
    int decpt = ep ? atoi(ep + 1) + 1 : 0;
    if (decpt > -4 && decpt <= p - 1) {
        if (!strchr(num, '.') && !strchr(num, 'e') && strlen(num) + 3 <= size)
            strcat(num, ".0");
        return;
    }
    if (!strchr(num, 'e')) { /* %g chose the fixed form: take the exponent form, trailing zeros dropped */
        size_t mant = (size_t)(ep - e);
        if (!alt && memchr(e, '.', mant)) {
            while (mant > 0 && e[mant - 1] == '0')
                mant--;
            if (mant > 0 && e[mant - 1] == '.')
                mant--;
        }
        snprintf(num, size, "%.*s%s", (int)mant, e, ep);
    }
}

static void group_digits(tj_buf *out, const char *digits, size_t n, char sep)
{
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            tj_buf_putc(out, sep);
        tj_buf_putc(out, digits[i]);
    }
}

static void pad(tj_buf *out, const char *body, size_t len, const fmt_spec *f, char default_align,
                size_t sign_len)
{
    size_t width_chars = utf8_length(body, len);
    size_t padn = f->width > 0 && (size_t)f->width > width_chars ? (size_t)f->width - width_chars : 0;
    char align = f->align ? f->align : (f->zero && default_align == '>') ? '=' : default_align;
    char fill = (!f->align && f->zero && default_align == '>') ? '0' : f->fill;
    if (align == '<') {
        tj_buf_put(out, body, len);
        for (size_t i = 0; i < padn; i++) tj_buf_putc(out, fill);
    } else if (align == '^') {
        for (size_t i = 0; i < padn / 2; i++) tj_buf_putc(out, fill);
        tj_buf_put(out, body, len);
        for (size_t i = 0; i < padn - padn / 2; i++) tj_buf_putc(out, fill);
    } else if (align == '=') {
        tj_buf_put(out, body, sign_len);
        for (size_t i = 0; i < padn; i++) tj_buf_putc(out, fill);
        tj_buf_put(out, body + sign_len, len - sign_len);
    } else {
        for (size_t i = 0; i < padn; i++) tj_buf_putc(out, fill);
        tj_buf_put(out, body, len);
    }
}

bool format_value(eval_ctx *ctx, tj_buf *out, value *v, const char *spec, size_t spec_len, src_loc loc)
{
    fmt_spec f;
    if (!parse_spec(spec, spec_len, &f)) {
        eval_error(ctx, loc, "invalid format specifier '%.*s'", (int)spec_len, spec);
        return false;
    }
    tj_buf body = {0};
    char default_align = '<';
    size_t sign_len = 0;
    bool numeric = v->kind == V_INT || v->kind == V_BOOL || v->kind == V_FLOAT;
    if (!numeric && v->kind != V_STR && spec_len > 0) {
        /* object.__format__ takes no spec */
        eval_error(ctx, loc, "unsupported format string passed to %s.__format__", value_type_name(v));
        return false;
    }
    if (v->kind == V_STR || !numeric) {
        if (f.type && f.type != 's') {
            eval_error(ctx, loc, "unknown format code '%c' for object of type '%s'", f.type, value_type_name(v));
            return false;
        }
        if (v->kind == V_STR)
            tj_buf_put(&body, v->u.str.data, v->u.str.len);
        else
            value_str(&body, v);
        if (f.precision >= 0) {
            /* truncate to precision characters */
            size_t chars = 0, i = 0;
            while (i < body.len && chars < (size_t)f.precision) {
                i++;
                while (i < body.len && ((unsigned char)body.data[i] & 0xC0) == 0x80)
                    i++;
                chars++;
            }
            body.len = i;
        }
    } else {
        default_align = '>';
        bool is_float = v->kind == V_FLOAT;
        char t = f.type;
        if (v->kind == V_BOOL && spec_len == 0) {
            value_str(&body, v); /* format(True, "") is "True" */
        } else if (!is_float && f.precision >= 0 && (t == 0 || t == 'd' || t == 'n' || t == 'x' || t == 'X' ||
                                                       t == 'o' || t == 'b' || t == 'c')) {
            eval_error(ctx, loc, "Precision not allowed in integer format specifier");
            return false;
        } else if (!is_float && (t == 0 || t == 'd' || t == 'n')) {
            int64_t x = v->kind == V_INT ? v->u.i : v->u.b;
            char digits[32];
            int n = snprintf(digits, sizeof digits, "%llu",
                             (unsigned long long)(x < 0 ? -(uint64_t)x : (uint64_t)x));
            if (x < 0 || f.sign == '+' || f.sign == ' ') {
                tj_buf_putc(&body, x < 0 ? '-' : f.sign);
                sign_len = 1;
            }
            if (f.comma || f.underscore)
                group_digits(&body, digits, (size_t)n, f.comma ? ',' : '_');
            else
                tj_buf_put(&body, digits, (size_t)n);
        } else if (!is_float && (t == 'x' || t == 'X' || t == 'o' || t == 'b')) {
            int64_t x = v->kind == V_INT ? v->u.i : v->u.b;
            uint64_t u = x < 0 ? -(uint64_t)x : (uint64_t)x;
            char digits[80];
            int n = 0;
            if (t == 'b') {
                char rev[70];
                int k = 0;
                do rev[k++] = (char)('0' + (u & 1)); while (u >>= 1);
                while (k) digits[n++] = rev[--k];
                digits[n] = '\0';
            } else {
                n = snprintf(digits, sizeof digits, t == 'x' ? "%llx" : t == 'X' ? "%llX" : "%llo", (unsigned long long)u);
            }
            if (x < 0 || f.sign == '+' || f.sign == ' ')
                tj_buf_putc(&body, x < 0 ? '-' : f.sign);
            if (f.alt)
                tj_buf_puts(&body, t == 'x' ? "0x" : t == 'X' ? "0X" : t == 'o' ? "0o" : "0b");
            sign_len = body.len;
            tj_buf_put(&body, digits, (size_t)n);
        } else if (t == 0 || t == 'f' || t == 'F' || t == 'e' || t == 'E' || t == 'g' || t == 'G' || t == '%') {
            double x = is_float ? v->u.f : (double)(v->kind == V_INT ? v->u.i : v->u.b);
            if (t == 0 && f.precision < 0 && !f.comma && !f.underscore) {
                /* no type, no precision: str() of the number */
                if (!is_float)
                    tj_buf_printf(&body, "%lld", (long long)(v->kind == V_INT ? v->u.i : v->u.b));
                else if (isfinite(x)) {
                    char num[32];
                    pyjson_format_double(x, num);
                    tj_buf_puts(&body, num);
                } else
                    tj_buf_puts(&body, isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
                if (f.sign == '+' && body.data && body.data[0] != '-') {
                    tj_buf nb = {0};
                    tj_buf_putc(&nb, '+');
                    tj_buf_put(&nb, body.data, body.len);
                    tj_buf_free(&body);
                    body = nb;
                }
                sign_len = body.data && (body.data[0] == '-' || body.data[0] == '+') ? 1 : 0;
            } else {
                int prec = f.precision >= 0 ? f.precision : 6;
                char fmt[16], num[512];
                double shown = t == '%' ? x * 100 : x;
                char ct = t == 0 ? 'g' : t == '%' ? 'f' : t;
                snprintf(fmt, sizeof fmt, "%%%s.%d%c", f.alt ? "#" : "", prec, ct);
                snprintf(num, sizeof num, fmt, shown);
                if (t == 0 && isfinite(shown))
                    python_general_no_type(num, sizeof num, shown, prec, f.alt);
                const char *digits = num;
                if (num[0] == '-') {
                    tj_buf_putc(&body, '-');
                    digits++;
                } else if (f.sign == '+' || f.sign == ' ') {
                    tj_buf_putc(&body, f.sign);
                }
                sign_len = body.len;
                if (f.comma || f.underscore) {
                    size_t int_len = strspn(digits, "0123456789");
                    group_digits(&body, digits, int_len, f.comma ? ',' : '_');
                    tj_buf_puts(&body, digits + int_len);
                } else {
                    tj_buf_puts(&body, digits);
                }
                if (t == '%')
                    tj_buf_putc(&body, '%');
            }
        } else {
            eval_error(ctx, loc, "unknown format code '%c' for object of type '%s'", t, value_type_name(v));
            return false;
        }
    }
    if (body.failed) {
        tj_buf_free(&body);
        eval_oom(ctx, loc);
        return false;
    }
    pad(out, body.data ? body.data : "", body.len, &f, default_align, sign_len);
    tj_buf_free(&body);
    return true;
}

/* "{} and {name!r:>10}".format(...) */
value *str_format(eval_ctx *ctx, value *fmt, call_args *args, src_loc loc)
{
    tj_buf out = {0};
    const char *s = fmt->u.str.data, *end = s + fmt->u.str.len;
    size_t auto_index = 0;
    while (s < end) {
        char c = *s;
        if (c == '}') {
            if (s + 1 < end && s[1] == '}') {
                tj_buf_putc(&out, '}');
                s += 2;
                continue;
            }
            tj_buf_free(&out);
            return eval_error(ctx, loc, "Single '}' encountered in format string");
        }
        if (c != '{') {
            tj_buf_putc(&out, c);
            s++;
            continue;
        }
        if (s + 1 < end && s[1] == '{') {
            tj_buf_putc(&out, '{');
            s += 2;
            continue;
        }
        /* find the matching '}' (a spec may nest one level of {}) */
        const char *field = s + 1, *q = field;
        int depth = 1;
        while (q < end && depth) {
            if (*q == '{') depth++;
            else if (*q == '}') depth--;
            if (depth) q++;
        }
        if (q >= end) {
            tj_buf_free(&out);
            return eval_error(ctx, loc, "Single '{' encountered in format string");
        }
        const char *field_end = q;
        s = q + 1;
        const char *name_end = field;
        while (name_end < field_end && *name_end != '!' && *name_end != ':')
            name_end++;
        /* the argument: positional index, auto, or keyword; then .attr / [key] */
        const char *p = field;
        size_t head = strcspn(p, ".[!:}");
        if (p + head > name_end)
            head = (size_t)(name_end - p);
        value *v = NULL;
        if (head == 0) {
            if (auto_index >= args->npositional) {
                tj_buf_free(&out);
                return eval_error(ctx, loc, "Replacement index %zu out of range for positional args tuple", auto_index);
            }
            v = args->positional[auto_index++];
        } else if (isdigit((unsigned char)p[0])) {
            size_t ix = (size_t)strtoul(p, NULL, 10);
            if (ix >= args->npositional) {
                tj_buf_free(&out);
                return eval_error(ctx, loc, "Replacement index %zu out of range for positional args tuple", ix);
            }
            v = args->positional[ix];
        } else {
            for (size_t k = 0; k < args->nkeywords; k++)
                if (strlen(args->names[k]) == head && strncmp(args->names[k], p, head) == 0)
                    v = args->keywords[k];
            if (!v) {
                tj_buf_free(&out);
                return eval_error(ctx, loc, "format() has no argument named '%.*s'", (int)head, p);
            }
        }
        p += head;
        while (p < name_end) {
            if (*p == '.') {
                size_t n = strcspn(p + 1, ".[");
                if (p + 1 + n > name_end)
                    n = (size_t)(name_end - p - 1);
                char *attr = arena_strndup(ctx->arena, p + 1, n);
                if (!attr) {
                    tj_buf_free(&out);
                    return eval_oom(ctx, loc);
                }
                v = eval_getattr(ctx, v, attr, loc, loc);
                p += 1 + n;
            } else if (*p == '[') {
                const char *close = memchr(p, ']', (size_t)(name_end - p));
                if (!close) {
                    tj_buf_free(&out);
                    return eval_error(ctx, loc, "Missing ']' in format string");
                }
                value *key;
                if (isdigit((unsigned char)p[1]))
                    key = v_int(ctx->arena, strtoll(p + 1, NULL, 10), loc);
                else
                    key = v_str(ctx->arena, p + 1, (size_t)(close - p - 1), loc);
                if (!key) {
                    tj_buf_free(&out);
                    return eval_oom(ctx, loc);
                }
                value *got = NULL;
                if (v->kind == V_DICT)
                    got = dict_get(v->u.dict, key);
                else if ((v->kind == V_LIST || v->kind == V_TUPLE) && key->kind == V_INT &&
                         key->u.i >= 0 && (size_t)key->u.i < v->u.list.len)
                    got = v->u.list.items[key->u.i];
                if (!got) {
                    tj_buf_free(&out);
                    return eval_error(ctx, loc, "format field [%.*s] not found", (int)(close - p - 1), p + 1);
                }
                v = got;
                p = close + 1;
            } else {
                break;
            }
            if (v->kind == V_ERROR) {
                tj_buf_free(&out);
                return v;
            }
        }
        const char *spec = NULL;
        size_t spec_len = 0;
        char conv = 0;
        if (name_end < field_end && *name_end == '!') {
            conv = name_end + 1 < field_end ? name_end[1] : 0;
            name_end += 2;
        }
        if (name_end < field_end && *name_end == ':') {
            spec = name_end + 1;
            spec_len = (size_t)(field_end - spec);
        }
        if (conv == 'r' || conv == 's' || conv == 'a') {
            tj_buf t = {0};
            if (conv == 's')
                value_str(&t, v);
            else if (conv == 'a')
                value_ascii(&t, v);
            else
                value_repr(&t, v);
            v = t.failed ? NULL : v_str(ctx->arena, t.data ? t.data : "", t.len, loc);
            tj_buf_free(&t);
            if (!v) {
                tj_buf_free(&out);
                return eval_oom(ctx, loc);
            }
        } else if (conv) {
            tj_buf_free(&out);
            return eval_error(ctx, loc, "Unknown conversion specifier %c", conv);
        }
        /* nested replacement fields in the spec: "{:{w}}" */
        tj_buf spec_buf = {0};
        if (spec && memchr(spec, '{', spec_len)) {
            value *sv = v_str(ctx->arena, spec, spec_len, loc);
            value *expanded = sv ? str_format(ctx, sv, args, loc) : eval_oom(ctx, loc);
            if (expanded->kind != V_STR) {
                tj_buf_free(&out);
                return expanded;
            }
            tj_buf_put(&spec_buf, expanded->u.str.data, expanded->u.str.len);
            spec = spec_buf.data;
            spec_len = spec_buf.len;
        }
        bool ok = format_value(ctx, &out, v, spec ? spec : "", spec_len, loc);
        tj_buf_free(&spec_buf);
        if (!ok) {
            tj_buf_free(&out);
            return v_error(ctx->arena);
        }
    }
    return buf_to_str(ctx, &out, loc);
}
