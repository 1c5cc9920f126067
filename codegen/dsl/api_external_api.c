/* ai.chronon.external_api (docs/internals/python-api.md §10):
 * get_join_output_columns(join), the final output feature columns of a Join
 * as repo/validator.py computes them: every join part's GroupBy features
 * (after the GroupBy's derivations) prefixed with the part's prefix and the
 * GroupBy's name, then the external parts' value fields, then the Join's own
 * derivations. Key columns are computed (for the errors Python would raise)
 * and dropped, as upstream does. */
#include "api_deps.h"
#include "api_shared.h"
#include "api_tables.h"

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
        return api_keys_list(ctx, sel->u.dict, loc);
    }
    return api_none(ctx, loc);
}

/* validator.build_derived_columns */
static value *derived_columns(eval_ctx *ctx, value *cols, value *derivations, src_loc loc)
{
    if (!value_truthy(derivations))
        return cols;
    value **ds;
    size_t nd;
    if (!api_iter(ctx, derivations, loc, &ds, &nd))
        return api_err(ctx);
    value **exprs = arena_alloc(ctx->arena, (nd ? nd : 1) * sizeof *exprs);
    value **names = arena_alloc(ctx->arena, (nd ? nd : 1) * sizeof *names);
    if (!exprs || !names)
        return eval_oom(ctx, loc);
    bool wildcard = false;
    for (size_t i = 0; i < nd; i++) {
        exprs[i] = api_attr(ctx, ds[i], "expression", loc);
        if (IS_ERR(exprs[i]))
            return exprs[i];
        if (api_eq_str(exprs[i], "*"))
            wildcard = true;
    }
    for (size_t i = 0; i < nd; i++)
        if (!value_hashable(exprs[i]))
            return eval_error(ctx, loc, "unhashable type: '%s'", value_type_name(exprs[i]));
    value *out = api_list(ctx, 0, loc);
    if (IS_ERR(out))
        return out;
    value *wild = api_list(ctx, 0, loc);
    if (IS_ERR(wild))
        return wild;
    if (wildcard) {
        value **cs;
        size_t nc;
        if (!api_iter(ctx, cols, loc, &cs, &nc))
            return api_err(ctx);
        for (size_t c = 0; c < nc; c++) {
            bool used = false;
            for (size_t i = 0; i < nd && !used; i++)
                used = value_equal(cs[c], exprs[i]);
            if (!used && !api_push(ctx, wild, cs[c], loc))
                return api_err(ctx);
        }
    }
    for (size_t i = 0; i < nd; i++) {
        names[i] = api_attr(ctx, ds[i], "name", loc);
        if (IS_ERR(names[i]))
            return names[i];
        if (api_eq_str(names[i], "*")) {
            if (!api_extend(ctx, out, wild, loc))
                return api_err(ctx);
        } else if (!api_push(ctx, out, names[i], loc)) {
            return api_err(ctx);
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
    return api_buf_str(ctx, &b, loc);
}

/* prefix + "_" for a truthy prefix, else "" */
static value *prefix_part(eval_ctx *ctx, value *prefix, value *underscore, value *empty, src_loc loc)
{
    if (!value_truthy(prefix))
        return empty;
    value *pp[] = {prefix, underscore};
    return concat(ctx, pp, 2, loc);
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
        return api_err(ctx);
    value *left = api_attr(ctx, join, "left", loc);
    if (IS_ERR(left) || IS_ERR(source_keys(ctx, left, loc)))
        return api_err(ctx);
    value *out = api_list(ctx, 0, loc);
    value *underscore = api_str(ctx, "_", loc), *empty = api_str(ctx, "", loc);
    if (IS_ERR(out) || IS_ERR(underscore) || IS_ERR(empty))
        return api_err(ctx);

    /* internal columns */
    for (size_t i = 0; i < nparts; i++) {
        value *gb = api_attr(ctx, parts[i], "groupBy", loc);
        value *aggs = IS_ERR(gb) ? gb : api_attr(ctx, gb, "aggregations", loc);
        if (IS_ERR(aggs))
            return aggs;
        value *features = api_list(ctx, 0, loc);
        if (IS_ERR(features))
            return features;
        if (value_truthy(aggs)) {
            value **as;
            size_t na;
            if (!api_iter(ctx, aggs, loc, &as, &na))
                return api_err(ctx);
            for (size_t k = 0; k < na; k++)
                if (!api_extend(ctx, features, group_by_output_col_names(ctx, as[k], loc), loc))
                    return api_err(ctx);
        } else {
            value *sources = api_attr(ctx, gb, "sources", loc);
            value **ss;
            size_t ns;
            if (IS_ERR(sources) || !api_iter(ctx, sources, loc, &ss, &ns))
                return api_err(ctx);
            for (size_t k = 0; k < ns; k++)
                if (!api_extend(ctx, features, source_keys(ctx, ss[k], loc), loc))
                    return api_err(ctx);
        }
        value *derivs = api_attr(ctx, gb, "derivations", loc);
        value *derived = IS_ERR(derivs) ? derivs : derived_columns(ctx, features, derivs, loc);
        if (IS_ERR(derived))
            return derived;
        value *prefix = api_attr(ctx, parts[i], "prefix", loc);
        value *name = IS_ERR(prefix) ? prefix : api_metadata_attr(ctx, gb, "name", loc);
        if (IS_ERR(name))
            return name;
        value **cols;
        size_t nc;
        if (!api_iter(ctx, derived, loc, &cols, &nc))
            return api_err(ctx);
        for (size_t c = 0; c < nc; c++) {
            value *pre = prefix_part(ctx, prefix, underscore, empty, loc);
            if (IS_ERR(pre))
                return pre;
            if (name->kind != V_STR)
                return eval_error(ctx, loc, "'%s' object has no attribute 'replace'", value_type_name(name));
            char *gbp = arena_strndup(ctx->arena, name->u.str.data, name->u.str.len);
            if (!gbp)
                return eval_oom(ctx, loc);
            for (char *p = gbp; *p; p++)
                if (*p == '.')
                    *p = '_';
            value *gbv = api_str(ctx, gbp, loc);
            if (IS_ERR(gbv))
                return gbv;
            value *pieces[] = {pre, gbv, underscore, cols[c]};
            value *col = concat(ctx, pieces, 4, loc);
            if (IS_ERR(col) || !api_push(ctx, out, col, loc))
                return api_err(ctx);
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
            return api_err(ctx);
        for (size_t i = 0; i < ne; i++) {
            value *src = api_attr(ctx, eps[i], "source", loc);
            value *schema = IS_ERR(src) ? src : api_attr(ctx, src, "valueSchema", loc);
            value *params = IS_ERR(schema) ? schema : api_attr(ctx, schema, "params", loc);
            value **ps;
            size_t np;
            if (IS_ERR(params) || !api_iter(ctx, params, loc, &ps, &np))
                return api_err(ctx);
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
            value *ext_ = api_str(ctx, "ext_", loc);
            if (IS_ERR(ext_))
                return ext_;
            value *pre = prefix_part(ctx, prefix, underscore, empty, loc);
            if (IS_ERR(pre))
                return pre;
            if (name->kind != V_STR)
                return eval_error(ctx, loc, "expected string or bytes-like object, got '%s'", value_type_name(name));
            const char *clean = api_sanitize(ctx, name->u.str.data, name->u.str.len);
            value *cv = clean ? api_str(ctx, clean, loc) : eval_oom(ctx, loc);
            if (IS_ERR(cv))
                return cv;
            value *pieces[] = {ext_, pre, cv, underscore};
            value *full = concat(ctx, pieces, 4, loc);
            if (IS_ERR(full))
                return full;
            for (size_t k = 0; k < np; k++) {
                value *two[] = {full, fields[k]};
                value *col = concat(ctx, two, 2, loc);
                if (IS_ERR(col) || !api_push(ctx, out, col, loc))
                    return api_err(ctx);
            }
        }
    }

    value *derivs = api_attr(ctx, join, "derivations", loc);
    if (IS_ERR(derivs))
        return derivs;
    return derived_columns(ctx, out, derivs, loc);
}

static const builtin external_api_builtins[] = {
    API_UNARY("get_join_output_columns", "join", join_output_columns),
};

bool api_external_api_init(eval_ctx *ctx, module *m)
{
    return api_def_all(ctx, m, external_api_builtins, NPARAMS(external_api_builtins)) &&
           api_export_module(ctx, m, "api", "ai.chronon.api.ttypes");
}
