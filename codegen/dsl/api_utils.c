/* ai.chronon.utils (docs/internals/python-api.md §12) and the table-name
 * helpers with their naming side effects (§12.2, §12.3, §13.2, §13.3), see
 * api_tables.h. The dependency and source-inspection functions come from
 * api_deps.c, the Python semantics every API file uses from api_shared.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_deps.h"
#include "api_shared.h"
#include "api_tables.h"
#include "chronon_api.h"

/* ---- sanitize ------------------------------------------------------------------ */

const char *api_sanitize(eval_ctx *ctx, const char *s, size_t len)
{
    tj_buf b = {0};
    const char *end = s + len;
    while (s < end) {
        size_t n = utf8_char_len(s, end);
        unsigned char c = (unsigned char)*s;
        bool keep = n == 1 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
        tj_buf_putc(&b, keep ? (char)c : '_');
        s += n;
    }
    return api_buf_cstr(ctx, &b);
}

/* ---- check_contains (§12.7) ---------------------------------------------------- */

/* Levenshtein distance over two sequences of values: utils.edit_distance,
 * which check_contains sorts its suggestions by. Not eval.h's closest_name:
 * Python's function compares any items with ==, counts a transposition as
 * two edits, has no cut-off, and its value is visible to definitions. */
static size_t edit_distance_items(value **a, size_t n, value **b, size_t m, bool *oom, arena *ar)
{
    size_t *prev = arena_alloc(ar, (m + 1) * sizeof *prev), *cur = arena_alloc(ar, (m + 1) * sizeof *cur);
    if (!prev || !cur) {
        *oom = true;
        return 0;
    }
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            if (value_equal(a[i - 1], b[j - 1])) {
                cur[j] = prev[j - 1];
            } else {
                size_t best = cur[j - 1];
                if (prev[j] < best)
                    best = prev[j];
                if (prev[j - 1] < best)
                    best = prev[j - 1];
                cur[j] = best + 1;
            }
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

static bool edit_distance_values(eval_ctx *ctx, value *a, value *b, src_loc loc, size_t *out)
{
    /* len() and indexing: str, list, tuple */
    value *seqs[2] = {a, b};
    for (int i = 0; i < 2; i++)
        if (seqs[i]->kind != V_STR && seqs[i]->kind != V_LIST && seqs[i]->kind != V_TUPLE) {
            eval_error(ctx, loc, "object of type '%s' has no len()", value_type_name(seqs[i]));
            return false;
        }
    value **x, **y;
    size_t n, m;
    if (!api_iter(ctx, a, loc, &x, &n) || !api_iter(ctx, b, loc, &y, &m))
        return false;
    bool oom = false;
    *out = edit_distance_items(x, n, y, m, &oom, ctx->arena);
    if (oom)
        eval_oom(ctx, loc);
    return !oom;
}

/* Python's `item in container`. */
static bool contains(eval_ctx *ctx, value *container, value *item, src_loc loc, bool *result)
{
    switch (container->kind) {
    case V_LIST:
    case V_TUPLE:
        *result = false;
        for (size_t i = 0; i < container->u.list.len; i++)
            if (value_equal(container->u.list.items[i], item))
                *result = true;
        return true;
    case V_DICT:
        if (!value_hashable(item)) {
            eval_error(ctx, loc, "unhashable type: '%s'", value_type_name(item));
            return false;
        }
        *result = dict_get(container->u.dict, item) != NULL;
        return true;
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
            if (memcmp(container->u.str.data + i, item->u.str.data, item->u.str.len) == 0)
                *result = true;
        return true;
    default:
        eval_error(ctx, loc, "argument of type '%s' is not iterable", value_type_name(container));
        return false;
    }
}

/* print_function(v) as a str value; NULL function means repr. */
static value *print_with(eval_ctx *ctx, value *fn, value *v, src_loc loc)
{
    if (api_is_none(fn)) {
        const char *r = api_repr(ctx, v);
        return r ? api_str(ctx, r, loc) : eval_oom(ctx, loc);
    }
    call_args *a = api_args(ctx, 1, &v, loc);
    return a ? eval_call(ctx, fn, a, loc) : eval_oom(ctx, loc);
}

static bool check_contains_single(eval_ctx *ctx, value *candidate, value *valid_items, const char *type_name,
                                  value *name, value *print_function, src_loc loc)
{
    value *cand_str = print_with(ctx, print_function, candidate, loc);
    if (IS_ERR(cand_str))
        return false;
    if (!value_truthy(valid_items))
        return true; /* upstream's assert of a non-empty f-string always passes */
    bool found;
    if (!contains(ctx, valid_items, candidate, loc, &found))
        return false;
    if (found)
        return true;
    value **items;
    size_t n;
    if (!api_iter(ctx, valid_items, loc, &items, &n))
        return false;
    value **printed = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *printed);
    size_t *dist = arena_alloc(ctx->arena, (n ? n : 1) * sizeof *dist);
    if (!printed || !dist)
        return eval_oom(ctx, loc), false;
    for (size_t i = 0; i < n; i++) {
        printed[i] = print_with(ctx, print_function, items[i], loc);
        if (IS_ERR(printed[i]) || !edit_distance_values(ctx, cand_str, printed[i], loc, &dist[i]))
            return false;
    }
    /* stable insertion sort by distance */
    for (size_t i = 1; i < n; i++) {
        value *p = printed[i];
        size_t d = dist[i], j = i;
        while (j > 0 && dist[j - 1] > d) {
            printed[j] = printed[j - 1];
            dist[j] = dist[j - 1];
            j--;
        }
        printed[j] = p;
        dist[j] = d;
    }
    tj_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (printed[i]->kind != V_STR) {
            tj_buf_free(&b);
            eval_error(ctx, loc, "sequence item %zu: expected str instance, %s found", i,
                       value_type_name(printed[i]));
            return false;
        }
        if (i)
            tj_buf_puts(&b, "\n    ");
        tj_buf_put(&b, printed[i]->u.str.data, printed[i]->u.str.len);
    }
    const char *suffix = value_truthy(name) ? arena_sprintf(ctx->arena, "for %s", api_text(ctx, name)) : "";
    diag_error(ctx->diags, loc, "%s, is not a valid %s %s\nPlease pick one from:\n    %s\n", api_text(ctx, cand_str),
               type_name, suffix ? suffix : "", b.data ? b.data : "");
    tj_buf_free(&b);
    return false;
}

bool api_check_contains(eval_ctx *ctx, value *candidates, value *valid_items, const char *type_name,
                        value *name, value *print_function, src_loc loc)
{
    if (candidates->kind == V_LIST || candidates->kind == V_TUPLE || candidates->kind == V_DICT) {
        value **items;
        size_t n;
        if (!api_iter(ctx, candidates, loc, &items, &n))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!check_contains_single(ctx, items[i], valid_items, type_name, name, print_function, loc))
                return false;
        return true;
    }
    return check_contains_single(ctx, candidates, valid_items, type_name, name, print_function, loc);
}

/* ---- teams.json ------------------------------------------------------------------- */

const char *api_teams_path(eval_ctx *ctx)
{
    const char *root = ctx->repo && ctx->repo->root ? ctx->repo->root : "";
    size_t n = strlen(root);
    if (n == 0)
        return "teams.json";
    const char *p = arena_sprintf(ctx->arena, "%s%steams.json", root, root[n - 1] == '/' ? "" : "/");
    return p ? p : "teams.json";
}

value *api_team_conf(eval_ctx *ctx, const char *team, const char *key, src_loc loc, bool *missing_team)
{
    *missing_team = false;
    json_t *teams = ctx->repo ? ctx->repo->teams : NULL;
    if (!teams) {
        eval_error(ctx, loc, "[Errno 2] No such file or directory: '%s'", api_teams_path(ctx));
        return NULL;
    }
    json_t *t = json_object_get(teams, team);
    if (!t) {
        *missing_team = true;
        return NULL;
    }
    json_t *v = json_is_object(t) ? json_object_get(t, key) : NULL;
    if (!v) {
        json_t *d = json_object_get(teams, "default");
        if (!d) {
            eval_error(ctx, loc, "KeyError: 'default' (teams.json has no \"default\" team to take '%s' from)", key);
            return NULL;
        }
        v = json_is_object(d) ? json_object_get(d, key) : NULL;
        if (!v) {
            eval_error(ctx, loc, "KeyError: '%s' (neither team '%s' nor \"default\" sets it in teams.json)", key, team);
            return NULL;
        }
    }
    value *out = api_json_value(ctx, v, loc);
    if (!out)
        eval_oom(ctx, loc);
    return out;
}

/* ---- naming (§13.2) ----------------------------------------------------------------- */

/* The module Chronon's gc lookup finds for obj. gc.get_referrers lists the
 * module dicts binding obj in the garbage collector's order, which depends on
 * allocation counts (compile-pipeline.md §12.2). What was observed with
 * Python 3.11 in repos whose first module to load imports Chronon's API: a
 * module still running that binds obj and was made before the module whose
 * file made obj (group_bys/b.py: `from group_bys.a import x`, then a lookup
 * at b's top level, as chronon's sample_group_by_group_by.py does) wins, the
 * innermost first; otherwise the module whose file made obj, else
 * find_defining_module's answer. */
static module *naming_module(eval_ctx *ctx, const value *obj, const char *prefix)
{
    module *first = find_defining_module(ctx, obj, prefix);
    if (!first)
        return NULL;
    size_t plen = strlen(prefix);
    repo *r = ctx->repo;
    size_t maker_at = r->module_count;
    for (size_t i = 0; obj->loc.file && i < r->module_count; i++) {
        module *m = r->modules[i];
        if (m->file == obj->loc.file && strncmp(m->name, prefix, plen) == 0 && module_binds(m, obj)) {
            maker_at = i;
            break;
        }
    }
    for (size_t i = maker_at; i-- > 0;) {
        module *m = r->modules[i];
        if (m->loading && strncmp(m->name, prefix, plen) == 0 && module_binds(m, obj))
            return m;
    }
    return maker_at < r->module_count ? r->modules[maker_at] : first;
}

bool api_set_name(eval_ctx *ctx, value *obj, const tj_struct_desc *desc, const char *prefix, src_loc loc)
{
    module *m = naming_module(ctx, obj, prefix);
    if (!m) {
        const char *r = api_repr(ctx, obj);
        /* diag_error directly: eval_error's message buffer would cut a long repr */
        diag_error(ctx->diags, loc, "Couldn't find module name for object:\n%s\n", r ? r : "");
        diag_note(ctx->diags, loc,
                  "Chronon names a %s after the variable it is bound to at the top level of a module under %s/",
                  desc->name, prefix);
        return false;
    }
    if (!name_module_objects(ctx, m, desc)) {
        eval_oom(ctx, loc);
        return false;
    }
    return true;
}

bool api_auto_name_group_by(eval_ctx *ctx, value *gb, src_loc loc)
{
    module *m = naming_module(ctx, gb, "group_bys");
    if (m) {
        if (!name_module_objects(ctx, m, &chronon_GroupBy_desc)) {
            eval_oom(ctx, loc);
            return false;
        }
        return true;
    }
    value *name = api_metadata_attr(ctx, gb, "name", loc);
    if (IS_ERR(name))
        return false;
    if (!value_truthy(name)) {
        eval_error(ctx, gb->loc.file ? gb->loc : loc,
                   "[GroupBy] Must specify a group_by name if group_by is not defined in separate file. "
                   "You may pass it in via GroupBy.name. \n");
        diag_note(ctx->diags, loc, "No group_by file or custom group_by name found");
        return false;
    }
    return true;
}

/* ---- output table names (§12.2, §12.3) ----------------------------------------------- */

/* name.split(".")[0] of a metaData.name: its team; NULL after a report */
static const char *name_team(eval_ctx *ctx, value *name, src_loc loc)
{
    if (name->kind != V_STR) {
        eval_error(ctx, loc, "'%s' object has no attribute 'split'", value_type_name(name));
        return NULL;
    }
    const char *team = arena_strndup(ctx->arena, name->u.str.data, strcspn(name->u.str.data, "."));
    if (!team)
        eval_oom(ctx, loc);
    return team;
}

static value *sanitize_value(eval_ctx *ctx, value *name, src_loc loc)
{
    if (api_is_none(name))
        return api_none(ctx, loc);
    if (name->kind != V_STR)
        return eval_error(ctx, name->loc.file ? name->loc : loc, "expected string or bytes-like object, got '%s'",
                          value_type_name(name));
    const char *s = api_sanitize(ctx, name->u.str.data, name->u.str.len);
    return s ? api_str(ctx, s, loc) : eval_oom(ctx, loc);
}

value *api_output_table_name(eval_ctx *ctx, value *obj, bool full_name, src_loc loc)
{
    value *md = api_attr(ctx, obj, "metaData", loc);
    if (IS_ERR(md))
        return md;
    value *name = api_attr(ctx, md, "name", loc);
    if (IS_ERR(name))
        return name;
    value *table = sanitize_value(ctx, name, loc);
    if (IS_ERR(table))
        return table;
    value *ns = api_attr(ctx, md, "outputNamespace", loc);
    if (IS_ERR(ns))
        return ns;
    if (!full_name)
        return table;
    if (value_truthy(ns) && ns->kind != V_STR)
        return eval_error(ctx, loc, "unsupported operand type(s) for +: '%s' and 'str'", value_type_name(ns));
    if (table->kind != V_STR)
        return eval_error(ctx, loc, "can only concatenate str (not \"NoneType\") to str");
    const char *db = value_truthy(ns) ? ns->u.str.data : "{{ db }}";
    char *s = arena_sprintf(ctx->arena, "%s.%s", db, table->u.str.data);
    return s ? api_str(ctx, s, loc) : eval_oom(ctx, loc);
}

value *api_join_output_table_name(eval_ctx *ctx, value *join, bool full_name, src_loc loc)
{
    if (api_is(join, &chronon_Join_desc) && !api_set_name(ctx, join, &chronon_Join_desc, "joins", loc))
        return api_err(ctx);
    value *md = api_attr(ctx, join, "metaData", loc);
    value *ns = IS_ERR(md) ? md : api_attr(ctx, md, "outputNamespace", loc);
    if (IS_ERR(ns))
        return ns;
    if (!value_truthy(ns)) {
        value *name = api_attr(ctx, md, "name", loc);
        if (IS_ERR(name))
            return name;
        const char *team = name_team(ctx, name, loc);
        if (!team)
            return api_err(ctx);
        bool missing;
        value *conf = api_team_conf(ctx, team, "namespace", loc, &missing);
        if (missing)
            return eval_error(ctx, loc, "team %s does not exist in %s", team, api_teams_path(ctx));
        if (!conf)
            return api_err(ctx);
        if (md->kind == V_OBJECT)
            arena_note_store(ctx->arena, md->u.obj);
        if (md->kind != V_OBJECT || !obj_set(md, "outputNamespace", conf))
            return eval_error(ctx, loc, "cannot set outputNamespace of a %s", value_type_name(md));
    }
    return api_output_table_name(ctx, join, full_name, loc);
}

value *api_staging_query_output_table_name(eval_ctx *ctx, value *sq, bool full_name, src_loc loc)
{
    if (!api_set_name(ctx, sq, &chronon_StagingQuery_desc, "staging_queries", loc))
        return api_err(ctx);
    return api_output_table_name(ctx, sq, full_name, loc);
}

value *api_group_by_output_table_name(eval_ctx *ctx, value *gb, bool full_name, src_loc loc)
{
    value *name = api_metadata_attr(ctx, gb, "name", loc);
    if (IS_ERR(name))
        return name;
    if (!value_truthy(name) && !api_set_name(ctx, gb, &chronon_GroupBy_desc, "group_bys", loc))
        return api_err(ctx);
    return api_output_table_name(ctx, gb, full_name, loc);
}

static const char *table_cstr(eval_ctx *ctx, value *v, src_loc loc)
{
    if (IS_ERR(v))
        return NULL;
    if (v->kind != V_STR) {
        eval_error(ctx, loc, "expected a table name, got %s", value_type_name(v));
        return NULL;
    }
    return v->u.str.data;
}

const char *join_output_table_name(eval_ctx *ctx, value *join, src_loc loc)
{
    return table_cstr(ctx, api_join_output_table_name(ctx, join, true, loc), loc);
}

const char *staging_query_output_table_name(eval_ctx *ctx, value *sq, src_loc loc)
{
    return table_cstr(ctx, api_staging_query_output_table_name(ctx, sq, true, loc), loc);
}

const char *group_by_output_table_name(eval_ctx *ctx, value *gb, src_loc loc)
{
    return table_cstr(ctx, api_group_by_output_table_name(ctx, gb, true, loc), loc);
}

bool api_resolve_staging_query_table(eval_ctx *ctx, value *sq, src_loc loc, const char **table, const char **ns)
{
    value *md = api_attr(ctx, sq, "metaData", loc);
    value *out_ns = IS_ERR(md) ? md : api_attr(ctx, md, "outputNamespace", loc);
    if (IS_ERR(out_ns))
        return false;
    if (value_truthy(out_ns)) {
        value *name = api_attr(ctx, md, "name", loc);
        if (IS_ERR(name))
            return false;
        if (value_truthy(name)) {
            const char *n = api_text(ctx, out_ns);
            *table = arena_sprintf(ctx->arena, "%s.%s", n, api_text(ctx, name));
            *ns = n;
            return *table || (eval_oom(ctx, loc), false);
        }
    }
    const char *t = staging_query_output_table_name(ctx, sq, loc);
    if (!t)
        return false;
    value *name = api_metadata_attr(ctx, sq, "name", loc);
    if (IS_ERR(name))
        return false;
    if (strstr(t, "{{ db }}") && value_truthy(name)) {
        const char *team = name_team(ctx, name, loc);
        if (!team)
            return false;
        bool missing;
        value *conf = api_team_conf(ctx, team, "namespace", loc, &missing);
        if (missing)
            conf = api_team_conf(ctx, "default", "namespace", loc, &missing);
        if (missing) {
            eval_error(ctx, loc, "team default does not exist in %s", api_teams_path(ctx));
            return false;
        }
        if (!conf)
            return false;
        if (conf->kind != V_STR) {
            eval_error(ctx, loc, "replace() argument 2 must be str, not %s", value_type_name(conf));
            return false;
        }
        /* str.replace: every occurrence */
        tj_buf b = {0};
        for (const char *p = t; *p;) {
            const char *hit = strstr(p, "{{ db }}");
            if (!hit) {
                tj_buf_puts(&b, p);
                break;
            }
            tj_buf_put(&b, p, (size_t)(hit - p));
            tj_buf_puts(&b, conf->u.str.data);
            p = hit + strlen("{{ db }}");
        }
        *table = api_buf_cstr(ctx, &b);
        *ns = conf->u.str.data;
        return *table || (eval_oom(ctx, loc), false);
    }
    *table = t;
    *ns = arena_strndup(ctx->arena, t, strcspn(t, "."));
    return *ns || (eval_oom(ctx, loc), false);
}

/* ---- Python-visible functions -------------------------------------------------------- */

BUILTIN(u_edit_distance)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"str1", P_REQUIRED}, {"str2", P_REQUIRED}};
    value *a[2];
    if (!bind_args(ctx, "edit_distance", params, 2, args, loc, a))
        return api_err(ctx);
    size_t d;
    if (!edit_distance_values(ctx, a[0], a[1], loc, &d))
        return api_err(ctx);
    return api_int(ctx, (int64_t)d, loc);
}

static const param_spec check_contains_params[] = {{"candidate", P_REQUIRED}, {"valid_items", P_REQUIRED},
                                                   {"type_name", P_REQUIRED}, {"name", P_REQUIRED},
                                                   {"print_function", P_OPTIONAL}};

/* check_contains and check_contains_single (def->data set) */
BUILTIN(u_check_contains)
{
    (void)self;
    bool single = def->data != NULL;
    value *a[5];
    if (!bind_args(ctx, def->name, check_contains_params, 5, args, loc, a))
        return api_err(ctx);
    const char *type_name = api_text(ctx, a[2]);
    bool ok = single ? check_contains_single(ctx, a[0], a[1], type_name, a[3], a[4], loc)
                     : api_check_contains(ctx, a[0], a[1], type_name, a[3], a[4], loc);
    return ok ? api_none(ctx, loc) : api_err(ctx);
}

BUILTIN(u_get_mod_name_from_gc)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"obj", P_REQUIRED}, {"mod_prefix", P_REQUIRED}};
    value *a[2];
    if (!bind_args(ctx, "get_mod_name_from_gc", params, 2, args, loc, a))
        return api_err(ctx);
    if (a[1]->kind != V_STR)
        return eval_error(ctx, loc, "startswith first arg must be str or a tuple of str, not %s",
                          value_type_name(a[1]));
    module *m = naming_module(ctx, a[0], a[1]->u.str.data);
    return m ? api_str(ctx, m->name, loc) : api_none(ctx, loc);
}

BUILTIN(u_sanitize)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"name", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "sanitize", params, 1, args, loc, a))
        return api_err(ctx);
    return sanitize_value(ctx, a[0], args->npositional ? args->positional_loc[0] : loc);
}

/* dict_to_bash_commands: `--key` / `--key=value` flags, or dict_to_exports
 * (def->data set): `export KEY=value` items */
BUILTIN(u_dict_to_text)
{
    (void)self;
    bool exports = def->data != NULL;
    static const param_spec params[] = {{"d", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, def->name, params, 1, args, loc, a))
        return api_err(ctx);
    if (!value_truthy(a[0]))
        return api_str(ctx, "", loc);
    if (a[0]->kind != V_DICT)
        return eval_error(ctx, loc, "'%s' object has no attribute 'items'", value_type_name(a[0]));
    dict *d = a[0]->u.dict;
    tj_buf b = {0};
    for (size_t i = 0; i < d->len; i++) {
        value *k = d->keys[i], *v = d->values[i];
        if (k->kind != V_STR) {
            tj_buf_free(&b);
            return eval_error(ctx, loc, "'%s' object has no attribute '%s'", value_type_name(k),
                              exports ? "upper" : "replace");
        }
        if (i)
            tj_buf_puts(&b, exports ? " && " : " ");
        if (exports) {
            value *up = builtin_method(ctx, k, "upper", loc);
            call_args none = {0};
            value *u = up ? eval_call(ctx, up, &none, loc) : NULL;
            if (!u || u->kind != V_STR) {
                tj_buf_free(&b);
                return u ? api_err(ctx) : eval_error(ctx, loc, "internal error: str.upper is not available");
            }
            tj_buf_puts(&b, "export ");
            tj_buf_put(&b, u->u.str.data, u->u.str.len);
            tj_buf_putc(&b, '=');
            tj_buf_puts(&b, api_text(ctx, v));
        } else {
            tj_buf_puts(&b, "--");
            for (size_t j = 0; j < k->u.str.len; j++)
                tj_buf_putc(&b, k->u.str.data[j] == '_' ? '-' : k->u.str.data[j]);
            if (value_truthy(v)) {
                tj_buf_putc(&b, '=');
                tj_buf_puts(&b, api_text(ctx, v));
            }
        }
    }
    return api_buf_str(ctx, &b, loc);
}

BUILTIN(u_output_table_name)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"obj", P_REQUIRED}, {"full_name", P_REQUIRED}};
    value *a[2];
    if (!bind_args(ctx, "output_table_name", params, 2, args, loc, a))
        return api_err(ctx);
    return api_output_table_name(ctx, a[0], value_truthy(a[1]), loc);
}

/* join_part_name(jp) */
static value *join_part_name(eval_ctx *ctx, value *jp, src_loc loc)
{
    value *gb = api_attr(ctx, jp, "groupBy", loc);
    if (IS_ERR(gb))
        return gb;
    if (gb->kind == V_NONE)
        return eval_error(ctx, loc, "Join Part names for non group bys is not implemented.");
    value *name = api_metadata_attr(ctx, gb, "name", loc);
    if (IS_ERR(name))
        return name;
    if (!value_truthy(name) && api_is(gb, &chronon_GroupBy_desc) &&
        !api_set_name(ctx, gb, &chronon_GroupBy_desc, "group_bys", loc))
        return api_err(ctx);
    value *prefix = api_attr(ctx, jp, "prefix", loc);
    name = IS_ERR(prefix) ? prefix : api_metadata_attr(ctx, gb, "name", loc);
    value *clean = IS_ERR(name) ? name : sanitize_value(ctx, name, loc);
    if (IS_ERR(clean))
        return clean;
    value *parts[2] = {prefix, clean};
    tj_buf b = {0};
    size_t k = 0;
    for (size_t i = 0; i < 2; i++) {
        if (parts[i]->kind == V_NONE)
            continue;
        if (parts[i]->kind != V_STR) {
            tj_buf_free(&b);
            return eval_error(ctx, loc, "sequence item %zu: expected str instance, %s found", k,
                              value_type_name(parts[i]));
        }
        if (k++)
            tj_buf_putc(&b, '_');
        tj_buf_put(&b, parts[i]->u.str.data, parts[i]->u.str.len);
    }
    return api_buf_str(ctx, &b, loc);
}

static value *join_part_output_table_name(eval_ctx *ctx, value *join, value *jp, bool full_name, src_loc loc)
{
    value *t = api_output_table_name(ctx, join, full_name, loc);
    if (IS_ERR(t))
        return t;
    value *n = join_part_name(ctx, jp, loc);
    if (IS_ERR(n))
        return n;
    if (t->kind == V_NONE)
        return n;
    char *s = arena_sprintf(ctx->arena, "%s_%s", t->u.str.data, n->u.str.data);
    return s ? api_str(ctx, s, loc) : eval_oom(ctx, loc);
}

BUILTIN(u_join_part_output_table_name)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"join", P_REQUIRED}, {"jp", P_REQUIRED}, {"full_name", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, "join_part_output_table_name", params, 3, args, loc, a))
        return api_err(ctx);
    return join_part_output_table_name(ctx, a[0], a[1], a[2] && value_truthy(a[2]), loc);
}

/* f(<param>, full_name=False) for a table-name function: def->data is a table_call */
typedef struct table_call {
    const char *param;
    value *(*fn)(eval_ctx *ctx, value *obj, bool full_name, src_loc loc);
} table_call;

BUILTIN(u_table_name)
{
    (void)self;
    const table_call *c = def->data;
    param_spec params[] = {{c->param, P_REQUIRED}, {"full_name", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, def->name, params, 2, args, loc, a))
        return api_err(ctx);
    return c->fn(ctx, a[0], a[1] && value_truthy(a[1]), loc);
}

/* log_table_name(obj, full_name=False): output_table_name(...) + "_logged" */
BUILTIN(u_log_table_name)
{
    value *t = u_table_name(ctx, def, self, args, loc);
    if (IS_ERR(t))
        return t;
    if (t->kind != V_STR)
        return eval_error(ctx, loc, "unsupported operand type(s) for +: 'NoneType' and 'str'");
    char *s = arena_sprintf(ctx->arena, "%s_logged", t->u.str.data);
    return s ? api_str(ctx, s, loc) : eval_oom(ctx, loc);
}

/* ---- §12.8 operational helpers ---- */

/* get_offline_schedule(conf): a str value or None */
static value *offline_schedule(eval_ctx *ctx, value *conf, src_loc loc)
{
    value *s = api_metadata_attr(ctx, conf, "offlineSchedule", loc);
    if (IS_ERR(s))
        return s;
    if (!value_truthy(s))
        return api_str(ctx, "@daily", loc);
    if (s->kind == V_STR && strcmp(s->u.str.data, "@never") == 0)
        return api_none(ctx, loc);
    return s;
}

/* (conf.metaData.samplePercent or 0) > 0; -1 after a report */
static int log_flattening(eval_ctx *ctx, value *conf, src_loc loc)
{
    value *p = api_metadata_attr(ctx, conf, "samplePercent", loc);
    if (IS_ERR(p))
        return -1;
    return value_truthy(p) ? api_positive(ctx, p, loc) : 0;
}

BUILTIN(u_requires_log_flattening_task)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"conf", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "requires_log_flattening_task", params, 1, args, loc, a))
        return api_err(ctx);
    int r = log_flattening(ctx, a[0], loc);
    return r < 0 ? api_err(ctx) : api_bool(ctx, r, loc);
}

static bool add_tables(eval_ctx *ctx, value *tables, const char *mode, value *table_name, const char **suffixes,
                       size_t n, src_loc loc)
{
    value *l = v_list(ctx->arena, V_LIST, n, loc);
    if (!l)
        return eval_oom(ctx, loc), false;
    const char *t = api_text(ctx, table_name);
    for (size_t i = 0; i < n; i++) {
        char *s = arena_sprintf(ctx->arena, "%s%s", t, suffixes[i]);
        value *sv = s ? v_cstr(ctx->arena, s, loc) : NULL;
        if (!sv)
            return eval_oom(ctx, loc), false;
        l->u.list.items[l->u.list.len++] = sv;
    }
    if (!dict_set_str(ctx->arena, tables->u.dict, mode, l, loc))
        return eval_oom(ctx, loc), false;
    return true;
}

static value *modes_tables(eval_ctx *ctx, value *conf, src_loc loc)
{
    value *md = api_attr(ctx, conf, "metaData", loc);
    value *name = IS_ERR(md) ? md : api_attr(ctx, md, "name", loc);
    if (IS_ERR(name))
        return name;
    value *tbl = api_output_table_name(ctx, conf, value_truthy(name), loc);
    if (IS_ERR(tbl))
        return tbl;
    value *tables = v_dict(ctx->arena, loc);
    if (!tables)
        return eval_oom(ctx, loc);
    static const char *plain[] = {""};
    if (api_is(conf, &chronon_GroupBy_desc)) {
        value *bsd = obj_get(conf, "backfillStartDate");
        if (bsd && !add_tables(ctx, tables, "backfill", tbl, plain, 1, loc))
            return api_err(ctx);
        value *online = obj_get(md, "online");
        if (online && value_truthy(online)) {
            static const char *upload[] = {"_upload"};
            if (!add_tables(ctx, tables, "upload", tbl, upload, 1, loc))
                return api_err(ctx);
            value *acc = obj_get(conf, "accuracy");
            value *topic = deps_has_topic(ctx, conf, loc);
            if (IS_ERR(topic))
                return topic;
            if ((acc && value_truthy(acc)) || value_truthy(topic)) {
                value *nv = api_none(ctx, loc);
                if (IS_ERR(nv) || !dict_set_str(ctx->arena, tables->u.dict, "streaming", nv, loc))
                    return eval_oom(ctx, loc);
            }
        }
    } else if (api_is(conf, &chronon_Join_desc)) {
        value *sched = offline_schedule(ctx, conf, loc);
        if (IS_ERR(sched))
            return sched;
        if (sched->kind != V_NONE) {
            static const char *stats[] = {"_daily_stats"};
            if (!add_tables(ctx, tables, "backfill", tbl, plain, 1, loc) ||
                !add_tables(ctx, tables, "stats-summary", tbl, stats, 1, loc))
                return api_err(ctx);
        }
        value *cj = obj_get(md, "customJson");
        if (cj) {
            if (cj->kind != V_STR)
                return eval_error(ctx, loc, "the JSON object must be str, bytes or bytearray, not %s",
                                  value_type_name(cj));
            json_error_t jerr;
            json_t *j = json_loadb(cj->u.str.data, cj->u.str.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
            if (!j)
                return eval_error(ctx, loc, "customJson is not valid JSON: %s", jerr.text);
            bool consistency = json_is_object(j) && json_is_true(json_object_get(j, "check_consistency"));
            bool not_object = !json_is_object(j);
            json_decref(j);
            if (not_object)
                return eval_error(ctx, loc, "customJson: expected a JSON object");
            static const char *cons[] = {"_consistency"};
            if (consistency && !add_tables(ctx, tables, "consistency-metrics-compute", tbl, cons, 1, loc))
                return api_err(ctx);
        }
        int lf = log_flattening(ctx, conf, loc);
        if (lf < 0)
            return api_err(ctx);
        static const char *logged[] = {"_logged"};
        if (lf && !add_tables(ctx, tables, "log-flattener", tbl, logged, 1, loc))
            return api_err(ctx);
        static const char *labels[] = {"_labels", "_labeled", "_labeled_latest"};
        if (obj_get(conf, "labelPart") && !add_tables(ctx, tables, "label-join", tbl, labels, 3, loc))
            return api_err(ctx);
        value *bp = obj_get(conf, "bootstrapParts");
        static const char *boot[] = {"_bootstrap"};
        if (((bp && value_truthy(bp)) || sched->kind != V_NONE) &&
            !add_tables(ctx, tables, "bootstrap", tbl, boot, 1, loc))
            return api_err(ctx);
        value *jps = obj_get(conf, "joinParts");
        if (jps && value_truthy(jps)) {
            value **items;
            size_t n;
            if (!api_iter(ctx, jps, loc, &items, &n))
                return api_err(ctx);
            value *l = v_list(ctx->arena, V_LIST, n, loc);
            if (!l)
                return eval_oom(ctx, loc);
            for (size_t i = 0; i < n; i++) {
                value *t = join_part_output_table_name(ctx, conf, items[i], false, loc);
                if (IS_ERR(t))
                    return t;
                l->u.list.items[l->u.list.len++] = t;
            }
            if (!dict_set_str(ctx->arena, tables->u.dict, "join_parts", l, loc))
                return eval_oom(ctx, loc);
        }
    } else if (api_is(conf, &chronon_StagingQuery_desc)) {
        if (!add_tables(ctx, tables, "backfill", tbl, plain, 1, loc))
            return api_err(ctx);
    } else {
        return eval_error(ctx, loc, "Unsupported job type %s", value_type_name(conf));
    }
    return tables;
}

BUILTIN(u_get_applicable_modes)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"conf", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "get_applicable_modes", params, 1, args, loc, a))
        return api_err(ctx);
    value *t = modes_tables(ctx, a[0], loc);
    if (IS_ERR(t))
        return t;
    /* upstream means to drop the SubStage names, but its dataclass has no fields */
    return api_keys_list(ctx, t->u.dict, loc);
}

BUILTIN(u_get_related_table_names)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"conf", P_REQUIRED}, {"skip_join_parts", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "get_related_table_names", params, 2, args, loc, a))
        return api_err(ctx);
    bool skip = !a[1] || value_truthy(a[1]);
    value *t = modes_tables(ctx, a[0], loc);
    if (IS_ERR(t))
        return t;
    value *l = v_list(ctx->arena, V_LIST, 0, loc);
    if (!l)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < t->u.dict->len; i++) {
        if (skip && strcmp(t->u.dict->keys[i]->u.str.data, "join_parts") == 0)
            continue;
        value *tl = t->u.dict->values[i];
        if (value_truthy(tl) && !api_extend(ctx, l, tl, loc))
            return api_err(ctx);
    }
    return l;
}

BUILTIN(u_get_config_path)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"join_name", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "get_config_path", params, 1, args, loc, a))
        return api_err(ctx);
    value *n = a[0];
    if (n->kind != V_STR)
        return eval_error(ctx, loc, "argument of type '%s' is not iterable", value_type_name(n));
    const char *dot = memchr(n->u.str.data, '.', n->u.str.len);
    if (!dot)
        return eval_error(ctx, loc, "Invalid join name: %s", n->u.str.data);
    char *s = arena_sprintf(ctx->arena, "production/joins/%.*s/%s", (int)(dot - n->u.str.data), n->u.str.data,
                            dot + 1);
    return s ? api_str(ctx, s, loc) : eval_oom(ctx, loc);
}

/* ceil(a / b) for ints, as Python's ceil of a true division */
static int64_t ceil_div(int64_t a, int64_t b)
{
    int64_t q = a / b, r = a % b;
    return (r != 0 && ((r > 0) == (b > 0))) ? q + 1 : q;
}

BUILTIN(u_get_max_window_for_gb_in_days)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"group_by", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "get_max_window_for_gb_in_days", params, 1, args, loc, a))
        return api_err(ctx);
    int64_t result = 1;
    value *aggs = api_attr(ctx, a[0], "aggregations", loc);
    if (IS_ERR(aggs))
        return aggs;
    if (value_truthy(aggs)) {
        value **items;
        size_t n;
        if (!api_iter(ctx, aggs, loc, &items, &n))
            return api_err(ctx);
        for (size_t i = 0; i < n; i++) {
            value *windows = api_attr(ctx, items[i], "windows", loc);
            value **ws;
            size_t nw;
            if (IS_ERR(windows) || !api_iter(ctx, windows, loc, &ws, &nw))
                return api_err(ctx);
            for (size_t k = 0; k < nw; k++) {
                value *unit = api_attr(ctx, ws[k], "timeUnit", loc);
                value *len = IS_ERR(unit) ? unit : api_attr(ctx, ws[k], "length", loc);
                if (IS_ERR(len))
                    return len;
                bool hours = api_eq_int(unit, 0), days = !hours && api_eq_int(unit, 1);
                if (!hours && !days)
                    return eval_error(ctx, loc,
                                      "Unsupported time unit %s. Please add logic above to handle the newly "
                                      "introduced time unit.",
                                      api_text(ctx, unit));
                if (len->kind != V_INT && len->kind != V_FLOAT && len->kind != V_BOOL)
                    return eval_error(ctx, loc, hours ? "unsupported operand type(s) for /: '%s' and 'int'"
                                                      : "'>' not supported between instances of '%s' and 'int'",
                                      value_type_name(len));
                int64_t w;
                if (len->kind == V_FLOAT) {
                    double f = hours ? ceil(len->u.f / 24.0) : len->u.f;
                    if (!isfinite(f))
                        return eval_error(ctx, loc, "cannot convert float infinity to integer");
                    w = f > (double)result ? (int64_t)f : result;
                } else {
                    int64_t x = len->kind == V_INT ? len->u.i : len->u.b;
                    w = hours ? ceil_div(x, 24) : x;
                }
                if (w > result)
                    result = w;
            }
        }
    }
    return api_int(ctx, result, loc);
}

BUILTIN(u_unsupported)
{
    (void)self;
    (void)args;
    return eval_error(ctx, loc, "utils.%s is part of Chronon's compile tooling and cannot be used in a definition file",
                      def->name);
}

static const bool single = true, exports = true; /* the data of check_contains_single, dict_to_exports */

static const builtin utils_builtins[] = {
    {"edit_distance", u_edit_distance, NULL},
    {"check_contains_single", u_check_contains, &single},
    {"check_contains", u_check_contains, NULL},
    {"get_mod_name_from_gc", u_get_mod_name_from_gc, NULL},
    {"sanitize", u_sanitize, NULL},
    {"dict_to_bash_commands", u_dict_to_text, NULL},
    {"dict_to_exports", u_dict_to_text, &exports},
    {"output_table_name", u_output_table_name, NULL},
    API_UNARY("join_part_name", "jp", join_part_name),
    {"join_part_output_table_name", u_join_part_output_table_name, NULL},
    {"group_by_output_table_name", u_table_name, &(const table_call){"obj", api_group_by_output_table_name}},
    {"log_table_name", u_log_table_name, &(const table_call){"obj", api_output_table_name}},
    {"get_staging_query_output_table_name", u_table_name,
     &(const table_call){"staging_query", api_staging_query_output_table_name}},
    {"get_join_output_table_name", u_table_name, &(const table_call){"join", api_join_output_table_name}},
    API_UNARY("get_offline_schedule", "conf", offline_schedule),
    {"requires_log_flattening_task", u_requires_log_flattening_task, NULL},
    API_UNARY("get_modes_tables", "conf", modes_tables),
    {"get_applicable_modes", u_get_applicable_modes, NULL},
    {"get_related_table_names", u_get_related_table_names, NULL},
    {"get_config_path", u_get_config_path, NULL},
    {"get_max_window_for_gb_in_days", u_get_max_window_for_gb_in_days, NULL},
    {"JsonDiffer", u_unsupported, NULL},
    {"convert_json_to_obj", u_unsupported, NULL},
    {"DotDict", u_unsupported, NULL},
};

bool api_utils_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    if (!api_def_all(ctx, m, utils_builtins, NPARAMS(utils_builtins)) ||
        !api_def_all(ctx, m, deps_utils_builtins, deps_utils_builtin_count))
        return false;
    /* namespaces of string constants */
    static const char *const modes[] = {"backfill", "backfill",
                                        "upload", "upload",
                                        "streaming", "streaming",
                                        "stats_summary", "stats-summary",
                                        "label_join", "label-join",
                                        "log_flattener", "log-flattener",
                                        "consistency_metrics_compute", "consistency-metrics-compute"};
    static const char *const substage[] = {"bootstrap", "bootstrap", "join_parts", "join_parts"};
    module *modes_ns = api_namespace(ctx, m, "Modes");
    if (!modes_ns || !api_set_str_attrs(ctx, modes_ns, modes, 7))
        return false;
    module *substage_ns = api_namespace(ctx, m, "SubStage");
    if (!substage_ns || !api_set_str_attrs(ctx, substage_ns, substage, 2))
        return false;
    /* FeatureDisplayKeys: an Enum; each member has .name and .value */
    static const char *const fdk[] = {"LEFT_COLUMNS", "left_columns", "INTERNAL_COLUMNS", "internal_columns",
                                      "EXTERNAL_COLUMNS", "external_columns", "DERIVED_COLUMNS", "derived_columns",
                                      "OUTPUT_COLUMNS", "output_columns", "KEY_COLUMNS", "key_columns"};
    module *keys = api_namespace(ctx, m, "FeatureDisplayKeys");
    if (!keys)
        return false;
    for (size_t i = 0; i < 6; i++) {
        module *member = api_namespace(ctx, keys, fdk[2 * i]);
        char *member_name = arena_sprintf(ctx->arena, "FeatureDisplayKeys.%s", fdk[2 * i]);
        if (!member || !member_name)
            return false;
        member->name = member_name;
        const char *const attrs[] = {"name", fdk[2 * i], "value", fdk[2 * i + 1]};
        if (!api_set_str_attrs(ctx, member, attrs, 2))
            return false;
    }
    const char *root = ctx->repo && ctx->repo->root ? ctx->repo->root : "";
    return api_set_attr(ctx, m, "chronon_root_path", v_cstr(ctx->arena, root, none)) &&
           api_set_attr(ctx, m, "TEAMS_FILE_PATH", v_cstr(ctx->arena, "teams.json", none)) &&
           api_export_module(ctx, m, "api", "ai.chronon.api.ttypes");
}
