/* The evaluator for definition files. See eval.h. */
#include "eval.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200

value *eval_error(eval_ctx *ctx, src_loc loc, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(ctx->diags, loc, "%s", msg);
    value *e = v_error(ctx->arena);
    return e ? e : NULL;
}

value *eval_oom(eval_ctx *ctx, src_loc loc)
{
    ctx->diags->out_of_memory = true;
    diag_error(ctx->diags, loc, "out of memory");
    return v_error(ctx->arena);
}

/* Allocation results funnel through here: NULL becomes a reported OOM. */
#define OK_OR_OOM(ctx, v, loc) ((v) ? (v) : eval_oom((ctx), (loc)))

/* ---- names ---- */

static value *lookup(eval_ctx *ctx, const char *name)
{
    for (env *e = ctx->locals; e; e = e->parent) {
        value *v = dict_get_str(e->vars, name);
        if (v)
            return v;
    }
    value *v = dict_get_str(ctx->module->attrs, name);
    if (v)
        return v;
    return ctx->builtins ? dict_get_str(ctx->builtins->attrs, name) : NULL;
}

static bool bind_name(eval_ctx *ctx, const char *name, value *v, src_loc loc)
{
    dict *d = ctx->locals ? ctx->locals->vars : ctx->module->attrs;
    return dict_set_str(ctx->arena, d, name, v, loc);
}

/* Candidate names for "did you mean": every name visible from here. */
static const char *suggest_visible(eval_ctx *ctx, const char *word)
{
    const char *best = NULL;
    const char *cands[512];
    size_t n = 0;
    for (env *e = ctx->locals; e; e = e->parent)
        for (size_t i = 0; i < e->vars->len && n < 512; i++)
            cands[n++] = e->vars->keys[i]->u.str.data;
    for (size_t i = 0; i < ctx->module->attrs->len && n < 512; i++)
        cands[n++] = ctx->module->attrs->keys[i]->u.str.data;
    if (ctx->builtins)
        for (size_t i = 0; i < ctx->builtins->attrs->len && n < 512; i++)
            cands[n++] = ctx->builtins->attrs->keys[i]->u.str.data;
    best = closest_name(word, cands, n);
    return best;
}

/* ---- edit distance for suggestions ---- */

const char *closest_name(const char *word, const char *const *candidates, size_t n)
{
    size_t wl = strlen(word);
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t limit = wl <= 3 ? 1 : wl <= 6 ? 2 : 3;
    for (size_t c = 0; c < n; c++) {
        const char *s = candidates[c];
        size_t sl = strlen(s);
        if (sl > wl + limit || wl > sl + limit || sl > 63 || wl > 63)
            continue;
        size_t prev2[64], prev[64], cur[64];
        for (size_t j = 0; j <= sl; j++)
            prev[j] = j;
        for (size_t i = 1; i <= wl; i++) {
            cur[0] = i;
            for (size_t j = 1; j <= sl; j++) {
                size_t cost = word[i - 1] == s[j - 1] ? 0 : 1;
                size_t d = prev[j] + 1;
                if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
                if (prev[j - 1] + cost < d) d = prev[j - 1] + cost;
                if (i > 1 && j > 1 && word[i - 1] == s[j - 2] && word[i - 2] == s[j - 1] &&
                    prev2[j - 2] + 1 < d)
                    d = prev2[j - 2] + 1; /* transposition */
                cur[j] = d;
            }
            memcpy(prev2, prev, sizeof prev);
            memcpy(prev, cur, sizeof cur);
        }
        if (prev[sl] < best_d && prev[sl] <= limit && strcmp(s, word) != 0) {
            best_d = prev[sl];
            best = s;
        }
    }
    return best;
}

/* ---- argument binding ---- */

bool bind_args(eval_ctx *ctx, const char *fname, const param_spec *params, size_t nparams,
               call_args *args, src_loc loc, value **out)
{
    for (size_t i = 0; i < nparams; i++)
        out[i] = NULL;
    size_t varargs = (size_t)-1, kwargs = (size_t)-1, npositional_params = 0;
    for (size_t i = 0; i < nparams; i++) {
        if (params[i].kind == P_VARARGS)
            varargs = i;
        else if (params[i].kind == P_KWARGS)
            kwargs = i;
        else if ((params[i].kind == P_REQUIRED || params[i].kind == P_OPTIONAL) && varargs == (size_t)-1)
            npositional_params++;
    }
    /* positional arguments fill positional parameters in order, the rest go to *args */
    value *rest = NULL;
    if (varargs != (size_t)-1) {
        rest = v_list(ctx->arena, V_TUPLE, 0, loc);
        if (!rest) {
            eval_oom(ctx, loc);
            return false;
        }
        out[varargs] = rest;
    }
    size_t p = 0;
    for (size_t a = 0; a < args->npositional; a++) {
        while (p < nparams && params[p].kind != P_REQUIRED && params[p].kind != P_OPTIONAL)
            p++;
        if (p < nparams && p < varargs) {
            out[p++] = args->positional[a];
        } else if (rest) {
            if (!v_list_push(ctx->arena, rest, args->positional[a])) {
                eval_oom(ctx, loc);
                return false;
            }
        } else {
            eval_error(ctx, args->positional_loc[a], "%s() takes %zu positional argument%s but %zu %s given",
                       fname, npositional_params, npositional_params == 1 ? "" : "s", args->npositional,
                       args->npositional == 1 ? "was" : "were");
            return false;
        }
    }
    value *kw = NULL;
    if (kwargs != (size_t)-1) {
        kw = v_dict(ctx->arena, loc);
        if (!kw) {
            eval_oom(ctx, loc);
            return false;
        }
        out[kwargs] = kw;
    }
    for (size_t k = 0; k < args->nkeywords; k++) {
        const char *name = args->names[k];
        size_t i;
        for (i = 0; i < nparams; i++)
            if (params[i].kind != P_VARARGS && params[i].kind != P_KWARGS && strcmp(params[i].name, name) == 0)
                break;
        if (i < nparams) {
            if (out[i]) {
                eval_error(ctx, args->keyword_loc[k], "%s() got multiple values for argument '%s'", fname, name);
                return false;
            }
            out[i] = args->keywords[k];
        } else if (kw) {
            if (!dict_set_str(ctx->arena, kw->u.dict, name, args->keywords[k], args->keyword_loc[k])) {
                eval_oom(ctx, loc);
                return false;
            }
        } else {
            const char *cands[128];
            size_t n = 0;
            for (size_t j = 0; j < nparams && n < 128; j++)
                if (params[j].kind != P_VARARGS && params[j].kind != P_KWARGS)
                    cands[n++] = params[j].name;
            eval_error(ctx, args->keyword_loc[k], "%s() got an unexpected keyword argument '%s'", fname, name);
            const char *hint = closest_name(name, cands, n);
            if (hint)
                diag_note(ctx->diags, args->keyword_loc[k], "did you mean '%s'?", hint);
            return false;
        }
    }
    for (size_t i = 0; i < nparams; i++)
        if (!out[i] && (params[i].kind == P_REQUIRED || params[i].kind == P_KWONLY_REQUIRED)) {
            eval_error(ctx, loc, "%s() missing required argument '%s'", fname, params[i].name);
            /* a misspelled keyword that **kwargs swallowed is the likely cause */
            for (size_t k = 0; kw && k < args->nkeywords; k++) {
                const char *cand = params[i].name;
                if (closest_name(args->names[k], &cand, 1) && !dict_get_str(kw->u.dict, params[i].name)) {
                    bool is_param = false;
                    for (size_t j = 0; j < nparams; j++)
                        is_param |= strcmp(params[j].name, args->names[k]) == 0;
                    if (!is_param)
                        diag_note(ctx->diags, args->keyword_loc[k],
                                  "'%s' is not a parameter of %s() (it would go to **%s); did you mean '%s'?",
                                  args->names[k], fname, params[kwargs].name, params[i].name);
                }
            }
            return false;
        }
    return true;
}

/* ---- iteration ---- */

bool eval_iterate(eval_ctx *ctx, value *v, src_loc loc, value ***items, size_t *n)
{
    switch (v->kind) {
    case V_LIST:
    case V_TUPLE:
        *items = v->u.list.items;
        *n = v->u.list.len;
        return true;
    case V_DICT:
        *items = v->u.dict->keys;
        *n = v->u.dict->len;
        return true;
    case V_STR: {
        /* one item per code point, as utf8_length counts them (a stray
         * continuation byte at the start makes one more) */
        const char *s = v->u.str.data;
        size_t len = v->u.str.len, k = 0;
        size_t count = utf8_length(s, len) + (len && ((unsigned char)s[0] & 0xC0) == 0x80);
        value **chars = arena_alloc(ctx->arena, (count ? count : 1) * sizeof *chars);
        if (!chars)
            return eval_oom(ctx, loc), false;
        for (size_t i = 0; i < len;) {
            size_t j = i + 1;
            while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
            if (!(chars[k++] = v_str(ctx->arena, s + i, j - i, v->loc)))
                return eval_oom(ctx, loc), false;
            i = j;
        }
        *items = chars;
        *n = k;
        return true;
    }
    case V_ERROR:
        return false;
    default:
        eval_error(ctx, loc, "'%s' object is not iterable", value_type_name(v));
        return false;
    }
}

/* ---- assignment targets ---- */

static bool assign(eval_ctx *ctx, expr *target, value *v);

static bool assign_attr(eval_ctx *ctx, expr *target, value *v)
{
    value *obj = eval_expr(ctx, target->u.attr.object);
    if (obj->kind == V_ERROR)
        return true;
    if (obj->kind == V_OBJECT) {
        value **slot = object_field(obj->u.obj, target->u.attr.name);
        if (!slot) /* a plain Python attribute, as on any Python object */
            return obj_set_extra(ctx->arena, obj, target->u.attr.name, v) || (eval_oom(ctx, target->loc), false);
        arena_note_store(ctx->arena, obj->u.obj);
        *slot = v->kind == V_NONE ? NULL : v;
        return true;
    }
    eval_error(ctx, target->loc, "cannot set attributes of a %s in a definition file", value_type_name(obj));
    return true;
}

static bool assign(eval_ctx *ctx, expr *target, value *v)
{
    switch (target->kind) {
    case E_NAME:
        if (!bind_name(ctx, target->u.name, v, target->loc)) {
            eval_oom(ctx, target->loc);
            return false;
        }
        return true;
    case E_TUPLE:
    case E_LIST: {
        node_list *targets = &target->u.seq.items;
        if (v->kind == V_ERROR) {
            for (size_t i = 0; i < targets->len; i++)
                if (!assign(ctx, targets->items[i], v))
                    return false;
            return true;
        }
        value **items;
        size_t n;
        if (!eval_iterate(ctx, v, target->loc, &items, &n))
            return true;
        if (n != targets->len) {
            eval_error(ctx, target->loc, "cannot unpack %zu values into %zu names", n, targets->len);
            value *poison = v_error(ctx->arena);
            for (size_t i = 0; poison && i < targets->len; i++)
                assign(ctx, targets->items[i], poison);
            return true;
        }
        for (size_t i = 0; i < n; i++)
            if (!assign(ctx, targets->items[i], items[i]))
                return false;
        return true;
    }
    case E_ATTR:
        return assign_attr(ctx, target, v);
    case E_SUBSCRIPT: {
        value *obj = eval_expr(ctx, target->u.subscript.object);
        value *key = eval_expr(ctx, target->u.subscript.index);
        if (obj->kind == V_ERROR || key->kind == V_ERROR)
            return true;
        if (obj->kind == V_DICT) {
            if (!value_hashable(key))
                eval_error(ctx, target->u.subscript.index->loc, "unhashable type: '%s'", value_type_name(key));
            else if (!dict_set(ctx->arena, obj->u.dict, key, v))
                eval_oom(ctx, target->loc);
            return true;
        }
        if (obj->kind == V_LIST && key->kind == V_INT) {
            int64_t i = key->u.i < 0 ? key->u.i + (int64_t)obj->u.list.len : key->u.i;
            if (i < 0 || i >= (int64_t)obj->u.list.len)
                eval_error(ctx, target->loc, "list assignment index out of range");
            else {
                arena_note_store(ctx->arena, obj);
                obj->u.list.items[i] = v;
            }
            return true;
        }
        eval_error(ctx, target->loc, "'%s' object does not support item assignment", value_type_name(obj));
        return true;
    }
    default:
        eval_error(ctx, target->loc, "cannot assign to this expression");
        return true;
    }
}

/* ---- operators ---- */

static bool is_num(const value *v) { return v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_BOOL; }
static bool is_int(const value *v) { return v->kind == V_INT || v->kind == V_BOOL; }
static int64_t int_of(const value *v) { return v->kind == V_INT ? v->u.i : (int64_t)v->u.b; }
static double float_of(const value *v) { return v->kind == V_FLOAT ? v->u.f : (double)int_of(v); }

static const char *op_symbol(op_kind op)
{
    static const char *const sym[] = {"+", "-", "*", "/", "//", "%", "**", "-", "+", "not", "and", "or",
                                      "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"};
    return sym[op];
}

static value *concat(eval_ctx *ctx, value *a, value *b, src_loc loc)
{
    if (a->kind == V_STR) {
        char *data = arena_alloc(ctx->arena, a->u.str.len + b->u.str.len + 1);
        if (!data)
            return eval_oom(ctx, loc);
        memcpy(data, a->u.str.data, a->u.str.len);
        memcpy(data + a->u.str.len, b->u.str.data, b->u.str.len);
        value *v = v_str(ctx->arena, data, a->u.str.len + b->u.str.len, loc);
        return OK_OR_OOM(ctx, v, loc);
    }
    value *v = v_list(ctx->arena, a->kind, a->u.list.len + b->u.list.len, loc);
    if (!v)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < a->u.list.len; i++)
        v->u.list.items[v->u.list.len++] = a->u.list.items[i];
    for (size_t i = 0; i < b->u.list.len; i++)
        v->u.list.items[v->u.list.len++] = b->u.list.items[i];
    return v;
}

#define MAX_REPEAT_BYTES ((size_t)64 << 20)

static value *repeat(eval_ctx *ctx, value *seq, int64_t times, src_loc loc)
{
    if (times < 0)
        times = 0;
    size_t unit = seq->kind == V_STR ? seq->u.str.len : seq->u.list.len * sizeof(value *);
    if (unit && (uint64_t)times > MAX_REPEAT_BYTES / unit)
        return eval_error(ctx, loc, "repetition of a %s %lld times is too large for a definition file",
                          value_type_name(seq), (long long)times);
    if (seq->kind == V_STR) {
        size_t n = seq->u.str.len * (size_t)times;
        char *data = arena_alloc(ctx->arena, n + 1);
        if (!data)
            return eval_oom(ctx, loc);
        for (int64_t i = 0; i < times; i++)
            memcpy(data + (size_t)i * seq->u.str.len, seq->u.str.data, seq->u.str.len);
        return OK_OR_OOM(ctx, v_str(ctx->arena, data, n, loc), loc);
    }
    value *v = v_list(ctx->arena, seq->kind, seq->u.list.len * (size_t)times, loc);
    if (!v)
        return eval_oom(ctx, loc);
    for (int64_t t = 0; t < times; t++)
        for (size_t i = 0; i < seq->u.list.len; i++)
            v->u.list.items[v->u.list.len++] = seq->u.list.items[i];
    return v;
}

/* Python's printf-style formatting: "%s and %d" % (a, b). */
static value *percent_format(eval_ctx *ctx, value *fmt, value *arg, src_loc loc)
{
    value **items = &arg;
    size_t n = 1, used = 0;
    if (arg->kind == V_TUPLE) {
        items = arg->u.list.items;
        n = arg->u.list.len;
    }
    tj_buf out = {0};
    const char *s = fmt->u.str.data, *end = s + fmt->u.str.len;
    while (s < end) {
        const char *pct = memchr(s, '%', (size_t)(end - s));
        if (!pct) {
            tj_buf_put(&out, s, (size_t)(end - s));
            break;
        }
        tj_buf_put(&out, s, (size_t)(pct - s));
        if (pct + 1 >= end) {
            tj_buf_free(&out);
            return eval_error(ctx, loc, "incomplete format");
        }
        char conv = pct[1];
        s = pct + 2;
        if (conv == '%') {
            tj_buf_putc(&out, '%');
            continue;
        }
        if (used >= n) {
            tj_buf_free(&out);
            return eval_error(ctx, loc, "not enough arguments for format string");
        }
        value *v = items[used++];
        if (conv == 's')
            value_str(&out, v);
        else if (conv == 'r')
            value_repr(&out, v);
        else if (conv == 'd' || conv == 'i') {
            if (!is_num(v)) {
                tj_buf_free(&out);
                return eval_error(ctx, loc, "%%d format: a number is required, not %s", value_type_name(v));
            }
            tj_buf_printf(&out, "%lld", (long long)(v->kind == V_FLOAT ? (int64_t)v->u.f : int_of(v)));
        } else {
            tj_buf_free(&out);
            return eval_error(ctx, loc, "unsupported format character '%c' in %% formatting; use str.format", conv);
        }
    }
    if (used < n && arg->kind == V_TUPLE) {
        tj_buf_free(&out);
        return eval_error(ctx, loc, "not all arguments converted during string formatting");
    }
    if (out.failed)
        return eval_oom(ctx, loc);
    value *v = v_str(ctx->arena, out.data ? out.data : "", out.len, loc);
    tj_buf_free(&out);
    return OK_OR_OOM(ctx, v, loc);
}

static value *binop(eval_ctx *ctx, op_kind op, value *a, value *b, src_loc loc)
{
    if (a->kind == V_ERROR || b->kind == V_ERROR)
        return a->kind == V_ERROR ? a : b;
    arena *ar = ctx->arena;
    if (op == OP_ADD && ((a->kind == V_STR && b->kind == V_STR) || (a->kind == V_LIST && b->kind == V_LIST) ||
                         (a->kind == V_TUPLE && b->kind == V_TUPLE)))
        return concat(ctx, a, b, loc);
    if (op == OP_MUL && (a->kind == V_STR || a->kind == V_LIST || a->kind == V_TUPLE) && is_int(b))
        return repeat(ctx, a, int_of(b), loc);
    if (op == OP_MUL && (b->kind == V_STR || b->kind == V_LIST || b->kind == V_TUPLE) && is_int(a))
        return repeat(ctx, b, int_of(a), loc);
    if (op == OP_MOD && a->kind == V_STR)
        return percent_format(ctx, a, b, loc);
    if (!is_num(a) || !is_num(b))
        return eval_error(ctx, loc, "unsupported operand types for %s: '%s' and '%s'", op_symbol(op),
                          value_type_name(a), value_type_name(b));
    if (is_int(a) && is_int(b) && op != OP_DIV) {
        int64_t x = int_of(a), y = int_of(b), r = 0;
        bool overflow = false;
        switch (op) {
        case OP_ADD: overflow = __builtin_add_overflow(x, y, &r); break;
        case OP_SUB: overflow = __builtin_sub_overflow(x, y, &r); break;
        case OP_MUL: overflow = __builtin_mul_overflow(x, y, &r); break;
        case OP_FLOORDIV:
        case OP_MOD:
            if (y == 0)
                return eval_error(ctx, loc, "integer division or modulo by zero");
            if (x == INT64_MIN && y == -1) {
                overflow = true;
                break;
            }
            r = op == OP_FLOORDIV ? x / y : x % y;
            /* Python rounds toward negative infinity */
            if (op == OP_FLOORDIV && (x % y != 0) && ((x < 0) != (y < 0)))
                r--;
            if (op == OP_MOD && r != 0 && ((r < 0) != (y < 0)))
                r += y;
            break;
        case OP_POW:
            if (y < 0)
                return OK_OR_OOM(ctx, v_float(ar, pow((double)x, (double)y), loc), loc);
            r = 1;
            for (int64_t i = 0; i < y && !overflow; i++)
                overflow = __builtin_mul_overflow(r, x, &r);
            break;
        default: break;
        }
        if (overflow)
            return eval_error(ctx, loc, "integer overflow: the result does not fit in 64 bits");
        return OK_OR_OOM(ctx, v_int(ar, r, loc), loc);
    }
    double x = float_of(a), y = float_of(b), r = 0;
    switch (op) {
    case OP_ADD: r = x + y; break;
    case OP_SUB: r = x - y; break;
    case OP_MUL: r = x * y; break;
    case OP_DIV:
        if (y == 0)
            return eval_error(ctx, loc, "division by zero");
        r = x / y;
        break;
    case OP_FLOORDIV:
    case OP_MOD:
        if (y == 0)
            return eval_error(ctx, loc, "float division by zero");
        r = op == OP_FLOORDIV ? floor(x / y) : x - floor(x / y) * y;
        break;
    case OP_POW: r = pow(x, y); break;
    default: break;
    }
    return OK_OR_OOM(ctx, v_float(ar, r, loc), loc);
}

/* <0, 0, >0; *ok false if the two cannot be ordered. */
static int compare_order(const value *a, const value *b, bool *ok)
{
    *ok = true;
    if (is_num(a) && is_num(b)) {
        if (is_int(a) && is_int(b))
            return int_of(a) < int_of(b) ? -1 : int_of(a) > int_of(b);
        double x = float_of(a), y = float_of(b);
        return x < y ? -1 : x > y;
    }
    if (a->kind == V_STR && b->kind == V_STR) {
        /* UTF-8 byte order is code point order, which is Python's order */
        size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        int c = memcmp(a->u.str.data, b->u.str.data, n);
        if (c)
            return c;
        return a->u.str.len < b->u.str.len ? -1 : a->u.str.len > b->u.str.len;
    }
    if ((a->kind == V_LIST || a->kind == V_TUPLE) && a->kind == b->kind) {
        size_t n = a->u.list.len < b->u.list.len ? a->u.list.len : b->u.list.len;
        for (size_t i = 0; i < n; i++) {
            if (value_equal(a->u.list.items[i], b->u.list.items[i]))
                continue;
            return compare_order(a->u.list.items[i], b->u.list.items[i], ok);
        }
        return a->u.list.len < b->u.list.len ? -1 : a->u.list.len > b->u.list.len;
    }
    *ok = false;
    return 0;
}

int value_compare(const value *a, const value *b, bool *ok);
int value_compare(const value *a, const value *b, bool *ok) { return compare_order(a, b, ok); }

static bool contains(eval_ctx *ctx, value *container, value *item, src_loc loc, bool *result)
{
    switch (container->kind) {
    case V_STR:
        if (item->kind != V_STR) {
            eval_error(ctx, loc, "'in <string>' requires string as left operand, not %s", value_type_name(item));
            return false;
        }
        if (item->u.str.len == 0) {
            *result = true;
            return true;
        }
        *result = false;
        for (size_t i = 0; i + item->u.str.len <= container->u.str.len; i++)
            if (memcmp(container->u.str.data + i, item->u.str.data, item->u.str.len) == 0) {
                *result = true;
                break;
            }
        return true;
    case V_LIST:
    case V_TUPLE:
        *result = false;
        for (size_t i = 0; i < container->u.list.len; i++)
            if (value_equal(container->u.list.items[i], item)) {
                *result = true;
                break;
            }
        return true;
    case V_DICT:
        *result = value_hashable(item) && dict_get(container->u.dict, item) != NULL;
        return true;
    default:
        eval_error(ctx, loc, "argument of type '%s' is not iterable", value_type_name(container));
        return false;
    }
}

static bool identical(const value *a, const value *b)
{
    if (a == b)
        return true;
    /* None, True and False are singletons in Python */
    if (a->kind == V_NONE && b->kind == V_NONE)
        return true;
    if (a->kind == V_BOOL && b->kind == V_BOOL)
        return a->u.b == b->u.b;
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case V_DICT: return a->u.dict == b->u.dict;
    case V_OBJECT: return a->u.obj == b->u.obj;
    case V_MODULE: return a->u.module == b->u.module;
    case V_CLASS: return a->u.cls == b->u.cls;
    case V_FUNCTION: return a->u.fn == b->u.fn;
    default: return false;
    }
}

static value *compare(eval_ctx *ctx, expr *e)
{
    value *left = eval_expr(ctx, e->u.compare.operands.items[0]);
    for (size_t i = 0; i < e->u.compare.ops.len; i++) {
        op_kind op = (op_kind)(intptr_t)e->u.compare.ops.items[i];
        value *right = eval_expr(ctx, e->u.compare.operands.items[i + 1]);
        if (left->kind == V_ERROR || right->kind == V_ERROR)
            return left->kind == V_ERROR ? left : right;
        bool r = false, ok = true;
        switch (op) {
        case OP_EQ: r = value_equal(left, right); break;
        case OP_NE: r = !value_equal(left, right); break;
        case OP_IS: r = identical(left, right); break;
        case OP_IS_NOT: r = !identical(left, right); break;
        case OP_IN:
        case OP_NOT_IN:
            if (!contains(ctx, right, left, e->loc, &r))
                return v_error(ctx->arena);
            if (op == OP_NOT_IN)
                r = !r;
            break;
        default: {
            int c = compare_order(left, right, &ok);
            if (!ok)
                return eval_error(ctx, e->loc, "'%s' not supported between instances of '%s' and '%s'",
                                  op_symbol(op), value_type_name(left), value_type_name(right));
            r = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
        }
        }
        if (!r)
            return OK_OR_OOM(ctx, v_bool(ctx->arena, false, e->loc), e->loc);
        left = right;
    }
    return OK_OR_OOM(ctx, v_bool(ctx->arena, true, e->loc), e->loc);
}

/* ---- subscripts ---- */

static bool slice_bounds(eval_ctx *ctx, expr *slice, size_t len, int64_t *start, int64_t *stop, int64_t *step)
{
    value *parts[3] = {NULL, NULL, NULL};
    expr *exprs[3] = {slice->u.slice.lower, slice->u.slice.upper, slice->u.slice.step};
    for (int i = 0; i < 3; i++) {
        if (!exprs[i])
            continue;
        parts[i] = eval_expr(ctx, exprs[i]);
        if (parts[i]->kind == V_ERROR)
            return false;
        if (parts[i]->kind == V_NONE)
            parts[i] = NULL;
        else if (!is_int(parts[i])) {
            eval_error(ctx, exprs[i]->loc, "slice indices must be integers or None");
            return false;
        }
    }
    *step = parts[2] ? int_of(parts[2]) : 1;
    if (*step == 0) {
        eval_error(ctx, slice->loc, "slice step cannot be zero");
        return false;
    }
    int64_t n = (int64_t)len;
    int64_t lo = *step > 0 ? 0 : n - 1, hi = *step > 0 ? n : -1;
    if (parts[0]) {
        lo = int_of(parts[0]);
        if (lo < 0) lo += n;
        if (*step > 0) lo = lo < 0 ? 0 : lo > n ? n : lo;
        else lo = lo < -1 ? -1 : lo > n - 1 ? n - 1 : lo;
    }
    if (parts[1]) {
        hi = int_of(parts[1]);
        if (hi < 0) hi += n;
        if (*step > 0) hi = hi < 0 ? 0 : hi > n ? n : hi;
        else hi = hi < -1 ? -1 : hi > n - 1 ? n - 1 : hi;
    }
    *start = lo;
    *stop = hi;
    return true;
}

static value *subscript(eval_ctx *ctx, expr *e)
{
    value *obj = eval_expr(ctx, e->u.subscript.object);
    if (obj->kind == V_ERROR)
        return obj;
    expr *ix = e->u.subscript.index;
    if (ix->kind == E_SLICE) {
        if (obj->kind != V_LIST && obj->kind != V_TUPLE && obj->kind != V_STR)
            return eval_error(ctx, e->loc, "'%s' object is not sliceable", value_type_name(obj));
        value **items = NULL;
        size_t n;
        if (obj->kind == V_STR) {
            if (!eval_iterate(ctx, obj, e->loc, &items, &n))
                return v_error(ctx->arena);
        } else {
            items = obj->u.list.items;
            n = obj->u.list.len;
        }
        int64_t start, stop, step;
        if (!slice_bounds(ctx, ix, n, &start, &stop, &step))
            return v_error(ctx->arena);
        value *out = v_list(ctx->arena, obj->kind == V_TUPLE ? V_TUPLE : V_LIST, 0, e->loc);
        if (!out)
            return eval_oom(ctx, e->loc);
        for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
            if (!v_list_push(ctx->arena, out, items[i]))
                return eval_oom(ctx, e->loc);
        if (obj->kind != V_STR)
            return out;
        tj_buf b = {0};
        for (size_t i = 0; i < out->u.list.len; i++)
            tj_buf_put(&b, out->u.list.items[i]->u.str.data, out->u.list.items[i]->u.str.len);
        value *s = b.failed ? NULL : v_str(ctx->arena, b.data ? b.data : "", b.len, e->loc);
        tj_buf_free(&b);
        return OK_OR_OOM(ctx, s, e->loc);
    }
    value *key = eval_expr(ctx, ix);
    if (key->kind == V_ERROR)
        return key;
    if (obj->kind == V_DICT) {
        if (!value_hashable(key))
            return eval_error(ctx, ix->loc, "unhashable type: '%s'", value_type_name(key));
        value *v = dict_get(obj->u.dict, key);
        if (!v) {
            tj_buf b = {0};
            value_repr(&b, key);
            value *err = eval_error(ctx, ix->loc, "key %s is not in the dict", b.data ? b.data : "?");
            tj_buf_free(&b);
            return err;
        }
        return v;
    }
    if (obj->kind == V_LIST || obj->kind == V_TUPLE || obj->kind == V_STR) {
        if (!is_int(key))
            return eval_error(ctx, ix->loc, "%s indices must be integers, not %s", value_type_name(obj),
                              value_type_name(key));
        value **items;
        size_t n;
        if (obj->kind == V_STR) {
            if (!eval_iterate(ctx, obj, e->loc, &items, &n))
                return v_error(ctx->arena);
        } else {
            items = obj->u.list.items;
            n = obj->u.list.len;
        }
        int64_t i = int_of(key);
        if (i < 0)
            i += (int64_t)n;
        if (i < 0 || i >= (int64_t)n)
            return eval_error(ctx, ix->loc, "%s index out of range", value_type_name(obj));
        return items[i];
    }
    return eval_error(ctx, e->loc, "'%s' object is not subscriptable", value_type_name(obj));
}

/* ---- attributes ---- */

value *eval_getattr(eval_ctx *ctx, value *v, const char *name, src_loc loc, src_loc name_loc)
{
    switch (v->kind) {
    case V_ERROR:
        return v;
    case V_MODULE: {
        value *a = dict_get_str(v->u.module->attrs, name);
        if (a)
            return a;
        /* `import a` then `a.b.c`: a submodule that was not imported yet */
        if (ctx->submodule_exists) {
            char *full = arena_sprintf(ctx->arena, "%s.%s", v->u.module->name, name);
            if (full && ctx->submodule_exists(ctx, full)) {
                module *m = ctx->import(ctx, full, loc);
                if (m) {
                    value *mv = v_module(ctx->arena, m, loc);
                    if (mv && dict_set_str(ctx->arena, v->u.module->attrs, name, mv, loc))
                        return mv;
                    return eval_oom(ctx, loc);
                }
                return v_error(ctx->arena);
            }
        }
        if (v->u.module->loading) {
            /* `from package import module` of a module that is importing us:
             * Python's AttributeError, naming the cycle; no "did you mean"
             * (the module's names are not all bound yet) */
            const char *chain = ctx->import_cycle ? ctx->import_cycle(ctx, v->u.module) : NULL;
            if (chain)
                return eval_error(ctx, name_loc, "partially initialized module '%s' has no attribute '%s' (import cycle: %s)",
                                  v->u.module->name, name, chain);
            return eval_error(ctx, name_loc,
                              "partially initialized module '%s' has no attribute '%s' (most likely due to a circular import)",
                              v->u.module->name, name);
        }
        const char *cands[512];
        size_t n = 0;
        for (size_t i = 0; i < v->u.module->attrs->len && n < 512; i++)
            cands[n++] = v->u.module->attrs->keys[i]->u.str.data;
        value *err = eval_error(ctx, name_loc, "module '%s' has no attribute '%s'", v->u.module->name, name);
        const char *hint = closest_name(name, cands, n);
        if (hint)
            diag_note(ctx->diags, name_loc, "did you mean '%s'?", hint);
        return err;
    }
    case V_OBJECT: {
        value **slot = object_field(v->u.obj, name);
        if (slot)
            return *slot ? *slot : OK_OR_OOM(ctx, v_none(ctx->arena, loc), loc);
        value *extra = obj_get_extra(v, name);
        if (extra)
            return extra;
        const char *cands[64];
        size_t n = 0;
        for (size_t i = 0; i < v->u.obj->desc->field_count && n < 64; i++)
            cands[n++] = v->u.obj->desc->fields[i].name;
        value *err = eval_error(ctx, name_loc, "'%s' object has no attribute '%s'", v->u.obj->desc->name, name);
        const char *hint = closest_name(name, cands, n);
        if (hint)
            diag_note(ctx->diags, name_loc, "did you mean '%s'?", hint);
        return err;
    }
    default: {
        value *m = builtin_method(ctx, v, name, loc);
        if (m)
            return m;
        return eval_error(ctx, name_loc, "'%s' object has no attribute '%s'", value_type_name(v), name);
    }
    }
}

/* ---- calls ---- */

/* Room for cap positional (or keyword) arguments in all. */
static bool reserve_positional(eval_ctx *ctx, call_args *args, size_t *cap_pos, size_t cap)
{
    value **p = arena_alloc(ctx->arena, cap * sizeof *p);
    src_loc *l = arena_alloc(ctx->arena, cap * sizeof *l);
    if (!p || !l)
        return false;
    if (args->npositional) {
        memcpy(p, args->positional, args->npositional * sizeof *p);
        memcpy(l, args->positional_loc, args->npositional * sizeof *l);
    }
    args->positional = p;
    args->positional_loc = l;
    *cap_pos = cap;
    return true;
}

static bool reserve_keywords(eval_ctx *ctx, call_args *args, size_t *cap_kw, size_t cap)
{
    const char **n = arena_alloc(ctx->arena, cap * sizeof *n);
    value **k = arena_alloc(ctx->arena, cap * sizeof *k);
    src_loc *l = arena_alloc(ctx->arena, cap * sizeof *l);
    const expr **x = arena_alloc(ctx->arena, cap * sizeof *x);
    if (!n || !k || !l || !x)
        return false;
    if (args->nkeywords) {
        memcpy(n, args->names, args->nkeywords * sizeof *n);
        memcpy(k, args->keywords, args->nkeywords * sizeof *k);
        memcpy(l, args->keyword_loc, args->nkeywords * sizeof *l);
        memcpy(x, args->keyword_expr, args->nkeywords * sizeof *x);
    }
    args->names = n;
    args->keywords = k;
    args->keyword_loc = l;
    args->keyword_expr = x;
    *cap_kw = cap;
    return true;
}

static bool push_arg(eval_ctx *ctx, call_args *args, size_t *cap_pos, size_t *cap_kw, const char *name,
                     value *v, src_loc loc, const expr *written)
{
    if (!name) {
        if (args->npositional == *cap_pos &&
            !reserve_positional(ctx, args, cap_pos, *cap_pos ? *cap_pos * 2 : 8))
            return false;
        args->positional[args->npositional] = v;
        args->positional_loc[args->npositional++] = loc;
        return true;
    }
    if (args->nkeywords == *cap_kw && !reserve_keywords(ctx, args, cap_kw, *cap_kw ? *cap_kw * 2 : 8))
        return false;
    args->names[args->nkeywords] = name;
    args->keywords[args->nkeywords] = v;
    args->keyword_expr[args->nkeywords] = written;
    args->keyword_loc[args->nkeywords++] = loc;
    return true;
}

/* Evaluate a call's arguments, expanding * and **. False if an argument
 * failed (already reported). */
static bool eval_args(eval_ctx *ctx, node_list *list, call_args *args)
{
    memset(args, 0, sizeof *args);
    size_t cap_pos = 0, cap_kw = 0;
    bool ok = true;
    /* arrays of the exact size when there is no * or ** to expand (they
     * stay in the arena: a default of 8 slots cost more than the values) */
    size_t want_pos = 0, want_kw = 0;
    for (size_t i = 0; i < list->len; i++) {
        arg_kind kind = ((call_arg *)list->items[i])->kind;
        want_pos += kind == ARG_POSITIONAL;
        want_kw += kind == ARG_KEYWORD;
    }
    if ((want_pos && !reserve_positional(ctx, args, &cap_pos, want_pos)) ||
        (want_kw && !reserve_keywords(ctx, args, &cap_kw, want_kw)))
        goto oom;
    for (size_t i = 0; i < list->len; i++) {
        call_arg *arg = list->items[i];
        value *v = eval_expr(ctx, arg->value);
        if (v->kind == V_ERROR) {
            ok = false;
            continue;
        }
        switch (arg->kind) {
        case ARG_POSITIONAL:
            if (!push_arg(ctx, args, &cap_pos, &cap_kw, NULL, v, arg->loc, NULL))
                goto oom;
            break;
        case ARG_KEYWORD:
            for (size_t k = 0; k < args->nkeywords; k++)
                if (strcmp(args->names[k], arg->name) == 0) {
                    eval_error(ctx, arg->name_loc, "keyword argument repeated: %s", arg->name);
                    ok = false;
                }
            if (!push_arg(ctx, args, &cap_pos, &cap_kw, arg->name, v, arg->name_loc, arg->value))
                goto oom;
            break;
        case ARG_STAR: {
            value **items;
            size_t n;
            if (!eval_iterate(ctx, v, arg->loc, &items, &n)) {
                ok = false;
                break;
            }
            for (size_t k = 0; k < n; k++)
                if (!push_arg(ctx, args, &cap_pos, &cap_kw, NULL, items[k], arg->loc, NULL))
                    goto oom;
            break;
        }
        case ARG_DOUBLE_STAR:
            if (v->kind != V_DICT) {
                eval_error(ctx, arg->loc, "argument after ** must be a dict, not %s", value_type_name(v));
                ok = false;
                break;
            }
            for (size_t k = 0; k < v->u.dict->len; k++) {
                value *key = v->u.dict->keys[k];
                if (key->kind != V_STR) {
                    eval_error(ctx, arg->loc, "keywords must be strings");
                    ok = false;
                    break;
                }
                for (size_t j = 0; j < args->nkeywords; j++)
                    if (strcmp(args->names[j], key->u.str.data) == 0) {
                        eval_error(ctx, arg->loc, "got multiple values for keyword argument '%s'", key->u.str.data);
                        ok = false;
                    }
                if (!push_arg(ctx, args, &cap_pos, &cap_kw, key->u.str.data, v->u.dict->values[k], arg->loc, NULL))
                    goto oom;
            }
            break;
        }
    }
    return ok;
oom:
    eval_oom(ctx, list->len ? ((call_arg *)list->items[0])->loc : (src_loc){0});
    return false;
}

static bool exec_body(eval_ctx *ctx, node_list *body);

static value *call_function(eval_ctx *ctx, function *fn, call_args *args, src_loc loc)
{
    size_t n = fn->params.len;
    param_spec *spec = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *spec);
    value **bound = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *bound);
    if (!spec || !bound)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < n; i++) {
        param *p = fn->params.items[i];
        spec[i].name = p->name;
        switch (p->kind) {
        case PARAM_NORMAL: spec[i].kind = p->default_value ? P_OPTIONAL : P_REQUIRED; break;
        case PARAM_VARARGS: spec[i].kind = P_VARARGS; break;
        case PARAM_KWONLY: spec[i].kind = p->default_value ? P_KWONLY_OPTIONAL : P_KWONLY_REQUIRED; break;
        case PARAM_KWARGS: spec[i].kind = P_KWARGS; break;
        }
    }
    if (!bind_args(ctx, fn->name, spec, n, args, loc, bound))
        return v_error(ctx->arena);
    if (ctx->depth >= MAX_DEPTH)
        return eval_error(ctx, loc, "maximum recursion depth exceeded calling %s()", fn->name);
    env *scope = arena_alloc(ctx->arena, sizeof *scope);
    if (!scope || !(scope->vars = dict_new(ctx->arena)))
        return eval_oom(ctx, loc);
    scope->parent = fn->closure;
    for (size_t i = 0; i < n; i++) {
        value *v = bound[i] ? bound[i] : fn->defaults[i];
        if (!v)
            continue;
        if (!dict_set_str(ctx->arena, scope->vars, spec[i].name, v, loc))
            return eval_oom(ctx, loc);
    }
    eval_ctx saved = *ctx;
    size_t items_before = ctx->diags->len;
    ctx->module = fn->module;
    ctx->locals = scope;
    ctx->depth++;
    ctx->returning = false;
    ctx->return_value = NULL;
    value *result;
    if (fn->lambda_body) {
        result = eval_expr(ctx, fn->lambda_body);
    } else {
        exec_body(ctx, &fn->body);
        result = ctx->return_value ? ctx->return_value : v_none(ctx->arena, loc);
    }
    ctx->module = saved.module;
    ctx->locals = saved.locals;
    ctx->depth = saved.depth;
    ctx->returning = saved.returning;
    ctx->return_value = saved.return_value;
    /* An error inside a function of another file (a helper of sources/)
     * fails the module that called it: the note shows that file where (one
     * note per call on the way, as a traceback; they follow the error's own
     * notes). */
    const diag_set *d = ctx->diags;
    size_t last = d->len;
    while (last > items_before && d->items[last - 1].level == DIAG_NOTE)
        last--;
    if (last > items_before && d->items[last - 1].level == DIAG_ERROR && fn->loc.file && loc.file &&
        fn->loc.file != loc.file)
        diag_note(ctx->diags, loc, "in this call to %s()", fn->name);
    return OK_OR_OOM(ctx, result, loc);
}

/* ttypes.X(...): positional arguments in field order, keywords by field name. */
value *thrift_construct(eval_ctx *ctx, const tj_struct_desc *desc, call_args *args, src_loc loc);

value *eval_call(eval_ctx *ctx, value *callee, call_args *args, src_loc loc)
{
    switch (callee->kind) {
    case V_ERROR:
        return callee;
    case V_BUILTIN:
        return callee->u.builtin.def->fn(ctx, callee->u.builtin.def, callee->u.builtin.self, args, loc);
    case V_FUNCTION:
        return call_function(ctx, callee->u.fn, args, loc);
    case V_CLASS:
        return thrift_construct(ctx, callee->u.cls, args, loc);
    default:
        return eval_error(ctx, loc, "'%s' object is not callable", value_type_name(callee));
    }
}

static value *make_function(eval_ctx *ctx, const char *name, node_list *params, node_list *body,
                            expr *lambda_body, src_loc loc)
{
    function *fn = arena_alloc(ctx->arena, sizeof *fn);
    value *v = arena_alloc(ctx->arena, sizeof *v);
    if (!fn || !v)
        return eval_oom(ctx, loc);
    fn->name = name;
    fn->params = *params;
    if (body)
        fn->body = *body;
    fn->lambda_body = lambda_body;
    fn->module = ctx->module;
    fn->closure = ctx->locals;
    fn->loc = loc;
    fn->defaults = arena_alloc(ctx->arena, (params->len ? params->len : 1) * sizeof(value *));
    if (!fn->defaults)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < params->len; i++) {
        param *p = params->items[i];
        if (p->default_value)
            fn->defaults[i] = eval_expr(ctx, p->default_value); /* once, at def time, as Python */
    }
    v->kind = V_FUNCTION;
    v->loc = loc;
    v->u.fn = fn;
    return v;
}

/* ---- comprehensions ---- */

static bool comp_loop(eval_ctx *ctx, expr *e, size_t level, value *out)
{
    if (level == e->u.comp.fors.len) {
        if (e->kind == E_LISTCOMP) {
            value *v = eval_expr(ctx, e->u.comp.element);
            return v_list_push(ctx->arena, out, v) || (eval_oom(ctx, e->loc), false);
        }
        value *k = eval_expr(ctx, e->u.comp.key);
        value *v = eval_expr(ctx, e->u.comp.element);
        if (k->kind == V_ERROR)
            return true;
        if (!value_hashable(k)) {
            eval_error(ctx, e->u.comp.key->loc, "unhashable type: '%s'", value_type_name(k));
            return true;
        }
        return dict_set(ctx->arena, out->u.dict, k, v) || (eval_oom(ctx, e->loc), false);
    }
    comp_for *f = e->u.comp.fors.items[level];
    value *iterable = eval_expr(ctx, f->iter);
    value **items;
    size_t n;
    if (iterable->kind == V_ERROR || !eval_iterate(ctx, iterable, f->iter->loc, &items, &n))
        return true;
    for (size_t i = 0; i < n; i++) {
        if (!assign(ctx, f->target, items[i]))
            return false;
        bool keep = true;
        for (size_t k = 0; k < f->ifs.len && keep; k++) {
            value *c = eval_expr(ctx, f->ifs.items[k]);
            if (c->kind == V_ERROR)
                return true;
            keep = value_truthy(c);
        }
        if (keep && !comp_loop(ctx, e, level + 1, out))
            return false;
    }
    return true;
}

static value *comprehension(eval_ctx *ctx, expr *e)
{
    value *out = e->kind == E_LISTCOMP ? v_list(ctx->arena, V_LIST, 0, e->loc) : v_dict(ctx->arena, e->loc);
    env *scope = arena_alloc(ctx->arena, sizeof *scope);
    if (!out || !scope || !(scope->vars = dict_new(ctx->arena)))
        return eval_oom(ctx, e->loc);
    scope->parent = ctx->locals;
    env *saved = ctx->locals;
    ctx->locals = scope;
    size_t errors = ctx->diags->errors;
    comp_loop(ctx, e, 0, out);
    ctx->locals = saved;
    return ctx->diags->errors > errors ? v_error(ctx->arena) : out;
}

/* ---- f-strings ---- */

static value *fstring(eval_ctx *ctx, expr *e)
{
    tj_buf out = {0};
    bool failed = false;
    for (size_t i = 0; i < e->u.fstr.parts.len && !failed; i++) {
        fstring_part *part = e->u.fstr.parts.items[i];
        if (part->literal) {
            tj_buf_put(&out, part->literal, part->literal_len);
            continue;
        }
        value *v = eval_expr(ctx, part->value);
        if (v->kind == V_ERROR) {
            failed = true;
            break;
        }
        if (part->self_documenting && part->expr_text)
            tj_buf_puts(&out, part->expr_text);
        char conv = part->conversion;
        if (part->self_documenting && !conv && !part->format_spec)
            conv = 'r';
        if (conv == 'r' || conv == 'a' || conv == 's') {
            tj_buf text = {0};
            if (conv == 's')
                value_str(&text, v);
            else if (conv == 'a')
                value_ascii(&text, v);
            else
                value_repr(&text, v);
            v = text.failed ? NULL : v_str(ctx->arena, text.data ? text.data : "", text.len, v->loc);
            tj_buf_free(&text);
            if (!v) {
                eval_oom(ctx, e->loc);
                failed = true;
                break;
            }
        }
        const char *spec = "";
        size_t spec_len = 0;
        if (part->format_spec) {
            value *s = eval_expr(ctx, part->format_spec);
            if (s->kind != V_STR) {
                failed = true;
                break;
            }
            spec = s->u.str.data;
            spec_len = s->u.str.len;
        }
        if (!format_value(ctx, &out, v, spec, spec_len, part->value->loc))
            failed = true;
    }
    if (failed || out.failed) {
        if (out.failed)
            eval_oom(ctx, e->loc);
        tj_buf_free(&out);
        return v_error(ctx->arena);
    }
    value *v = v_str(ctx->arena, out.data ? out.data : "", out.len, e->loc);
    tj_buf_free(&out);
    return OK_OR_OOM(ctx, v, e->loc);
}

/* ---- expressions ---- */

value *eval_expr(eval_ctx *ctx, expr *e)
{
    arena *a = ctx->arena;
    switch (e->kind) {
    case E_NAME: {
        value *v = lookup(ctx, e->u.name);
        if (v)
            return v;
        value *err = eval_error(ctx, e->loc, "name '%s' is not defined", e->u.name);
        const char *hint = suggest_visible(ctx, e->u.name);
        if (hint)
            diag_note(ctx->diags, e->loc, "did you mean '%s'?", hint);
        return err;
    }
    case E_NONE: return OK_OR_OOM(ctx, v_none(a, e->loc), e->loc);
    case E_BOOL: return OK_OR_OOM(ctx, v_bool(a, e->u.b, e->loc), e->loc);
    case E_INT: return OK_OR_OOM(ctx, v_int(a, e->u.i, e->loc), e->loc);
    case E_FLOAT: return OK_OR_OOM(ctx, v_float(a, e->u.f, e->loc), e->loc);
    case E_STR: return OK_OR_OOM(ctx, v_str(a, e->u.str.data, e->u.str.len, e->loc), e->loc);
    case E_FSTRING: return fstring(ctx, e);
    case E_LIST:
    case E_TUPLE: {
        value *out = v_list(a, e->kind == E_LIST ? V_LIST : V_TUPLE, e->u.seq.items.len, e->loc);
        if (!out)
            return eval_oom(ctx, e->loc);
        bool bad = false;
        for (size_t i = 0; i < e->u.seq.items.len; i++) {
            expr *item = e->u.seq.items.items[i];
            if (item->kind == E_STARRED) {
                value *inner = eval_expr(ctx, item->u.unary.operand);
                value **items;
                size_t n;
                if (inner->kind == V_ERROR || !eval_iterate(ctx, inner, item->loc, &items, &n)) {
                    bad = true;
                    continue;
                }
                for (size_t k = 0; k < n; k++)
                    if (!v_list_push(a, out, items[k]))
                        return eval_oom(ctx, e->loc);
                continue;
            }
            value *v = eval_expr(ctx, item);
            bad |= v->kind == V_ERROR;
            if (!v_list_push(a, out, v))
                return eval_oom(ctx, e->loc);
        }
        return bad ? v_error(a) : out;
    }
    case E_DICT: {
        value *out = v_dict(a, e->loc);
        if (!out)
            return eval_oom(ctx, e->loc);
        bool bad = false;
        for (size_t i = 0; i < e->u.dict.keys.len; i++) {
            expr *ke = e->u.dict.keys.items[i];
            value *v = eval_expr(ctx, e->u.dict.values.items[i]);
            if (!ke) { /* {**other} */
                if (v->kind == V_ERROR) {
                    bad = true;
                    continue;
                }
                if (v->kind != V_DICT) {
                    eval_error(ctx, ((expr *)e->u.dict.values.items[i])->loc, "'%s' object is not a mapping",
                               value_type_name(v));
                    bad = true;
                    continue;
                }
                for (size_t k = 0; k < v->u.dict->len; k++)
                    if (!dict_set(a, out->u.dict, v->u.dict->keys[k], v->u.dict->values[k]))
                        return eval_oom(ctx, e->loc);
                continue;
            }
            value *k = eval_expr(ctx, ke);
            if (k->kind == V_ERROR || v->kind == V_ERROR) {
                bad = true;
                continue;
            }
            if (!value_hashable(k)) {
                eval_error(ctx, ke->loc, "unhashable type: '%s'", value_type_name(k));
                bad = true;
                continue;
            }
            if (!dict_set(a, out->u.dict, k, v))
                return eval_oom(ctx, e->loc);
        }
        return bad ? v_error(a) : out;
    }
    case E_STARRED:
        return eval_error(ctx, e->loc, "can't use starred expression here");
    case E_ATTR: {
        value *obj = eval_expr(ctx, e->u.attr.object);
        return eval_getattr(ctx, obj, e->u.attr.name, e->loc, e->u.attr.name_loc);
    }
    case E_SUBSCRIPT:
        return subscript(ctx, e);
    case E_SLICE:
        return eval_error(ctx, e->loc, "a slice is only allowed inside [ ]");
    case E_CALL: {
        value *callee = eval_expr(ctx, e->u.call.func);
        call_args args;
        bool ok = eval_args(ctx, &e->u.call.args, &args);
        if (callee->kind == V_ERROR || !ok)
            return v_error(a);
        value *result = eval_call(ctx, callee, &args, e->loc);
        /* an object this very call made (it carries the call's location):
         * keep its arguments for the rules checked later (obj_arg_loc) */
        if (result->kind == V_OBJECT && !result->u.obj->made_by && result->loc.file == e->loc.file &&
            result->loc.first_line == e->loc.first_line && result->loc.first_col == e->loc.first_col &&
            !obj_set_made_by(a, result, &args))
            return eval_oom(ctx, e->loc);
        return result;
    }
    case E_BINOP: {
        value *l = eval_expr(ctx, e->u.binop.left);
        value *r = eval_expr(ctx, e->u.binop.right);
        return binop(ctx, e->u.binop.op, l, r, e->loc);
    }
    case E_UNARY: {
        value *v = eval_expr(ctx, e->u.unary.operand);
        if (v->kind == V_ERROR)
            return v;
        if (e->u.unary.op == OP_NOT)
            return OK_OR_OOM(ctx, v_bool(a, !value_truthy(v), e->loc), e->loc);
        if (!is_num(v))
            return eval_error(ctx, e->loc, "bad operand type for unary %s: '%s'", op_symbol(e->u.unary.op),
                              value_type_name(v));
        if (e->u.unary.op == OP_POS)
            return is_int(v) ? OK_OR_OOM(ctx, v_int(a, int_of(v), e->loc), e->loc) : v;
        if (v->kind == V_FLOAT)
            return OK_OR_OOM(ctx, v_float(a, -v->u.f, e->loc), e->loc);
        if (int_of(v) == INT64_MIN)
            return eval_error(ctx, e->loc, "integer overflow: the result does not fit in 64 bits");
        return OK_OR_OOM(ctx, v_int(a, -int_of(v), e->loc), e->loc);
    }
    case E_BOOLOP: {
        value *l = eval_expr(ctx, e->u.binop.left);
        if (l->kind == V_ERROR)
            return l;
        bool t = value_truthy(l);
        if ((e->u.binop.op == OP_AND && !t) || (e->u.binop.op == OP_OR && t))
            return l;
        return eval_expr(ctx, e->u.binop.right);
    }
    case E_COMPARE:
        return compare(ctx, e);
    case E_IFEXP: {
        value *t = eval_expr(ctx, e->u.ifexp.test);
        if (t->kind == V_ERROR)
            return t;
        return eval_expr(ctx, value_truthy(t) ? e->u.ifexp.body : e->u.ifexp.orelse);
    }
    case E_LISTCOMP:
    case E_DICTCOMP:
        return comprehension(ctx, e);
    case E_LAMBDA:
        return make_function(ctx, "<lambda>", &e->u.lambda.params, NULL, e->u.lambda.body, e->loc);
    }
    return eval_error(ctx, e->loc, "unknown expression");
}

/* ---- statements ---- */

static bool is_docstring(const stmt *s)
{
    return s->kind == S_EXPR && (s->u.expr_stmt.value->kind == E_STR || s->u.expr_stmt.value->kind == E_FSTRING);
}

static bool import_stmt(eval_ctx *ctx, stmt *s)
{
    for (size_t i = 0; i < s->u.import.names.len; i++) {
        import_name *in = s->u.import.names.items[i];
        module *m = ctx->import(ctx, in->name, in->loc);
        if (!m) {
            value *poison = v_error(ctx->arena);
            const char *bind = in->asname ? in->asname : in->name;
            char first[256];
            if (!in->asname) {
                size_t n = strcspn(bind, ".");
                snprintf(first, sizeof first, "%.*s", (int)n, bind);
                bind = first;
            }
            if (!poison || !bind_name(ctx, bind, poison, in->loc))
                return false;
            continue;
        }
        if (in->asname) {
            value *v = v_module(ctx->arena, m, in->loc);
            if (!v || !bind_name(ctx, in->asname, v, in->loc))
                return false;
            continue;
        }
        /* `import a.b.c` binds the top package `a`; a.b.c hangs off it */
        char top[256];
        size_t n = strcspn(in->name, ".");
        snprintf(top, sizeof top, "%.*s", (int)n, in->name);
        module *tm = in->name[n] ? ctx->import(ctx, top, in->loc) : m;
        if (!tm)
            continue;
        value *v = v_module(ctx->arena, tm, in->loc);
        if (!v || !bind_name(ctx, top, v, in->loc))
            return false;
    }
    return true;
}

static bool from_import_stmt(eval_ctx *ctx, stmt *s)
{
    const char *name = s->u.from_import.module;
    if (s->u.from_import.level > 0) {
        /* relative to the current module's package */
        char pkg[512];
        snprintf(pkg, sizeof pkg, "%s", ctx->module->name);
        /* in a package's __init__.py the module is the package: one dot means itself */
        const char *path = ctx->module->file ? ctx->module->file->path : "";
        size_t plen = strlen(path);
        bool is_package = plen >= 11 && strcmp(path + plen - 11, "__init__.py") == 0;
        for (int up = is_package ? 1 : 0; up < s->u.from_import.level; up++) {
            char *dot = strrchr(pkg, '.');
            if (!dot) {
                eval_error(ctx, s->loc, "attempted relative import beyond the repo's top-level package");
                return true;
            }
            *dot = '\0';
        }
        name = name ? arena_sprintf(ctx->arena, "%s.%s", pkg, name) : arena_strndup(ctx->arena, pkg, strlen(pkg));
        if (!name)
            return false;
    }
    module *m = ctx->import(ctx, name, s->u.from_import.module_loc);
    if (s->u.from_import.star) {
        if (!m)
            return true;
        for (size_t i = 0; i < m->attrs->len; i++) {
            const char *k = m->attrs->keys[i]->u.str.data;
            if (k[0] == '_')
                continue;
            if (!bind_name(ctx, k, m->attrs->values[i], s->loc))
                return false;
        }
        return true;
    }
    for (size_t i = 0; i < s->u.from_import.names.len; i++) {
        import_name *in = s->u.from_import.names.items[i];
        const char *bind = in->asname ? in->asname : in->name;
        value *v = NULL;
        bool reported = false;
        if (m) {
            v = dict_get_str(m->attrs, in->name);
            if (!v && ctx->submodule_exists) {
                /* `from group_bys.team import purchases`: a submodule (an
                 * import that fails is reported by ctx->import) */
                char *full = arena_sprintf(ctx->arena, "%s.%s", m->name, in->name);
                reported = full && ctx->submodule_exists(ctx, full);
                module *sub = reported ? ctx->import(ctx, full, in->loc) : NULL;
                if (sub) {
                    /* the package's attribute lives as long as the package */
                    arena *keep = ctx->keep ? ctx->keep : ctx->arena;
                    v = v_module(keep, sub, in->loc);
                    if (!v || !dict_set_str(keep, m->attrs, in->name, v, in->loc))
                        return false;
                }
            }
            if (!v && !reported && !m->failed && m->loading) {
                /* Python's ImportError from a partly run module, naming the cycle */
                const char *chain = ctx->import_cycle ? ctx->import_cycle(ctx, m) : NULL;
                if (chain)
                    eval_error(ctx, in->loc, "cannot import name '%s' from partially initialized module '%s' (import cycle: %s)",
                               in->name, m->name, chain);
                else
                    eval_error(ctx, in->loc,
                               "cannot import name '%s' from partially initialized module '%s' (most likely due to a circular import)",
                               in->name, m->name);
            } else if (!v && !reported && !m->failed) {
                const char *cands[512];
                size_t n = 0;
                for (size_t k = 0; k < m->attrs->len && n < 512; k++)
                    cands[n++] = m->attrs->keys[k]->u.str.data;
                eval_error(ctx, in->loc, "cannot import name '%s' from '%s'", in->name, m->name);
                const char *hint = closest_name(in->name, cands, n);
                if (hint)
                    diag_note(ctx->diags, in->loc, "did you mean '%s'?", hint);
            }
        }
        if (!v)
            v = v_error(ctx->arena);
        if (!v || !bind_name(ctx, bind, v, in->loc))
            return false;
    }
    return true;
}

static bool exec_stmt(eval_ctx *ctx, stmt *s)
{
    switch (s->kind) {
    case S_IMPORT:
        return import_stmt(ctx, s);
    case S_FROM_IMPORT:
        return from_import_stmt(ctx, s);
    case S_ASSIGN: {
        value *v = eval_expr(ctx, s->u.assign.value);
        for (size_t i = 0; i < s->u.assign.targets.len; i++)
            if (!assign(ctx, s->u.assign.targets.items[i], v))
                return false;
        return true;
    }
    case S_AUG_ASSIGN: {
        value *cur = eval_expr(ctx, s->u.aug_assign.target);
        value *rhs = eval_expr(ctx, s->u.aug_assign.value);
        if (s->u.aug_assign.op == OP_ADD && cur->kind == V_LIST && (rhs->kind == V_LIST || rhs->kind == V_TUPLE)) {
            /* list += extends the list in place: every name bound to it sees the new items */
            size_t n = rhs->u.list.len;
            for (size_t i = 0; i < n; i++)
                if (!v_list_push(ctx->arena, cur, rhs->u.list.items[i]))
                    return false;
            return true;
        }
        return assign(ctx, s->u.aug_assign.target, binop(ctx, s->u.aug_assign.op, cur, rhs, s->loc));
    }
    case S_EXPR:
        if (!is_docstring(s))
            eval_expr(ctx, s->u.expr_stmt.value);
        return true;
    case S_DEF: {
        if (s->u.def.decorators.len) {
            expr *d = s->u.def.decorators.items[0];
            eval_error(ctx, d->loc, "decorators are not supported in definition files");
        }
        value *fn = make_function(ctx, s->u.def.name, &s->u.def.params, &s->u.def.body, NULL, s->u.def.name_loc);
        return bind_name(ctx, s->u.def.name, fn, s->u.def.name_loc);
    }
    case S_RETURN:
        if (!ctx->locals) {
            eval_error(ctx, s->loc, "'return' outside function");
            return true;
        }
        ctx->return_value = s->u.ret.value ? eval_expr(ctx, s->u.ret.value) : v_none(ctx->arena, s->loc);
        ctx->returning = true;
        return ctx->return_value != NULL;
    case S_PASS:
        return true;
    case S_IF: {
        value *t = eval_expr(ctx, s->u.if_stmt.test);
        if (t->kind == V_ERROR)
            return true;
        return exec_body(ctx, value_truthy(t) ? &s->u.if_stmt.body : &s->u.if_stmt.orelse);
    }
    }
    return true;
}

static bool exec_body(eval_ctx *ctx, node_list *body)
{
    for (size_t i = 0; i < body->len && !ctx->returning; i++)
        if (!exec_stmt(ctx, body->items[i]))
            return false;
    return true;
}

bool eval_module(eval_ctx *ctx, module *m, const module_ast *ast, size_t *next, bool stop_at_error)
{
    module *saved_module = ctx->module;
    env *saved_locals = ctx->locals;
    ctx->module = m;
    ctx->locals = NULL;
    bool ok = true;
    size_t errors = ctx->diags->error_reports;
    while (ok && *next < ast->body.len) {
        ok = exec_stmt(ctx, ast->body.items[(*next)++]);
        if (stop_at_error && ctx->diags->error_reports > errors)
            break;
    }
    ctx->module = saved_module;
    ctx->locals = saved_locals;
    return ok && !ctx->diags->out_of_memory;
}
