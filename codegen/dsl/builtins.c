/* Python builtins a definition file may call, methods of str/list/dict, and
 * the format-spec mini-language behind str.format and f-strings. Builtins
 * with effects outside the compile (print, open, eval, ...) are rejected by
 * name, so the user learns why rather than seeing "not defined". */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eval.h"
#include "pyjson.h"

int value_compare(const value *a, const value *b, bool *ok);

#define BUILTIN(name) \
    static value *name(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
#define UNUSED_SELF ((void)self, (void)def)
#define OOM_IF_NULL(v) ((v) ? (v) : eval_oom(ctx, loc))

static bool is_intlike(const value *v) { return v->kind == V_INT || v->kind == V_BOOL; }
static int64_t as_int(const value *v) { return v->kind == V_INT ? v->u.i : v->u.b; }

static bool items_of(eval_ctx *ctx, value *v, src_loc loc, value ***items, size_t *n)
{
    /* iterate as `for x in v` does; one-character strings for a str */
    if (v->kind == V_LIST || v->kind == V_TUPLE) {
        *items = v->u.list.items;
        *n = v->u.list.len;
        return true;
    }
    if (v->kind == V_DICT) {
        *items = v->u.dict->keys;
        *n = v->u.dict->len;
        return true;
    }
    if (v->kind == V_STR) {
        size_t count = utf8_length(v->u.str.data, v->u.str.len), k = 0;
        value **chars = arena_alloc(ctx->arena, (count ? count : 1) * sizeof *chars);
        if (!chars)
            return eval_oom(ctx, loc), false;
        for (size_t i = 0; i < v->u.str.len;) {
            size_t j = i + 1;
            while (j < v->u.str.len && ((unsigned char)v->u.str.data[j] & 0xC0) == 0x80)
                j++;
            if (!(chars[k++] = v_str(ctx->arena, v->u.str.data + i, j - i, loc)))
                return eval_oom(ctx, loc), false;
            i = j;
        }
        *items = chars;
        *n = count;
        return true;
    }
    if (v->kind != V_ERROR)
        eval_error(ctx, loc, "'%s' object is not iterable", value_type_name(v));
    return false;
}

value *value_to_str(eval_ctx *ctx, value *v, src_loc loc)
{
    if (v->kind == V_STR)
        return v;
    tj_buf b = {0};
    value_str(&b, v);
    value *s = b.failed ? NULL : v_str(ctx->arena, b.data ? b.data : "", b.len, loc);
    tj_buf_free(&b);
    return OOM_IF_NULL(s);
}

/* ---- the builtins ---- */

static const param_spec one_arg[] = {{"obj", P_REQUIRED}};
static const param_spec opt_arg[] = {{"obj", P_OPTIONAL}};

BUILTIN(b_len)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, "len", one_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    size_t n;
    switch (a[0]->kind) {
    case V_STR: n = utf8_length(a[0]->u.str.data, a[0]->u.str.len); break;
    case V_LIST: case V_TUPLE: n = a[0]->u.list.len; break;
    case V_DICT: n = a[0]->u.dict->len; break;
    default: return eval_error(ctx, loc, "object of type '%s' has no len()", value_type_name(a[0]));
    }
    return OOM_IF_NULL(v_int(ctx->arena, (int64_t)n, loc));
}

BUILTIN(b_str)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, "str", opt_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    return a[0] ? value_to_str(ctx, a[0], loc) : OOM_IF_NULL(v_str(ctx->arena, "", 0, loc));
}

/* repr(x) and ascii(x): one argument, its text as fn writes it */
static value *text_builtin(eval_ctx *ctx, const char *name, call_args *args, src_loc loc,
                           void (*fn)(tj_buf *, const value *))
{
    value *a[1];
    if (!bind_args(ctx, name, one_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    tj_buf b = {0};
    fn(&b, a[0]);
    value *s = b.failed ? NULL : v_str(ctx->arena, b.data ? b.data : "", b.len, loc);
    tj_buf_free(&b);
    return OOM_IF_NULL(s);
}

BUILTIN(b_repr)
{
    UNUSED_SELF;
    return text_builtin(ctx, "repr", args, loc, value_repr);
}

BUILTIN(b_ascii)
{
    UNUSED_SELF;
    return text_builtin(ctx, "ascii", args, loc, value_ascii);
}

/* The text int() or float() reads from a str, as Python takes it: blanks
 * around it dropped, '_' allowed only between two digits (and dropped), and
 * for a float the words inf, infinity and nan in any case; no hex, no
 * C-only forms. False if the text cannot be a number of that kind. */
static bool numeric_text(const value *v, char *out, size_t size, bool is_float)
{
    const char *s = v->u.str.data, *e = s + v->u.str.len;
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t n = 0;
    for (const char *p = s; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '_') {
            if (p == s || p + 1 == e || !isdigit((unsigned char)p[-1]) || !isdigit((unsigned char)p[1]))
                return false;
            continue;
        }
        bool ok = isdigit(c) || ((c == '+' || c == '-') && (p == s || (is_float && (p[-1] == 'e' || p[-1] == 'E'))));
        if (is_float && !ok)
            ok = c == '.' || c == 'e' || c == 'E' || strchr("infatyINFATY", c) != NULL;
        if (!ok || n + 1 >= size)
            return false;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    if (is_float) { /* letters only as a whole word: inf, infinity, nan */
        const char *w = out + (out[0] == '+' || out[0] == '-');
        bool letters = false;
        for (const char *p = w; *p; p++)
            letters |= strchr("infatyINFATY", *p) != NULL && *p != 'e' && *p != 'E';
        if (letters && strcasecmp(w, "inf") != 0 && strcasecmp(w, "infinity") != 0 && strcasecmp(w, "nan") != 0)
            return false;
    }
    return n > 0;
}

BUILTIN(b_int)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, "int", opt_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    if (!a[0])
        return OOM_IF_NULL(v_int(ctx->arena, 0, loc));
    if (is_intlike(a[0]))
        return OOM_IF_NULL(v_int(ctx->arena, as_int(a[0]), loc));
    if (a[0]->kind == V_FLOAT) {
        if (!isfinite(a[0]->u.f) || fabs(a[0]->u.f) >= 9.2e18)
            return eval_error(ctx, loc, "cannot convert float %g to integer", a[0]->u.f);
        return OOM_IF_NULL(v_int(ctx->arena, (int64_t)a[0]->u.f, loc));
    }
    if (a[0]->kind == V_STR) {
        char digits[128];
        char *end;
        if (numeric_text(a[0], digits, sizeof digits, false)) {
            errno = 0;
            long long x = strtoll(digits, &end, 10);
            if (errno == ERANGE)
                return eval_error(ctx, loc, "int() of '%s' does not fit in 64 bits", a[0]->u.str.data);
            if (end != digits && *end == '\0')
                return OOM_IF_NULL(v_int(ctx->arena, x, loc));
        }
        return eval_error(ctx, loc, "invalid literal for int() with base 10: '%s'", a[0]->u.str.data);
    }
    return eval_error(ctx, loc, "int() argument must be a string or a number, not '%s'", value_type_name(a[0]));
}

BUILTIN(b_float)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, "float", opt_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    if (!a[0])
        return OOM_IF_NULL(v_float(ctx->arena, 0.0, loc));
    if (is_intlike(a[0]))
        return OOM_IF_NULL(v_float(ctx->arena, (double)as_int(a[0]), loc));
    if (a[0]->kind == V_FLOAT)
        return a[0];
    if (a[0]->kind == V_STR) {
        char digits[128];
        char *end;
        if (numeric_text(a[0], digits, sizeof digits, true)) {
            double x = strtod(digits, &end);
            if (end != digits && *end == '\0')
                return OOM_IF_NULL(v_float(ctx->arena, x, loc));
        }
        return eval_error(ctx, loc, "could not convert string to float: '%s'", a[0]->u.str.data);
    }
    return eval_error(ctx, loc, "float() argument must be a string or a number, not '%s'", value_type_name(a[0]));
}

BUILTIN(b_bool)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, "bool", opt_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    return OOM_IF_NULL(v_bool(ctx->arena, a[0] && value_truthy(a[0]), loc));
}

static value *to_sequence(eval_ctx *ctx, call_args *args, src_loc loc, const char *name, value_kind kind)
{
    value *a[1];
    if (!bind_args(ctx, name, opt_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    value *out = v_list(ctx->arena, kind, 0, loc);
    if (!out)
        return eval_oom(ctx, loc);
    if (!a[0])
        return out;
    value **items;
    size_t n;
    if (!items_of(ctx, a[0], loc, &items, &n))
        return v_error(ctx->arena);
    for (size_t i = 0; i < n; i++)
        if (!v_list_push(ctx->arena, out, items[i]))
            return eval_oom(ctx, loc);
    return out;
}

BUILTIN(b_list) { UNUSED_SELF; return to_sequence(ctx, args, loc, "list", V_LIST); }
BUILTIN(b_tuple) { UNUSED_SELF; return to_sequence(ctx, args, loc, "tuple", V_TUPLE); }

static bool dict_update_from(eval_ctx *ctx, dict *d, value *src, src_loc loc)
{
    if (src->kind == V_DICT) {
        for (size_t i = 0; i < src->u.dict->len; i++)
            if (!dict_set(ctx->arena, d, src->u.dict->keys[i], src->u.dict->values[i]))
                return eval_oom(ctx, loc), false;
        return true;
    }
    value **items;
    size_t n;
    if (!items_of(ctx, src, loc, &items, &n))
        return false;
    for (size_t i = 0; i < n; i++) {
        value *pair = items[i];
        if ((pair->kind != V_LIST && pair->kind != V_TUPLE) || pair->u.list.len != 2) {
            eval_error(ctx, loc, "dictionary update sequence element #%zu is not a pair", i);
            return false;
        }
        if (!value_hashable(pair->u.list.items[0])) {
            eval_error(ctx, loc, "unhashable type: '%s'", value_type_name(pair->u.list.items[0]));
            return false;
        }
        if (!dict_set(ctx->arena, d, pair->u.list.items[0], pair->u.list.items[1]))
            return eval_oom(ctx, loc), false;
    }
    return true;
}

BUILTIN(b_dict)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"iterable", P_OPTIONAL}, {"kwargs", P_KWARGS}};
    value *a[2];
    if (!bind_args(ctx, "dict", params, 2, args, loc, a))
        return v_error(ctx->arena);
    value *out = v_dict(ctx->arena, loc);
    if (!out)
        return eval_oom(ctx, loc);
    if (a[0] && !dict_update_from(ctx, out->u.dict, a[0], loc))
        return v_error(ctx->arena);
    if (!dict_update_from(ctx, out->u.dict, a[1], loc))
        return v_error(ctx->arena);
    return out;
}

/* Stable merge sort on values with an optional key function. */
static bool sort_values(eval_ctx *ctx, value **items, value **keys, size_t n, bool reverse, src_loc loc)
{
    if (n < 2)
        return true;
    value **tmp_i = arena_alloc(ctx->arena, n * sizeof *tmp_i);
    value **tmp_k = arena_alloc(ctx->arena, n * sizeof *tmp_k);
    if (!tmp_i || !tmp_k)
        return eval_oom(ctx, loc), false;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                bool ok;
                int c = value_compare(keys[j], keys[i], &ok);
                if (!ok) {
                    eval_error(ctx, loc, "'<' not supported between instances of '%s' and '%s'",
                               value_type_name(keys[j]), value_type_name(keys[i]));
                    return false;
                }
                bool take_right = reverse ? c > 0 : c < 0;
                if (take_right) {
                    tmp_i[k] = items[j];
                    tmp_k[k++] = keys[j++];
                } else {
                    tmp_i[k] = items[i];
                    tmp_k[k++] = keys[i++];
                }
            }
            while (i < mid) {
                tmp_i[k] = items[i];
                tmp_k[k++] = keys[i++];
            }
            while (j < hi) {
                tmp_i[k] = items[j];
                tmp_k[k++] = keys[j++];
            }
        }
        memcpy(items, tmp_i, n * sizeof *items);
        memcpy(keys, tmp_k, n * sizeof *keys);
    }
    return true;
}

BUILTIN(b_sorted)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"iterable", P_REQUIRED}, {"key", P_KWONLY_OPTIONAL},
                                        {"reverse", P_KWONLY_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, "sorted", params, 3, args, loc, a))
        return v_error(ctx->arena);
    value **items;
    size_t n;
    if (!items_of(ctx, a[0], loc, &items, &n))
        return v_error(ctx->arena);
    value *out = v_list(ctx->arena, V_LIST, n, loc);
    value **keys = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *keys);
    if (!out || !keys)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < n; i++) {
        out->u.list.items[i] = items[i];
        if (a[1] && a[1]->kind != V_NONE) {
            call_args one = {0};
            one.positional = &items[i];
            one.positional_loc = &loc;
            one.npositional = 1;
            keys[i] = eval_call(ctx, a[1], &one, loc);
            if (keys[i]->kind == V_ERROR)
                return keys[i];
        } else {
            keys[i] = items[i];
        }
    }
    out->u.list.len = n;
    if (!sort_values(ctx, out->u.list.items, keys, n, a[2] && value_truthy(a[2]), loc))
        return v_error(ctx->arena);
    return out;
}

static value *min_max(eval_ctx *ctx, call_args *args, src_loc loc, bool want_max)
{
    const char *name = want_max ? "max" : "min";
    static const param_spec params[] = {{"args", P_VARARGS}, {"key", P_KWONLY_OPTIONAL}, {"default", P_KWONLY_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, name, params, 3, args, loc, a))
        return v_error(ctx->arena);
    value **items = a[0]->u.list.items;
    size_t n = a[0]->u.list.len;
    if (n == 1 && !items_of(ctx, items[0], loc, &items, &n))
        return v_error(ctx->arena);
    if (n == 0)
        return a[2] ? a[2] : eval_error(ctx, loc, "%s() arg is an empty sequence", name);
    value *best = items[0], *best_key = best;
    for (size_t i = 0; i < n; i++) {
        value *k = items[i];
        if (a[1] && a[1]->kind != V_NONE) {
            call_args one = {0};
            one.positional = &items[i];
            one.positional_loc = &loc;
            one.npositional = 1;
            k = eval_call(ctx, a[1], &one, loc);
            if (k->kind == V_ERROR)
                return k;
        }
        if (i == 0) {
            best_key = k;
            continue;
        }
        bool ok;
        int c = value_compare(k, best_key, &ok);
        if (!ok)
            return eval_error(ctx, loc, "'<' not supported between instances of '%s' and '%s'",
                              value_type_name(k), value_type_name(best_key));
        if (want_max ? c > 0 : c < 0) {
            best = items[i];
            best_key = k;
        }
    }
    return best;
}

BUILTIN(b_min) { UNUSED_SELF; return min_max(ctx, args, loc, false); }
BUILTIN(b_max) { UNUSED_SELF; return min_max(ctx, args, loc, true); }

BUILTIN(b_sum)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"iterable", P_REQUIRED}, {"start", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "sum", params, 2, args, loc, a))
        return v_error(ctx->arena);
    value **items;
    size_t n;
    if (!items_of(ctx, a[0], loc, &items, &n))
        return v_error(ctx->arena);
    value *acc = a[1];
    if (acc && acc->kind == V_STR)
        return eval_error(ctx, loc, "sum() can't sum strings [use ''.join(seq) instead]");
    int64_t isum = acc && is_intlike(acc) ? as_int(acc) : 0;
    double fsum = acc && acc->kind == V_FLOAT ? acc->u.f : 0;
    bool is_float = acc && acc->kind == V_FLOAT;
    if (acc && !is_intlike(acc) && acc->kind != V_FLOAT) {
        /* lists: sum(lists, []) */
        for (size_t i = 0; i < n; i++) {
            if (items[i]->kind != acc->kind)
                return eval_error(ctx, loc, "can only concatenate %s (not \"%s\") to %s", value_type_name(acc),
                                  value_type_name(items[i]), value_type_name(acc));
            value *next = v_list(ctx->arena, acc->kind, 0, loc);
            if (!next)
                return eval_oom(ctx, loc);
            for (size_t k = 0; k < acc->u.list.len; k++)
                if (!v_list_push(ctx->arena, next, acc->u.list.items[k]))
                    return eval_oom(ctx, loc);
            for (size_t k = 0; k < items[i]->u.list.len; k++)
                if (!v_list_push(ctx->arena, next, items[i]->u.list.items[k]))
                    return eval_oom(ctx, loc);
            acc = next;
        }
        return acc;
    }
    for (size_t i = 0; i < n; i++) {
        if (items[i]->kind == V_FLOAT) {
            if (!is_float) {
                fsum = (double)isum;
                is_float = true;
            }
            fsum += items[i]->u.f;
        } else if (is_intlike(items[i])) {
            if (is_float)
                fsum += (double)as_int(items[i]);
            else if (__builtin_add_overflow(isum, as_int(items[i]), &isum))
                return eval_error(ctx, loc, "integer overflow in sum()");
        } else {
            return eval_error(ctx, loc, "unsupported operand type for sum(): '%s'", value_type_name(items[i]));
        }
    }
    return OOM_IF_NULL(is_float ? v_float(ctx->arena, fsum, loc) : v_int(ctx->arena, isum, loc));
}

BUILTIN(b_abs)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, "abs", one_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    if (a[0]->kind == V_FLOAT)
        return OOM_IF_NULL(v_float(ctx->arena, fabs(a[0]->u.f), loc));
    if (is_intlike(a[0]) && as_int(a[0]) != INT64_MIN)
        return OOM_IF_NULL(v_int(ctx->arena, llabs(as_int(a[0])), loc));
    return eval_error(ctx, loc, "bad operand type for abs(): '%s'", value_type_name(a[0]));
}

BUILTIN(b_round)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"number", P_REQUIRED}, {"ndigits", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "round", params, 2, args, loc, a))
        return v_error(ctx->arena);
    if (is_intlike(a[0]))
        return OOM_IF_NULL(v_int(ctx->arena, as_int(a[0]), loc));
    if (a[0]->kind != V_FLOAT)
        return eval_error(ctx, loc, "type %s doesn't define __round__ method", value_type_name(a[0]));
    double x = a[0]->u.f;
    if (!a[1] || a[1]->kind == V_NONE) {
        double r = nearbyint(x); /* banker's rounding, as Python 3 (default rounding mode) */
        if (!isfinite(r) || fabs(r) >= 9.2e18)
            return eval_error(ctx, loc, "cannot convert float to integer");
        return OOM_IF_NULL(v_int(ctx->arena, (int64_t)r, loc));
    }
    if (!is_intlike(a[1]))
        return eval_error(ctx, loc, "round(): ndigits must be an integer");
    /* correctly rounded through the decimal text, as Python does */
    char buf[64];
    int nd = (int)as_int(a[1]);
    if (nd < 0 || nd > 30)
        return eval_error(ctx, loc, "round(): ndigits must be between 0 and 30 here");
    snprintf(buf, sizeof buf, "%.*f", nd, x);
    return OOM_IF_NULL(v_float(ctx->arena, strtod(buf, NULL), loc));
}

BUILTIN(b_range)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"start", P_REQUIRED}, {"stop", P_OPTIONAL}, {"step", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, "range", params, 3, args, loc, a))
        return v_error(ctx->arena);
    for (int i = 0; i < 3; i++)
        if (a[i] && !is_intlike(a[i]))
            return eval_error(ctx, loc, "'%s' object cannot be interpreted as an integer", value_type_name(a[i]));
    int64_t start = a[1] ? as_int(a[0]) : 0, stop = a[1] ? as_int(a[1]) : as_int(a[0]), step = a[2] ? as_int(a[2]) : 1;
    if (step == 0)
        return eval_error(ctx, loc, "range() arg 3 must not be zero");
    int64_t count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                             : (start > stop ? (start - stop - step - 1) / -step : 0);
    if (count > 1000000)
        return eval_error(ctx, loc, "range() of %lld items is too large for a definition file", (long long)count);
    value *out = v_list(ctx->arena, V_LIST, (size_t)count, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (int64_t i = 0; i < count; i++) {
        value *v = v_int(ctx->arena, start + i * step, loc);
        if (!v)
            return eval_oom(ctx, loc);
        out->u.list.items[out->u.list.len++] = v;
    }
    return out;
}

BUILTIN(b_enumerate)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"iterable", P_REQUIRED}, {"start", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "enumerate", params, 2, args, loc, a))
        return v_error(ctx->arena);
    value **items;
    size_t n;
    if (!items_of(ctx, a[0], loc, &items, &n))
        return v_error(ctx->arena);
    int64_t start = a[1] && is_intlike(a[1]) ? as_int(a[1]) : 0;
    value *out = v_list(ctx->arena, V_LIST, n, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < n; i++) {
        value *pair = v_list(ctx->arena, V_TUPLE, 2, loc);
        value *ix = v_int(ctx->arena, start + (int64_t)i, loc);
        if (!pair || !ix)
            return eval_oom(ctx, loc);
        pair->u.list.items[0] = ix;
        pair->u.list.items[1] = items[i];
        pair->u.list.len = 2;
        out->u.list.items[out->u.list.len++] = pair;
    }
    return out;
}

BUILTIN(b_zip)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"iterables", P_VARARGS}};
    value *a[1];
    if (!bind_args(ctx, "zip", params, 1, args, loc, a))
        return v_error(ctx->arena);
    size_t k = a[0]->u.list.len, n = (size_t)-1;
    value ***cols = arena_alloc(ctx->arena, (k ? k : 1) * sizeof *cols);
    if (!cols)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < k; i++) {
        size_t len;
        if (!items_of(ctx, a[0]->u.list.items[i], loc, &cols[i], &len))
            return v_error(ctx->arena);
        if (len < n)
            n = len;
    }
    if (k == 0)
        n = 0;
    value *out = v_list(ctx->arena, V_LIST, n, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (size_t r = 0; r < n; r++) {
        value *row = v_list(ctx->arena, V_TUPLE, k, loc);
        if (!row)
            return eval_oom(ctx, loc);
        for (size_t i = 0; i < k; i++)
            row->u.list.items[row->u.list.len++] = cols[i][r];
        out->u.list.items[out->u.list.len++] = row;
    }
    return out;
}

static value *any_all(eval_ctx *ctx, call_args *args, src_loc loc, bool want_all)
{
    value *a[1];
    if (!bind_args(ctx, want_all ? "all" : "any", one_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    value **items;
    size_t n;
    if (!items_of(ctx, a[0], loc, &items, &n))
        return v_error(ctx->arena);
    bool r = want_all;
    for (size_t i = 0; i < n; i++)
        if (value_truthy(items[i]) != want_all) {
            r = !want_all;
            break;
        }
    return OOM_IF_NULL(v_bool(ctx->arena, r, loc));
}

BUILTIN(b_any) { UNUSED_SELF; return any_all(ctx, args, loc, false); }
BUILTIN(b_all) { UNUSED_SELF; return any_all(ctx, args, loc, true); }

BUILTIN(b_reversed)
{
    UNUSED_SELF;
    value *a[1];
    if (!bind_args(ctx, "reversed", one_arg, 1, args, loc, a))
        return v_error(ctx->arena);
    value **items;
    size_t n;
    if (!items_of(ctx, a[0], loc, &items, &n))
        return v_error(ctx->arena);
    value *out = v_list(ctx->arena, V_LIST, n, loc);
    if (!out)
        return eval_oom(ctx, loc);
    for (size_t i = n; i-- > 0;)
        out->u.list.items[out->u.list.len++] = items[i];
    return out;
}

/* isinstance(x, str) and friends: the builtin type functions stand for their types. */
static bool is_instance(const value *v, const value *type)
{
    if (type->kind == V_TUPLE) {
        for (size_t i = 0; i < type->u.list.len; i++)
            if (is_instance(v, type->u.list.items[i]))
                return true;
        return false;
    }
    if (type->kind == V_CLASS)
        return v->kind == V_OBJECT && v->u.obj->desc == type->u.cls;
    if (type->kind != V_BUILTIN)
        return false;
    const builtin_fn f = type->u.builtin.def->fn;
    if (f == b_str) return v->kind == V_STR;
    if (f == b_int) return v->kind == V_INT || v->kind == V_BOOL;
    if (f == b_float) return v->kind == V_FLOAT;
    if (f == b_bool) return v->kind == V_BOOL;
    if (f == b_list) return v->kind == V_LIST;
    if (f == b_tuple) return v->kind == V_TUPLE;
    if (f == b_dict) return v->kind == V_DICT;
    return false;
}

BUILTIN(b_isinstance)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"obj", P_REQUIRED}, {"class_or_tuple", P_REQUIRED}};
    value *a[2];
    if (!bind_args(ctx, "isinstance", params, 2, args, loc, a))
        return v_error(ctx->arena);
    return OOM_IF_NULL(v_bool(ctx->arena, is_instance(a[0], a[1]), loc));
}

/* Builtins that reach outside the compile are refused by name, with the
 * reason in the entry's data, so the user learns why rather than seeing
 * "not defined". */
BUILTIN(b_refused)
{
    UNUSED_SELF;
    (void)args;
    return eval_error(ctx, loc, "%s", (const char *)def->data);
}

static const builtin builtin_defs[] = {
    {"len", b_len, NULL},         {"str", b_str, NULL},           {"repr", b_repr, NULL},         {"ascii", b_ascii, NULL},
    {"int", b_int, NULL},         {"float", b_float, NULL},       {"bool", b_bool, NULL},
    {"list", b_list, NULL},       {"tuple", b_tuple, NULL},       {"dict", b_dict, NULL},
    {"sorted", b_sorted, NULL},   {"min", b_min, NULL},           {"max", b_max, NULL},
    {"sum", b_sum, NULL},         {"abs", b_abs, NULL},           {"round", b_round, NULL},
    {"range", b_range, NULL},     {"enumerate", b_enumerate, NULL}, {"zip", b_zip, NULL},
    {"any", b_any, NULL},         {"all", b_all, NULL},           {"reversed", b_reversed, NULL},
    {"isinstance", b_isinstance, NULL},
    {"print", b_refused, "print() is not supported in definition files: they are evaluated at build time"},
    {"open", b_refused, "open() is not supported in definition files: definitions cannot read or write files"},
    {"input", b_refused, "input() is not supported in definition files"},
    {"eval", b_refused, "eval() is not supported in definition files: definitions must be static"},
    {"exec", b_refused, "exec() is not supported in definition files: definitions must be static"},
    {"compile", b_refused, "compile() is not supported in definition files"},
    {"__import__", b_refused, "__import__() is not supported in definition files; use an import statement"},
    {"globals", b_refused, "globals() is not supported in definition files"},
    {"locals", b_refused, "locals() is not supported in definition files"},
    {"vars", b_refused, "vars() is not supported in definition files"},
    {"setattr", b_refused, "setattr() is not supported in definition files; assign the attribute directly"},
    {"getattr", b_refused, "getattr() is not supported in definition files; use attribute access"},
    {"hasattr", b_refused, "hasattr() is not supported in definition files"},
    {"set", b_refused, "sets are not supported in definition files; use a list"},
    {"frozenset", b_refused, "sets are not supported in definition files; use a list"},
    {"map", b_refused, "map() is not supported in definition files; use a list comprehension"},
    {"filter", b_refused, "filter() is not supported in definition files; use a list comprehension"},
};

module *builtins_module(arena *a)
{
    src_loc none = {0};
    module *m = module_new(a, "builtins", NULL);
    if (!m)
        return NULL;
    for (size_t i = 0; i < sizeof builtin_defs / sizeof builtin_defs[0]; i++) {
        value *v = v_builtin(a, &builtin_defs[i], NULL, none);
        if (!v || !dict_set_str(a, m->attrs, builtin_defs[i].name, v, none))
            return NULL;
    }
    value *t = v_bool(a, true, none), *f = v_bool(a, false, none), *n = v_none(a, none);
    if (!t || !f || !n || !dict_set_str(a, m->attrs, "True", t, none) ||
        !dict_set_str(a, m->attrs, "False", f, none) || !dict_set_str(a, m->attrs, "None", n, none))
        return NULL;
    return m;
}
