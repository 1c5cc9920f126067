/* Names of configs, as compile.py derives them: from the module path and the
 * variable a Thrift object is bound to. Chronon finds the module through the
 * garbage collector at run time; here the repo's loaded modules are scanned
 * in load order, which is the defining module first. Also teams.json. */
#include <string.h>

#include "chronon_api.h"
#include "repo.h"
#include "thrift_values.h"

json_t *repo_team_value(const repo *r, const char *team, const char *key)
{
    if (!r->teams)
        return NULL;
    json_t *t = json_object_get(r->teams, team);
    json_t *v = t ? json_object_get(t, key) : NULL;
    if (!v) {
        json_t *d = json_object_get(r->teams, "default");
        v = d ? json_object_get(d, key) : NULL;
    }
    return v;
}

const char *repo_team_namespace(const repo *r, const char *team)
{
    json_t *ns = repo_team_value(r, team, "namespace");
    return json_is_string(ns) ? json_string_value(ns) : NULL;
}

bool module_binds(const module *m, const value *obj)
{
    for (size_t k = 0; k < m->attrs->len; k++) {
        const value *v = m->attrs->values[k];
        if (v == obj || (v->kind == V_OBJECT && obj->kind == V_OBJECT && v->u.obj == obj->u.obj))
            return true;
    }
    return false;
}

module *find_defining_module(eval_ctx *ctx, const value *obj, const char *prefix)
{
    size_t plen = strlen(prefix);
    repo *r = ctx->repo;
    /* Python's gc finds the module whose file made the object first; an
     * object re-exported by other modules is theirs only if its own module
     * does not bind it. */
    const source_file *made_in = obj->loc.file;
    size_t *first = made_in ? strmap_get(&r->modules_by_file, made_in->path) : NULL;
    for (module *m = first ? r->modules[*first] : NULL; m; m = m->next_same_file)
        if (strncmp(m->name, prefix, plen) == 0 && module_binds(m, obj))
            return m;
    for (size_t i = 0; i < r->module_count; i++) {
        module *m = r->modules[i];
        if (strncmp(m->name, prefix, plen) == 0 && module_binds(m, obj))
            return m;
    }
    return NULL;
}

/* metaData of obj, made if unset; NULL when out of memory or obj has no such field. */
static value *metadata_of(eval_ctx *ctx, value *obj, src_loc loc)
{
    value *md = obj_get(obj, "metaData");
    if (md)
        return md;
    md = thrift_new(ctx, &chronon_MetaData_desc, loc);
    if (md->kind == V_ERROR || !obj_set(obj, "metaData", md))
        return NULL;
    return md;
}

static bool name_objects(eval_ctx *ctx, module *m, const tj_struct_desc *desc)
{
    const char *after_first_dot = strchr(m->name, '.');
    after_first_dot = after_first_dot ? after_first_dot + 1 : m->name;
    char team[256] = "";
    if (after_first_dot != m->name) {
        size_t n = strcspn(after_first_dot, ".");
        if (n < sizeof team) {
            memcpy(team, after_first_dot, n);
            team[n] = '\0';
        }
    }
    for (size_t k = 0; k < m->attrs->len; k++) {
        value *obj = m->attrs->values[k];
        if (obj->kind != V_OBJECT || obj->u.obj->desc != desc)
            continue;
        /* a copy: m's globals may be copied out of the arena they are in */
        const char *var = arena_strndup(ctx->arena, m->attrs->keys[k]->u.str.data, m->attrs->keys[k]->u.str.len);
        src_loc loc = obj->loc;
        value *md = metadata_of(ctx, obj, loc);
        char *name = arena_sprintf(ctx->arena, "%s.%s", after_first_dot, var);
        value *nv = name ? v_cstr(ctx->arena, name, loc) : NULL;
        value *tv = v_cstr(ctx->arena, team, loc);
        if (!md || !nv || !tv || !var)
            return false;
        obj_set(md, "name", nv);
        obj_set(md, "team", tv);
        obj->u.obj->bound_module = m;
        obj->u.obj->bound_name = var;
    }
    return true;
}

bool name_module_objects(eval_ctx *ctx, module *m, const tj_struct_desc *desc)
{
    /* m's objects may be older than the module running now (JoinPart names
     * an imported GroupBy): their names are made where m's values live */
    arena *running = ctx->arena;
    if (ctx->keep)
        ctx->arena = ctx->keep;
    bool ok = name_objects(ctx, m, desc);
    ctx->arena = running;
    return ok;
}

const char *current_team(eval_ctx *ctx)
{
    const source_file *f = ctx->module ? ctx->module->file : NULL;
    if (!f)
        return "";
    /* the folder holding the file: second-to-last path component */
    const char *path = f->path;
    const char *last = strrchr(path, '/');
    if (!last)
        return "";
    const char *start = last;
    while (start > path && start[-1] != '/')
        start--;
    char *team = arena_strndup(ctx->arena, start, (size_t)(last - start));
    return team ? team : "";
}
