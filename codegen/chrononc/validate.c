/* compile.py's validator (ChrononRepoValidator): the rules a config must
 * pass before it is written, against the object itself and against the
 * configs materialized under the output root. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_deps.h"
#include "chronon_api.h"
#include "compile_run.h"

/* Where the "Could not write" diagnostic points: the value behind the first
 * reason (the bad date, the derivation's expression, online=False), as each
 * reason is added; fallback (the object) when the value has no location.
 * The first reason wins. */
static void reason_at(src_loc *at, const value *v, src_loc fallback)
{
    if (!at->file)
        *at = v && v->loc.file ? v->loc : fallback;
}

/* compile.py's GroupBy rules against materialized Joins. A GroupBy used by a
 * production Join becomes production itself (unless explicitly not). */
static bool validate_against_old(run *r, value *gb, tj_buf *errors, src_loc *at)
{
    const char *name = md_str(gb, "name");
    value *md = md_of(gb);
    if (!name || !md)
        return true;
    value *online = obj_get(md, "online"), *production = obj_get(md, "production");
    tj_buf online_joins = {0}, production_joins = {0};
    const conf_record **users;
    size_t n = materialized_users(&r->out, CONF_JOIN, name, &users);
    for (size_t i = 0; i < n; i++) {
        if (users[i]->online) {
            tj_buf_puts(&online_joins, online_joins.len ? ", " : "");
            tj_buf_puts(&online_joins, users[i]->name);
        }
        if (users[i]->production) {
            tj_buf_puts(&production_joins, production_joins.len ? ", " : "");
            tj_buf_puts(&production_joins, users[i]->name);
        }
    }
    free(users);
    bool ok = true;
    if (online && online->kind == V_BOOL && !online->u.b && online_joins.len) {
        reason_at(at, online, gb->loc);
        tj_buf_printf(errors, "%sgroup_by %s is explicitly marked offline but included in the following online joins: %s",
                      errors->len ? ", " : "", name, online_joins.data);
        ok = false;
    }
    if (production_joins.len) {
        if (production && production->kind == V_BOOL && !production->u.b) {
            reason_at(at, production, gb->loc);
            tj_buf_printf(errors, "%sgroup_by %s is explicitly marked as non-production but included in the "
                                  "following production joins: %s",
                          errors->len ? ", " : "", name, production_joins.data);
            ok = false;
        } else {
            value *t = v_bool(&r->arena, true, gb->loc); /* kept: the config holds it */
            if (t)
                obj_set(md, "production", t);
        }
    }
    tj_buf_free(&online_joins);
    tj_buf_free(&production_joins);
    return ok;
}


/* ---- compile.py's validator rules on the objects themselves ---- */

static bool push_str(run *r, value *list, const char *s, src_loc loc)
{
    value *v = v_cstr(&r->scratch, s, loc);
    return v && v_list_push(&r->scratch, list, v);
}

static bool list_has(const value *list, const char *s)
{
    for (size_t i = 0; is_list(list) && i < list->u.list.len; i++) {
        const value *v = list->u.list.items[i];
        if (v->kind == V_STR && strcmp(v->u.str.data, s) == 0)
            return true;
    }
    return false;
}

/* A GroupBy's columns before its derivations: aggregation outputs, or with
 * no aggregations every selected column of every source. */
static value *pre_derived_features(run *r, value *gb)
{
    value *out = v_list(&r->scratch, V_LIST, 0, gb->loc);
    value *aggs = obj_get(gb, "aggregations");
    if (!out)
        return NULL;
    if (is_list(aggs) && aggs->u.list.len) {
        for (size_t i = 0; i < aggs->u.list.len; i++) {
            value *names = group_by_output_col_names(r->ctx, aggs->u.list.items[i], gb->loc);
            for (size_t k = 0; is_list(names) && k < names->u.list.len; k++)
                if (!v_list_push(&r->scratch, out, names->u.list.items[k]))
                    return NULL;
        }
        return out;
    }
    value *sources = obj_get(gb, "sources");
    for (size_t i = 0; is_list(sources) && i < sources->u.list.len; i++) {
        value *src = sources->u.list.items[i], *inner = NULL;
        if (!(inner = obj_get(src, "events")) && !(inner = obj_get(src, "entities")))
            inner = obj_get(src, "joinSource");
        value *q = inner ? obj_get(inner, "query") : NULL;
        value *sel = q ? obj_get(q, "selects") : NULL;
        for (size_t k = 0; sel && sel->kind == V_DICT && k < sel->u.dict->len; k++)
            if (!v_list_push(&r->scratch, out, sel->u.dict->keys[k]))
                return NULL;
    }
    return out;
}

/* build_derived_columns: derivation names, '*' expanding to the columns no
 * derivation consumes. */
static value *derived_columns(run *r, value *cols, value *derivations)
{
    if (!is_list(derivations) || !derivations->u.list.len)
        return cols;
    bool wildcard = false;
    for (size_t i = 0; i < derivations->u.list.len; i++) {
        value *e = obj_get(derivations->u.list.items[i], "expression");
        wildcard |= e && e->kind == V_STR && strcmp(e->u.str.data, "*") == 0;
    }
    value *out = v_list(&r->scratch, V_LIST, 0, cols->loc);
    for (size_t i = 0; out && i < derivations->u.list.len; i++) {
        value *d = derivations->u.list.items[i];
        value *name = obj_get(d, "name");
        if (name && name->kind == V_STR && strcmp(name->u.str.data, "*") == 0) {
            for (size_t c = 0; wildcard && c < cols->u.list.len; c++) {
                bool consumed = false;
                for (size_t k = 0; k < derivations->u.list.len && !consumed; k++) {
                    value *e = obj_get(derivations->u.list.items[k], "expression");
                    consumed = e && value_equal(e, cols->u.list.items[c]);
                }
                if (!consumed && !v_list_push(&r->scratch, out, cols->u.list.items[c]))
                    return NULL;
            }
        } else if (name && !v_list_push(&r->scratch, out, name)) {
            return NULL;
        }
    }
    return out;
}

static bool is_py_identifier(const char *s)
{
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return false;
    for (s++; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static void check_derivations(run *r, value *key_cols, value *cols, value *derivations, tj_buf *errors, src_loc *at)
{
    bool wildcard = false;
    for (size_t i = 0; i < derivations->u.list.len; i++) {
        value *e = obj_get(derivations->u.list.items[i], "expression");
        wildcard |= e && e->kind == V_STR && strcmp(e->u.str.data, "*") == 0;
    }
    value *seen = v_list(&r->scratch, V_LIST, 0, cols->loc);
    for (size_t i = 0; seen && wildcard && i < cols->u.list.len; i++)
        if (!list_has(seen, cols->u.list.items[i]->u.str.data))
            v_list_push(&r->scratch, seen, cols->u.list.items[i]);
    for (size_t i = 0; seen && i < derivations->u.list.len; i++) {
        value *d = derivations->u.list.items[i];
        value *e = obj_get(d, "expression"), *name = obj_get(d, "name");
        if (e && e->kind == V_STR && is_py_identifier(e->u.str.data)) {
            if (wildcard)
                for (size_t k = 0; k < seen->u.list.len; k++)
                    if (value_equal(seen->u.list.items[k], e)) {
                        memmove(&seen->u.list.items[k], &seen->u.list.items[k + 1],
                                (seen->u.list.len - k - 1) * sizeof(value *));
                        seen->u.list.len--;
                        break;
                    }
            if (!list_has(cols, e->u.str.data) && strcmp(e->u.str.data, "ds") && strcmp(e->u.str.data, "ts")) {
                reason_at(at, e, d->loc);
                tj_buf_printf(errors, "%sIncorrect derivation expression %s, expression not found in pre-derived columns ",
                              errors->len ? ", " : "", e->u.str.data);
                value_repr(errors, cols);
            }
        }
        if (name && name->kind == V_STR && strcmp(name->u.str.data, "*") != 0) {
            if (list_has(seen, name->u.str.data) && !list_has(key_cols, name->u.str.data)) {
                reason_at(at, name, d->loc);
                tj_buf_printf(errors, "%sIncorrect derivation name %s due to output column name conflict",
                              errors->len ? ", " : "", name->u.str.data);
            } else if (!list_has(seen, name->u.str.data))
                v_list_push(&r->scratch, seen, name);
        }
    }
}

static bool bad_date(const value *v)
{
    /* compile.py: must start with yyyy-mm-dd */
    if (!v || v->kind != V_STR || !v->u.str.len)
        return false;
    const char *s = v->u.str.data;
    if (v->u.str.len < 10)
        return true;
    for (int i = 0; i < 10; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if ((i == 4 || i == 7) ? s[i] != '-' : !digit)
            return true;
    }
    return false;
}

static void validate_group_by_rules(run *r, value *gb, tj_buf *errors, src_loc *at)
{
    const char *name = md_str(gb, "name");
    value *derivations = obj_get(gb, "derivations");
    if (is_list(derivations) && derivations->u.list.len) {
        value *keys = obj_get(gb, "keyColumns");
        value *cols = pre_derived_features(r, gb);
        for (size_t i = 0; cols && is_list(keys) && i < keys->u.list.len; i++)
            v_list_push(&r->scratch, cols, keys->u.list.items[i]);
        if (cols)
            check_derivations(r, keys, cols, derivations, errors, at);
    }
    value *md = md_of(gb);
    value *date = md ? obj_get(md, "deprecationDate") : NULL;
    if (bad_date(date)) {
        reason_at(at, date, gb->loc);
        tj_buf_printf(errors, "%sDeprecation date is not in the correct format for group_by %s",
                      errors->len ? ", " : "", name ? name : "None");
    }
    value *sources = obj_get(gb, "sources");
    for (size_t i = 0; is_list(sources) && i < sources->u.list.len; i++) {
        value *ev = obj_get(sources->u.list.items[i], "events");
        value *cum = ev ? obj_get(ev, "isCumulative") : NULL;
        value *q = ev ? obj_get(ev, "query") : NULL;
        if (cum && value_truthy(cum) && (!q || !obj_get(q, "timeColumn"))) {
            value *t = obj_get(ev, "table");
            reason_at(at, ev, gb->loc);
            tj_buf_printf(errors, "%sPlease set query.timeColumn for Cumulative Events Table: %s",
                          errors->len ? ", " : "", t && t->kind == V_STR ? t->u.str.data : "None");
        }
    }
}

static void validate_join_rules(run *r, value *join, const char *key, tj_buf *errors, src_loc *at, bool parts_ok)
{
    value *parts = obj_get(join, "joinParts");
    value *md = md_of(join);
    value *jprod = md ? obj_get(md, "production") : NULL, *jonline = md ? obj_get(md, "online") : NULL;
    tj_buf offline = {0}, nonprod = {0};
    for (size_t p = 0; is_list(parts) && p < parts->u.list.len; p++) {
        value *gb = obj_get(parts->u.list.items[p], "groupBy");
        value *gmd = gb ? md_of(gb) : NULL;
        const char *gname = gb ? md_str(gb, "name") : NULL;
        value *gonline = gmd ? obj_get(gmd, "online") : NULL;
        if (jonline && value_truthy(jonline) && (!gmd || (gonline && gonline->kind == V_BOOL && !gonline->u.b)))
            tj_buf_printf(&offline, "%s%s", offline.len ? ", " : "", gname ? gname : "None");
        value *gprod = gmd ? obj_get(gmd, "production") : NULL;
        /* the validator's old_group_bys: join parts with a materialized GroupBy */
        bool materialized = gname && materialized_find(&r->out, CONF_GROUP_BY, gname);
        if (jprod && value_truthy(jprod) && materialized && gprod && gprod->kind == V_BOOL && !gprod->u.b)
            tj_buf_printf(&nonprod, "%s%s", nonprod.len ? ", " : "", gname);
    }
    if (nonprod.len || offline.len)
        reason_at(at, NULL, join->loc);
    if (nonprod.len)
        tj_buf_printf(errors, "%sjoin %s is production but includes the following non production group_bys: %s",
                      errors->len ? ", " : "", key, nonprod.data);
    if (offline.len)
        tj_buf_printf(errors, "%sjoin %s is online but includes the following offline group_bys: %s",
                      errors->len ? ", " : "", key, offline.data);
    tj_buf_free(&offline);
    tj_buf_free(&nonprod);
    value *date = md ? obj_get(md, "deprecationDate") : NULL;
    if (bad_date(date)) {
        reason_at(at, date, join->loc);
        tj_buf_printf(errors, "%sDeprecation date is not in the correct format for join %s", errors->len ? ", " : "", key);
    }
    value *derivations = obj_get(join, "derivations");
    if (parts_ok && is_list(derivations) && derivations->u.list.len) {
        value *left = obj_get(join, "left"), *inner = NULL;
        if (left && !(inner = obj_get(left, "events")) && !(inner = obj_get(left, "entities")))
            inner = obj_get(left, "joinSource");
        value *q = inner ? obj_get(inner, "query") : NULL;
        value *sel = q ? obj_get(q, "selects") : NULL;
        value *left_cols = v_list(&r->scratch, V_LIST, 0, join->loc);
        value *cols = v_list(&r->scratch, V_LIST, 0, join->loc);
        if (!left_cols || !cols)
            return;
        for (size_t k = 0; sel && sel->kind == V_DICT && k < sel->u.dict->len; k++)
            v_list_push(&r->scratch, left_cols, sel->u.dict->keys[k]);
        for (size_t p = 0; is_list(parts) && p < parts->u.list.len; p++) {
            value *jp = parts->u.list.items[p];
            value *gb = obj_get(jp, "groupBy");
            value *feats = gb ? pre_derived_features(r, gb) : NULL;
            value *derived = feats ? derived_columns(r, feats, obj_get(gb, "derivations")) : NULL;
            value *prefix = obj_get(jp, "prefix");
            const char *gname = md_str(gb, "name");
            char *gprefix = arena_strndup(&r->scratch, gname ? gname : "None", strlen(gname ? gname : "None"));
            for (char *c = gprefix; c && *c; c++)
                if (*c == '.')
                    *c = '_';
            for (size_t c = 0; derived && gprefix && c < derived->u.list.len; c++) {
                char *col = arena_sprintf(&r->scratch, "%s%s%s_%s",
                                          prefix && value_truthy(prefix) ? prefix->u.str.data : "",
                                          prefix && value_truthy(prefix) ? "_" : "", gprefix,
                                          derived->u.list.items[c]->u.str.data);
                if (col)
                    push_str(r, cols, col, join->loc);
            }
        }
        value *ext = obj_get(join, "onlineExternalParts");
        for (size_t e = 0; is_list(ext) && e < ext->u.list.len; e++) {
            value *part = ext->u.list.items[e];
            value *src = obj_get(part, "source");
            value *prefix = obj_get(part, "prefix");
            value *smd = src ? obj_get(src, "metadata") : NULL;
            value *sname = smd ? obj_get(smd, "name") : NULL;
            value *schema = src ? obj_get(src, "valueSchema") : NULL;
            value *params = schema ? obj_get(schema, "params") : NULL;
            char *san = sname && sname->kind == V_STR ? sanitize_name(r, sname->u.str.data) : NULL;
            for (size_t k = 0; san && is_list(params) && k < params->u.list.len; k++) {
                value *pn = obj_get(params->u.list.items[k], "name");
                char *col = arena_sprintf(&r->scratch, "ext_%s%s%s_%s",
                                          prefix && value_truthy(prefix) ? prefix->u.str.data : "",
                                          prefix && value_truthy(prefix) ? "_" : "", san,
                                          pn && pn->kind == V_STR ? pn->u.str.data : "None");
                if (col)
                    push_str(r, cols, col, join->loc);
            }
        }
        for (size_t k = 0; k < left_cols->u.list.len; k++)
            v_list_push(&r->scratch, cols, left_cols->u.list.items[k]);
        check_derivations(r, left_cols, cols, derivations, errors, at);
    }
}

static void validate_staging_query_rules(run *r, value *sq, const char *key, tj_buf *errors, src_loc *at)
{
    (void)r;
    value *view = obj_get(sq, "createView"), *q = obj_get(sq, "query");
    if (!view || !value_truthy(view) || !q || q->kind != V_STR || !q->u.str.len)
        return;
    /* {{ start_date }} / {{ end_date }}, any spacing, any case */
    const char *names[2] = {"start_date", "end_date"};
    bool found[2] = {false, false};
    for (const char *p = q->u.str.data; *p; p++) {
        if (p[0] != '{' || p[1] != '{')
            continue;
        const char *s = p + 2;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
            s++;
        for (int i = 0; i < 2; i++) {
            size_t n = strlen(names[i]);
            if (strncasecmp(s, names[i], n) == 0) {
                const char *t = s + n;
                while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r' || *t == '\f' || *t == '\v')
                    t++;
                if (t[0] == '}' && t[1] == '}')
                    found[i] = true;
            }
        }
    }
    if (found[0] || found[1])
        reason_at(at, q, sq->loc);
    if (found[0] || found[1])
        tj_buf_printf(errors, "%sStagingQuery '%s' with createView=True cannot contain date templates: %s%s%s. Views should "
                              "contain all data and use partition pushdown for filtering.",
                      errors->len ? ", " : "", key, found[0] ? "start_date" : "", found[0] && found[1] ? ", " : "",
                      found[1] ? "end_date" : "");
}

/* Validate before writing; errors block the write (compile.py: "Could not write"). */
bool validate_config(run *r, value *obj, const char *key)
{
    tj_buf errors = {0};
    src_loc at = {0};
    const tj_struct_desc *desc = obj->u.obj->desc;
    if (desc == &chronon_GroupBy_desc) {
        validate_against_old(r, obj, &errors, &at);
        validate_group_by_rules(r, obj, &errors, &at);
    } else if (desc == &chronon_Join_desc) {
        value *parts = obj_get(obj, "joinParts");
        bool parts_ok = true;
        for (size_t p = 0; is_list(parts) && p < parts->u.list.len; p++) {
            value *gb = obj_get(parts->u.list.items[p], "groupBy");
            tj_buf part_errors = {0};
            if (gb) {
                validate_against_old(r, gb, &part_errors, &at);
                validate_group_by_rules(r, gb, &part_errors, &at);
            }
            if (part_errors.len) {
                tj_buf_printf(&errors, "%sjoin %s's underlying %s", errors.len ? ", " : "", key, part_errors.data);
                parts_ok = false;
            }
            tj_buf_free(&part_errors);
        }
        validate_join_rules(r, obj, key, &errors, &at, parts_ok);
    } else if (desc == &chronon_StagingQuery_desc) {
        validate_staging_query_rules(r, obj, key, &errors, &at);
    }
    bool ok = errors.len == 0 && !errors.failed;
    /* a reason found in another file (a Join's GroupBy defined elsewhere):
     * the error stays on the object being written */
    if (!at.file || at.file != obj->loc.file)
        at = obj->loc;
    if (!ok)
        diag_error(&r->diags, at, "Could not write %s %s: %s", desc->name,
                   strchr(key, '.') ? strchr(key, '.') + 1 : key, errors.data ? errors.data : "out of memory");
    tj_buf_free(&errors);
    arena_free(&r->scratch);
    return ok;
}
