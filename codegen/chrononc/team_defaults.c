/* compile.py's edits of an extracted config before it is validated and
 * written: the team's defaults from teams.json (_set_team_level_metadata)
 * and the templated values ({{ logged_table }}, {{ db }}, ...). */
#include <stdlib.h>
#include <string.h>

#include "chronon_api.h"
#include "compile_run.h"

static value *json_to_plain_value(run *r, json_t *j, src_loc loc)
{
    /* teams.json values are strings, or dicts of strings (table_properties) */
    if (json_is_string(j))
        return v_str(&r->arena, json_string_value(j), json_string_length(j), loc);
    if (json_is_object(j)) {
        value *d = v_dict(&r->arena, loc);
        const char *k;
        json_t *v;
        if (!d)
            return NULL;
        json_object_foreach(j, k, v) {
            value *key = v_cstr(&r->arena, k, loc), *val = json_to_plain_value(r, v, loc);
            if (!key || !val || !dict_set(&r->arena, d->u.dict, key, val))
                return NULL;
        }
        return d;
    }
    if (json_is_null(j))
        return v_none(&r->arena, loc);
    return NULL;
}

/* The team of teams.json closest to word, for "did you mean"; NULL if none. */
static const char *closest_team(run *r, const char *word)
{
    const char *cands[512];
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(r->ctx->repo->teams, k, v) {
        if (n < 512)
            cands[n++] = k;
    }
    return closest_name(word, cands, n);
}

/* "team X does not exist": the error, with a note on where the team comes
 * from. folder: the kind's folder when the team is the config's folder
 * (group_bys/<team>/); NULL when it is the first part of the object's name
 * (a GroupBy a Join writes on its own: name="team.name"). */
static void unknown_team(run *r, value *obj, const char *team, const char *folder)
{
    if (folder) {
        diag_error(&r->diags, obj->loc, "team %s does not exist in teams.json", team);
        const char *hint = closest_team(r, team);
        if (hint)
            diag_note(&r->diags, obj->loc, "the team is the folder under %s/: did you mean '%s'?", folder, hint);
        return;
    }
    value *md = md_of(obj);
    value *name = md ? obj_get(md, "name") : NULL;
    src_loc at = name && name->loc.file ? name->loc : obj->loc;
    diag_error(&r->diags, at, "team %s does not exist in teams.json", team);
    if (!name || name->kind != V_STR)
        return;
    /* the team part as meant: before the first '.', else before the first
     * '_' (name="shop_users" for "shop.users"); that team or the closest */
    const char *n = name->u.str.data, *sep = strchr(n, '.');
    if (!sep)
        sep = strchr(n, '_');
    const char *suggestion = NULL;
    if (sep && sep[1]) {
        char *part = arena_strndup(&r->arena, n, (size_t)(sep - n));
        const char *t = part && json_object_get(r->ctx->repo->teams, part) ? part : part ? closest_team(r, part) : NULL;
        suggestion = t ? arena_sprintf(&r->arena, "%s.%s", t, sep + 1) : NULL;
    }
    value *online = md ? obj_get(md, "online") : NULL;
    const char *why = online && value_truthy(online) ? "online" : "backfilled";
    if (suggestion)
        diag_note(&r->diags, at, "this %s GroupBy is also written on its own, under the team its name starts with "
                                 "(team.name): e.g. name=\"%s\"", why, suggestion);
    else
        diag_note(&r->diags, at, "this %s GroupBy is also written on its own, under the team its name starts with "
                                 "(team.name)", why);
}

/* outputNamespace ||= team namespace; tableProperties ||= team table_properties; team = team.
 * folder: see unknown_team. */
bool set_team_metadata(run *r, value *obj, const char *team, const char *folder)
{
    value *md = md_of(obj);
    if (!md)
        return true;
    repo *rp = r->ctx->repo;
    if (!rp->teams && rp->teams_unreadable)
        return false; /* its error, reported once at teams.json, is this object's too */
    if (!rp->teams) {
        diag_error(&r->diags, obj->loc, "teams.json not found under %s: compile needs it for team %s's defaults",
                   r->opt.root, team);
        return false;
    }
    if (!json_object_get(rp->teams, team)) {
        unknown_team(r, obj, team, folder);
        return false;
    }
    value *ns = obj_get(md, "outputNamespace");
    if (!ns || !value_truthy(ns)) {
        json_t *j = repo_team_value(rp, team, "namespace");
        if (j && !obj_set(md, "outputNamespace", json_to_plain_value(r, j, obj->loc)))
            return false;
    }
    value *tp = obj_get(md, "tableProperties");
    if (!tp || !value_truthy(tp)) {
        json_t *j = repo_team_value(rp, team, "table_properties");
        if (j) {
            value *v = json_to_plain_value(r, j, obj->loc);
            if (!v)
                return false;
            obj_set(md, "tableProperties", v);
        }
    }
    value *tv = v_cstr(&r->arena, team, obj->loc);
    return tv && obj_set(md, "team", tv);
}

static char *replace_all(run *r, const char *s, const char *from, const char *to)
{
    tj_buf b = {0};
    size_t fl = strlen(from);
    for (const char *p = s; *p;) {
        const char *hit = strstr(p, from);
        if (!hit) {
            tj_buf_puts(&b, p);
            break;
        }
        tj_buf_put(&b, p, (size_t)(hit - p));
        tj_buf_puts(&b, to);
        p = hit + fl;
    }
    char *out = b.failed ? NULL : arena_strndup(&r->arena, b.data ? b.data : "", b.len);
    tj_buf_free(&b);
    return out;
}

/* Chronon's sanitize: every character outside [A-Za-z0-9_] becomes '_'. */
char *sanitize_name(run *r, const char *s)
{
    char *out = arena_strndup(&r->arena, s, strlen(s));
    for (char *p = out; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            *p = '_';
    return out;
}

static bool fill_strings(run *r, value *list, const char *logged, const char *db)
{
    if (!list || (list->kind != V_LIST && list->kind != V_TUPLE))
        return true;
    for (size_t i = 0; i < list->u.list.len; i++) {
        value *s = list->u.list.items[i];
        if (s->kind != V_STR || !s->u.str.len ||
            (!strstr(s->u.str.data, "{{ logged_table }}") && !strstr(s->u.str.data, "{{ db }}")))
            continue; /* nothing to fill in: the same string */
        char *a = replace_all(r, s->u.str.data, "{{ logged_table }}", logged);
        char *b = a ? replace_all(r, a, "{{ db }}", db) : NULL;
        value *nv = b ? v_cstr(&r->arena, b, s->loc) : NULL;
        if (!nv)
            return false;
        list->u.list.items[i] = nv;
    }
    return true;
}

bool set_templated_values(run *r, value *obj, const char *team)
{
    value *md = md_of(obj);
    if (!md)
        return true;
    const char *db = repo_team_namespace(r->ctx->repo, team);
    db = db ? db : "";
    const char *ns = md_str(obj, "outputNamespace");
    const char *name = md_str(obj, "name");
    char *logged = arena_sprintf(&r->arena, "%s.%s_logged", ns ? ns : "{{ db }}", sanitize_name(r, name ? name : ""));
    if (!logged)
        return false;
    const tj_struct_desc *desc = obj->u.obj->desc;
    if (desc == &chronon_Join_desc) {
        value *bootstrap = obj_get(obj, "bootstrapParts");
        if (bootstrap && (bootstrap->kind == V_LIST || bootstrap->kind == V_TUPLE) && bootstrap->u.list.len) {
            for (size_t i = 0; i < bootstrap->u.list.len; i++) {
                value *bp = bootstrap->u.list.items[i];
                value *table = obj_get(bp, "table");
                if (table && table->kind == V_STR && table->u.str.len) {
                    char *a = replace_all(r, table->u.str.data, "{{ logged_table }}", logged);
                    char *b = a ? replace_all(r, a, "{{ db }}", db) : NULL;
                    value *nv = b ? v_cstr(&r->arena, b, table->loc) : NULL;
                    if (!nv)
                        return false;
                    obj_set(bp, "table", nv);
                }
            }
            if (!fill_strings(r, obj_get(md, "dependencies"), logged, db))
                return false;
        }
        value *label = obj_get(obj, "labelPart");
        value *lmd = label ? obj_get(label, "metaData") : NULL;
        value *deps = lmd ? obj_get(lmd, "dependencies") : NULL;
        if (deps && (deps->kind == V_LIST || deps->kind == V_TUPLE)) {
            char *table = arena_sprintf(&r->arena, "%s.%s", ns ? ns : "None", sanitize_name(r, name ? name : ""));
            for (size_t i = 0; table && i < deps->u.list.len; i++) {
                value *s = deps->u.list.items[i];
                if (s->kind != V_STR)
                    continue;
                char *a = replace_all(r, s->u.str.data, "{{ join_backfill_table }}", table);
                value *nv = a ? v_cstr(&r->arena, a, s->loc) : NULL;
                if (!nv)
                    return false;
                deps->u.list.items[i] = nv;
            }
        }
    } else if (desc == &chronon_GroupBy_desc) {
        if (!fill_strings(r, obj_get(md, "dependencies"), logged, db))
            return false;
    }
    return true;
}
