/* ai.chronon.external_api (docs/internals/python-api.md §10):
 * get_join_output_columns(join), the final output feature columns of a Join
 * as repo/validator.py computes them: every join part's GroupBy features
 * (after the GroupBy's derivations) prefixed with the part's prefix and the
 * GroupBy's name, then the external parts' value fields, then the Join's own
 * derivations. Key columns are computed (for the errors Python would raise)
 * and dropped, as upstream does. */
#include <string.h>

#include "api_deps.h"
#include "api_tables.h"
#include "chronon_api.h"
#include "repo.h"

#define IS_ERR(v) ((v)->kind == V_ERROR)

static value *err(eval_ctx *ctx) { return v_error(ctx->arena); }

static value *new_list(eval_ctx *ctx, src_loc loc)
{
    value *l = v_list(ctx->arena, V_LIST, 0, loc);
    return l ? l : eval_oom(ctx, loc);
}

static bool push(eval_ctx *ctx, value *l, value *x, src_loc loc)
{
    if (v_list_push(ctx->arena, l, x))
        return true;
    eval_oom(ctx, loc);
    return false;
}

/* list(source.<kind>.query.selects.keys()), or None when no kind is set */
static value *source_keys(eval_ctx *ctx, value *source, src_loc loc)
{
    static const char *const kinds[] = {"events", "entities", "joinSource"};
    for (size_t i = 0; i < 3; i++) {
        value *s = api_attr(ctx, source, kinds[i], loc);
        if (IS_ERR(s))
            return s;
        if (!value_truthy(s))
            continue;
        value *q = api_attr(ctx, s, "query", loc);
        value *sel = IS_ERR(q) ? q : api_attr(ctx, q, "selects", loc);
        if (IS_ERR(sel))
            return sel;
        if (sel->kind != V_DICT)
            return eval_error(ctx, loc, "'%s' object has no attribute 'keys'", value_type_name(sel));
        value *l = new_list(ctx, loc);
        for (size_t k = 0; !IS_ERR(l) && k < sel->u.dict->len; k++)
            if (!push(ctx, l, sel->u.dict->keys[k], loc))
                return err(ctx);
        return l;
    }
    value *n = v_none(ctx->arena, loc);
    return n ? n : eval_oom(ctx, loc);
}

static bool extend(eval_ctx *ctx, value *out, value *more, src_loc loc)
{
    value **items;
    size_t n;
    if (IS_ERR(more) || !api_iter(ctx, more, loc, &items, &n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!push(ctx, out, items[i], loc))
            return false;
    return true;
}

/* validator.build_derived_columns */
static value *derived_columns(eval_ctx *ctx, value *cols, value *derivations, src_loc loc)
{
    if (!value_truthy(derivations))
        return cols;
    value **ds;
    size_t nd;
    if (!api_iter(ctx, derivations, loc, &ds, &nd))
        return err(ctx);
    value **exprs = arena_alloc(ctx->arena, (nd ? nd : 1) * sizeof *exprs);
    value **names = arena_alloc(ctx->arena, (nd ? nd : 1) * sizeof *names);
    if (!exprs || !names)
        return eval_oom(ctx, loc);
    bool wildcard = false;
    for (size_t i = 0; i < nd; i++) {
        exprs[i] = api_attr(ctx, ds[i], "expression", loc);
        if (IS_ERR(exprs[i]))
            return exprs[i];
        if (exprs[i]->kind == V_STR && strcmp(exprs[i]->u.str.data, "*") == 0 && exprs[i]->u.str.len == 1)
            wildcard = true;
    }
    for (size_t i = 0; i < nd; i++)
        if (!value_hashable(exprs[i]))
            return eval_error(ctx, loc, "unhashable type: '%s'", value_type_name(exprs[i]));
    value *out = new_list(ctx, loc);
    if (IS_ERR(out))
        return out;
    value *wild = new_list(ctx, loc);
    if (IS_ERR(wild))
        return wild;
    if (wildcard) {
        value **cs;
        size_t nc;
        if (!api_iter(ctx, cols, loc, &cs, &nc))
            return err(ctx);
        for (size_t c = 0; c < nc; c++) {
            bool used = false;
            for (size_t i = 0; i < nd && !used; i++)
                used = value_equal(cs[c], exprs[i]);
            if (!used && !push(ctx, wild, cs[c], loc))
                return err(ctx);
        }
    }
    for (size_t i = 0; i < nd; i++) {
        names[i] = api_attr(ctx, ds[i], "name", loc);
        if (IS_ERR(names[i]))
            return names[i];
        if (names[i]->kind == V_STR && strcmp(names[i]->u.str.data, "*") == 0 && names[i]->u.str.len == 1) {
            if (!extend(ctx, out, wild, loc))
                return err(ctx);
        } else if (!push(ctx, out, names[i], loc)) {
            return err(ctx);
        }
    }
    return out;
}

/* a + b + ... for str values; TypeError as Python's + when one is not a str */
static value *concat(eval_ctx *ctx, value **parts, size_t n, src_loc loc)
{
    tj_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (parts[i]->kind != V_STR) {
            tj_buf_free(&b);
            return eval_error(ctx, loc, "can only concatenate str (not \"%s\") to str", value_type_name(parts[i]));
        }
        tj_buf_put(&b, parts[i]->u.str.data, parts[i]->u.str.len);
    }
    value *v = b.failed ? NULL : v_str(ctx->arena, b.data ? b.data : "", b.len, loc);
    tj_buf_free(&b);
    return v ? v : eval_oom(ctx, loc);
}

static value *cstr(eval_ctx *ctx, const char *s, src_loc loc)
{
    value *v = v_cstr(ctx->arena, s, loc);
    return v ? v : eval_oom(ctx, loc);
}

/* validator.get_join_key_columns, for its errors only */
static bool key_columns(eval_ctx *ctx, value *join, value **parts, size_t nparts, src_loc loc)
{
    size_t nkeys = 0;
    for (size_t i = 0; i < nparts; i++) {
        value *gb = api_attr(ctx, parts[i], "groupBy", loc);
        value *keys = IS_ERR(gb) ? gb : api_attr(ctx, gb, "keyColumns", loc);
        value *km = IS_ERR(keys) ? keys : api_attr(ctx, parts[i], "keyMapping", loc);
        if (IS_ERR(km))
            return false;
        value **ks;
        size_t nk;
        if (!api_iter(ctx, keys, loc, &ks, &nk))
            return false;
        if (km->kind != V_NONE && km->kind != V_DICT) {
            eval_error(ctx, loc, "'%s' object has no attribute 'items'", value_type_name(km));
            return false;
        }
        if (km->kind == V_DICT)
            for (size_t k = 0; k < km->u.dict->len; k++)
                if (!value_hashable(km->u.dict->values[k])) {
                    eval_error(ctx, loc, "unhashable type: '%s'", value_type_name(km->u.dict->values[k]));
                    return false;
                }
        for (size_t k = 0; k < nk; k++)
            if (!value_hashable(ks[k])) {
                eval_error(ctx, loc, "unhashable type: '%s'", value_type_name(ks[k]));
                return false;
            }
        nkeys += nk;
    }
    value *left = api_attr(ctx, join, "left", loc);
    value *left_cols = IS_ERR(left) ? left : source_keys(ctx, left, loc);
    if (IS_ERR(left_cols))
        return false;
    if (nkeys && left_cols->kind == V_NONE) {
        eval_error(ctx, loc, "argument of type 'NoneType' is not iterable");
        return false;
    }
    return true;
}

static value *join_output_columns(eval_ctx *ctx, value *join, src_loc loc)
{
    value *jps = api_attr(ctx, join, "joinParts", loc);
    if (IS_ERR(jps))
        return jps;
    value **parts;
    size_t nparts;
    if (!api_iter(ctx, jps, loc, &parts, &nparts) || !key_columns(ctx, join, parts, nparts, loc))
        return err(ctx);
    value *left = api_attr(ctx, join, "left", loc);
    if (IS_ERR(left) || IS_ERR(source_keys(ctx, left, loc)))
        return err(ctx);
    value *out = new_list(ctx, loc);
    value *underscore = cstr(ctx, "_", loc), *empty = cstr(ctx, "", loc);
    if (IS_ERR(out) || IS_ERR(underscore) || IS_ERR(empty))
        return err(ctx);

    /* internal columns */
    for (size_t i = 0; i < nparts; i++) {
        value *gb = api_attr(ctx, parts[i], "groupBy", loc);
        value *aggs = IS_ERR(gb) ? gb : api_attr(ctx, gb, "aggregations", loc);
        if (IS_ERR(aggs))
            return aggs;
        value *features = new_list(ctx, loc);
        if (IS_ERR(features))
            return features;
        if (value_truthy(aggs)) {
            value **as;
            size_t na;
            if (!api_iter(ctx, aggs, loc, &as, &na))
                return err(ctx);
            for (size_t k = 0; k < na; k++)
                if (!extend(ctx, features, group_by_output_col_names(ctx, as[k], loc), loc))
                    return err(ctx);
        } else {
            value *sources = api_attr(ctx, gb, "sources", loc);
            value **ss;
            size_t ns;
            if (IS_ERR(sources) || !api_iter(ctx, sources, loc, &ss, &ns))
                return err(ctx);
            for (size_t k = 0; k < ns; k++)
                if (!extend(ctx, features, source_keys(ctx, ss[k], loc), loc))
                    return err(ctx);
        }
        value *derivs = api_attr(ctx, gb, "derivations", loc);
        value *derived = IS_ERR(derivs) ? derivs : derived_columns(ctx, features, derivs, loc);
        if (IS_ERR(derived))
            return derived;
        value *prefix = api_attr(ctx, parts[i], "prefix", loc);
        value *md = IS_ERR(prefix) ? prefix : api_attr(ctx, gb, "metaData", loc);
        value *name = IS_ERR(md) ? md : api_attr(ctx, md, "name", loc);
        if (IS_ERR(name))
            return name;
        value **cols;
        size_t nc;
        if (!api_iter(ctx, derived, loc, &cols, &nc))
            return err(ctx);
        for (size_t c = 0; c < nc; c++) {
            value *pre = empty;
            if (value_truthy(prefix)) {
                value *pp[] = {prefix, underscore};
                pre = concat(ctx, pp, 2, loc);
                if (IS_ERR(pre))
                    return pre;
            }
            if (name->kind != V_STR)
                return eval_error(ctx, loc, "'%s' object has no attribute 'replace'", value_type_name(name));
            char *gbp = arena_strndup(ctx->arena, name->u.str.data, name->u.str.len);
            if (!gbp)
                return eval_oom(ctx, loc);
            for (char *p = gbp; *p; p++)
                if (*p == '.')
                    *p = '_';
            value *gbv = cstr(ctx, gbp, loc);
            if (IS_ERR(gbv))
                return gbv;
            value *pieces[] = {pre, gbv, underscore, cols[c]};
            value *col = concat(ctx, pieces, 4, loc);
            if (IS_ERR(col) || !push(ctx, out, col, loc))
                return err(ctx);
        }
    }

    /* external columns */
    value *ext = api_attr(ctx, join, "onlineExternalParts", loc);
    if (IS_ERR(ext))
        return ext;
    if (value_truthy(ext)) {
        value **eps;
        size_t ne;
        if (!api_iter(ctx, ext, loc, &eps, &ne))
            return err(ctx);
        for (size_t i = 0; i < ne; i++) {
            value *src = api_attr(ctx, eps[i], "source", loc);
            value *schema = IS_ERR(src) ? src : api_attr(ctx, src, "valueSchema", loc);
            value *params = IS_ERR(schema) ? schema : api_attr(ctx, schema, "params", loc);
            value **ps;
            size_t np;
            if (IS_ERR(params) || !api_iter(ctx, params, loc, &ps, &np))
                return err(ctx);
            value **fields = arena_alloc(ctx->arena, (np ? np : 1) * sizeof *fields);
            if (!fields)
                return eval_oom(ctx, loc);
            for (size_t k = 0; k < np; k++) {
                fields[k] = api_attr(ctx, ps[k], "name", loc);
                if (IS_ERR(fields[k]))
                    return fields[k];
            }
            value *prefix = api_attr(ctx, eps[i], "prefix", loc);
            value *md = IS_ERR(prefix) ? prefix : api_attr(ctx, src, "metadata", loc);
            value *name = IS_ERR(md) ? md : api_attr(ctx, md, "name", loc);
            if (IS_ERR(name))
                return name;
            value *ext_ = cstr(ctx, "ext_", loc);
            value *pre = empty;
            if (IS_ERR(ext_))
                return ext_;
            if (value_truthy(prefix)) {
                value *pp[] = {prefix, underscore};
                pre = concat(ctx, pp, 2, loc);
                if (IS_ERR(pre))
                    return pre;
            }
            if (name->kind != V_STR)
                return eval_error(ctx, loc, "expected string or bytes-like object, got '%s'", value_type_name(name));
            const char *clean = api_sanitize(ctx, name->u.str.data, name->u.str.len);
            value *cv = clean ? cstr(ctx, clean, loc) : eval_oom(ctx, loc);
            if (IS_ERR(cv))
                return cv;
            value *pieces[] = {ext_, pre, cv, underscore};
            value *full = concat(ctx, pieces, 4, loc);
            if (IS_ERR(full))
                return full;
            for (size_t k = 0; k < np; k++) {
                value *two[] = {full, fields[k]};
                value *col = concat(ctx, two, 2, loc);
                if (IS_ERR(col) || !push(ctx, out, col, loc))
                    return err(ctx);
            }
        }
    }

    value *derivs = api_attr(ctx, join, "derivations", loc);
    if (IS_ERR(derivs))
        return derivs;
    return derived_columns(ctx, out, derivs, loc);
}

static value *ea_get_join_output_columns(eval_ctx *ctx, const builtin *def, value *self, call_args *args,
                                         src_loc loc)
{
    (void)def;
    (void)self;
    static const param_spec params[] = {{"join", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "get_join_output_columns", params, 1, args, loc, a))
        return err(ctx);
    return join_output_columns(ctx, a[0], loc);
}

static const builtin external_api_builtins[] = {
    {"get_join_output_columns", ea_get_join_output_columns, NULL},
};

bool api_external_api_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    if (!api_def(ctx, m, &external_api_builtins[0]))
        return false;
    module *tt = api_module(ctx, "ai.chronon.api.ttypes");
    value *ttv = tt ? v_module(ctx->arena, tt, none) : NULL;
    return ttv && dict_set_str(ctx->arena, m->attrs, "api", ttv, none);
}
