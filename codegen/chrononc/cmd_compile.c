/* chrononc compile / check: a definitions repo to production/ configs, as
 * chronon-ai's compile.py does it, without running Python.
 *
 *   discover files -> load modules (parse + evaluate) -> name objects
 *   (<team>.<module path>.<var>) -> team metadata and templates from
 *   teams.json -> skip rules -> convert to C types -> JSON -> write the files
 *   whose bytes changed (atomically), then the GroupBys joins pull in.
 *
 * Every error of every file is reported; nothing is written for an object
 * whose conversion failed, and a failed run exits 1. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_deps.h"
#include "atomic_write.h"
#include "chronon_api.h"
#include "commands.h"
#include "loader.h"
#include "read_file.h"
#include "strmap.h"
#include "thrift_values.h"

typedef struct options {
    const char *root;
    const char *input_path;   /* NULL: the whole repo */
    const char *output_root;
    bool force;
    bool check_only;
    bool quiet;
} options;

typedef struct kind_info {
    const char *folder;
    const tj_struct_desc *desc;
} kind_info;

static const kind_info *kinds(size_t *n)
{
    static const kind_info k[] = {
        {"group_bys", &chronon_GroupBy_desc},
        {"joins", &chronon_Join_desc},
        {"staging_queries", &chronon_StagingQuery_desc},
    };
    *n = sizeof k / sizeof k[0];
    return k;
}

/* ---- the run's state ---- */

typedef struct entry {
    const char *key;      /* metaData.name when extracted: the output file's name */
    value *obj;
} entry;

typedef struct entries {
    entry *items;
    size_t len, cap;
} entries;

/* What the validator needs of a Join already materialized under output_root. */
typedef struct old_join {
    char *path;        /* the materialized file */
    char *name;
    bool online, production;
    char **group_bys;  /* names of its join parts' GroupBys */
    size_t group_by_count;
} old_join;

typedef struct run {
    options opt;
    old_join *old_joins;
    size_t old_join_count, old_join_cap;
    /* Joins written since the last "reload": compile.py re-reads the output
     * folder before the extras and before each kind; reading it from disk
     * once and merging what this run wrote is the same, without re-parsing
     * every materialized Join each time. */
    old_join *pending;
    size_t pending_count, pending_cap;
    bool old_joins_loaded;
    arena arena;
    diag_set diags;
    /* compile.py compiles each kind in its own Python process, so each kind
     * gets its own loader: objects mutated while compiling group_bys are not
     * seen by joins. Loaders live until the end (diagnostics point into
     * their files). */
    loader *loaders[3];
    size_t loader_count;
    source_cache *sources; /* each file read and parsed once per run */
    const char *made_dir;  /* the output folder made last: most writes go to the same one */
    loader *loader;
    eval_ctx *ctx;
    size_t written, unchanged, skipped, failed;
    bool tty;
} run;

static bool entries_put(run *r, entries *e, const char *key, value *obj)
{
    /* key -> position: a hash index kept in the items' arena block, after
     * the cap items (moved along when the items grow) */
    strmap *index = e->cap ? (strmap *)(e->items + e->cap) : NULL;
    size_t *at = index ? strmap_get(index, key) : NULL;
    if (at) {
        size_t i = *at;
        /* compile.py keeps the later one silently; two different configs
         * under one name would overwrite each other's file */
        value *prev = e->items[i].obj;
        if (prev->u.obj != obj->u.obj && !value_equal(prev, obj)) {
            diag_error(&r->diags, obj->loc, "duplicate config name %s: two different %ss would be written "
                       "to the same file", key, obj->u.obj->desc->name);
            diag_note(&r->diags, prev->loc, "the other %s named %s is made here", obj->u.obj->desc->name, key);
        }
        e->items[i].obj = obj; /* dict update: later value, first position */
        return true;
    }
    if (e->len == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        entry *n = arena_alloc(&r->arena, cap * sizeof *n + sizeof(strmap));
        if (!n)
            return false;
        if (e->len)
            memcpy(n, e->items, e->len * sizeof *n);
        strmap *moved = (strmap *)(n + cap);
        if (index)
            *moved = *index;
        else
            strmap_init(moved, &r->arena);
        e->items = n;
        e->cap = cap;
        index = moved;
    }
    if (!strmap_put(index, key, e->len))
        return false;
    e->items[e->len].key = key;
    e->items[e->len++].obj = obj;
    return true;
}

/* ---- discovery ---- */

typedef struct paths {
    char **items;
    size_t len, cap;
} paths;

static bool paths_add(run *r, paths *p, const char *s)
{
    if (p->len == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **n = arena_alloc(&r->arena, cap * sizeof *n);
        if (!n)
            return false;
        if (p->len)
            memcpy(n, p->items, p->len * sizeof *n);
        p->items = n;
        p->cap = cap;
    }
    p->items[p->len] = arena_strndup(&r->arena, s, strlen(s));
    return p->items[p->len++] != NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every .py file below rel (relative to the root), sorted, hidden names skipped. */
static bool walk(run *r, const char *rel, paths *out)
{
    char *full = arena_sprintf(&r->arena, "%s/%s", r->opt.root, rel);
    DIR *d = full ? opendir(full) : NULL;
    if (!d)
        return true;
    paths names = {0};
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && !paths_add(r, &names, de->d_name)) {
            closedir(d);
            return false;
        }
    closedir(d);
    qsort(names.items, names.len, sizeof *names.items, cmp_str);
    for (size_t i = 0; i < names.len; i++) {
        char *child = arena_sprintf(&r->arena, "%s/%s", rel, names.items[i]);
        char *child_full = child ? arena_sprintf(&r->arena, "%s/%s", r->opt.root, child) : NULL;
        struct stat st;
        if (!child_full || stat(child_full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (!walk(r, child, out))
                return false;
        } else {
            size_t n = strlen(child);
            if (n > 3 && strcmp(child + n - 3, ".py") == 0 && !paths_add(r, out, child))
                return false;
        }
    }
    return true;
}

/* ---- extraction and naming (compile.py's from_file) ---- */

static value *md_of(value *obj) { return obj_get(obj, "metaData"); }

static const char *md_str(value *obj, const char *field)
{
    value *md = md_of(obj);
    value *v = md ? obj_get(md, field) : NULL;
    return v && v->kind == V_STR ? v->u.str.data : NULL;
}

static bool extract(run *r, module *m, const tj_struct_desc *desc, entries *out)
{
    if (!name_module_objects(r->ctx, m, desc))
        return false;
    if (desc == &chronon_Join_desc) {
        /* GroupBys defined or imported into a join module take the join's team */
        for (size_t i = 0; i < m->attrs->len; i++) {
            value *j = m->attrs->values[i];
            if (j->kind != V_OBJECT || j->u.obj->desc != desc)
                continue;
            value *parts = obj_get(j, "joinParts");
            value *team = md_of(j) ? obj_get(md_of(j), "team") : NULL;
            if (!parts || (parts->kind != V_LIST && parts->kind != V_TUPLE))
                continue;
            for (size_t p = 0; p < parts->u.list.len; p++) {
                value *gb = obj_get(parts->u.list.items[p], "groupBy");
                if (!gb)
                    continue;
                for (size_t k = 0; k < m->attrs->len; k++) {
                    value *inline_gb = m->attrs->values[k];
                    if (inline_gb->kind == V_OBJECT && inline_gb->u.obj->desc == &chronon_GroupBy_desc &&
                        value_equal(inline_gb, gb) && md_of(gb)) {
                        obj_set(md_of(gb), "team", team);
                        break;
                    }
                }
            }
        }
    }
    for (size_t i = 0; i < m->attrs->len; i++) {
        value *obj = m->attrs->values[i];
        if (obj->kind != V_OBJECT || obj->u.obj->desc != desc)
            continue;
        const char *name = md_str(obj, "name");
        if (name && !entries_put(r, out, name, obj))
            return false;
    }
    return true;
}

/* ---- compile.py's edits after extraction ---- */

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

/* outputNamespace ||= team namespace; tableProperties ||= team table_properties; team = team */
static bool set_team_metadata(run *r, value *obj, const char *team)
{
    value *md = md_of(obj);
    if (!md)
        return true;
    repo *rp = r->ctx->repo;
    if (!rp->teams) {
        diag_error(&r->diags, obj->loc, "teams.json not found under %s: compile needs it for team %s's defaults",
                   r->opt.root, team);
        return false;
    }
    if (!json_object_get(rp->teams, team)) {
        diag_error(&r->diags, obj->loc, "team %s does not exist in teams.json", team);
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
static char *sanitize(run *r, const char *s)
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
        if (s->kind != V_STR || !s->u.str.len)
            continue;
        char *a = replace_all(r, s->u.str.data, "{{ logged_table }}", logged);
        char *b = a ? replace_all(r, a, "{{ db }}", db) : NULL;
        value *nv = b ? v_cstr(&r->arena, b, s->loc) : NULL;
        if (!nv)
            return false;
        list->u.list.items[i] = nv;
    }
    return true;
}

static bool set_templated_values(run *r, value *obj, const char *team)
{
    value *md = md_of(obj);
    if (!md)
        return true;
    const char *db = repo_team_namespace(r->ctx->repo, team);
    db = db ? db : "";
    const char *ns = md_str(obj, "outputNamespace");
    const char *name = md_str(obj, "name");
    char *logged = arena_sprintf(&r->arena, "%s.%s_logged", ns ? ns : "{{ db }}", sanitize(r, name ? name : ""));
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
            char *table = arena_sprintf(&r->arena, "%s.%s", ns ? ns : "None", sanitize(r, name ? name : ""));
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

/* ---- writing ---- */

static bool same_bytes(const char *path, const char *data, size_t len)
{
    char why[64];
    size_t old_len;
    char *old = read_file(path, &old_len, why, sizeof why);
    bool same = old && old_len == len && memcmp(old, data, len) == 0;
    free(old);
    return same;
}

static bool mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

static void remember_join(old_join **list, size_t *count, size_t *cap, const chronon_Join *j, const char *path);

/* Convert, serialize and write one object under key. */
static bool write_obj(run *r, const char *folder, const char *key, value *obj)
{
    const char *dot = strchr(key, '.');
    if (!dot) {
        diag_error(&r->diags, obj->loc, "cannot write %s: its name '%s' has no team part (team.name)",
                   obj->u.obj->desc->name, key);
        return false;
    }
    char *team = arena_strndup(&r->arena, key, (size_t)(dot - key));
    const tj_struct_desc *desc = obj->u.obj->desc;
    void *c = calloc(1, desc->size);
    if (!c || !team) {
        free(c);
        eval_oom(r->ctx, obj->loc);
        return false;
    }
    bool ok = value_to_struct(r->ctx, obj, c);
    bool converted = ok; /* c owns memory (value_to_struct frees it on failure) */
    char *json = NULL;
    size_t len = 0;
    if (ok) {
        tj_error err;
        json = tj_to_json(desc, c, &len, &err);
        if (!json) {
            diag_error(&r->diags, obj->loc, "%s %s: %s: %s", desc->name, key, err.path, err.message);
            ok = false;
        }
    }
    char *dir = r->opt.output_root[0] == '/' /* as os.path.join: an absolute output root stands alone */
                    ? arena_sprintf(&r->arena, "%s/%s/%s", r->opt.output_root, folder, team)
                    : arena_sprintf(&r->arena, "%s/%s/%s/%s", r->opt.root, r->opt.output_root, folder, team);
    char *path = dir ? arena_sprintf(&r->arena, "%s/%s", dir, dot + 1) : NULL;
    if (ok && path && !r->opt.check_only && desc == &chronon_Join_desc)
        remember_join(&r->pending, &r->pending_count, &r->pending_cap, c, path);
    if (converted)
        tj_free(desc, c);
    free(c);
    if (ok && !r->opt.check_only) {
        char why[256];
        if (!path) {
            eval_oom(r->ctx, obj->loc);
            ok = false;
        } else if (same_bytes(path, json, len)) {
            r->unchanged++;
        } else if ((!r->made_dir || strcmp(r->made_dir, dir) != 0) && !mkdirs(dir)) {
            diag_error(&r->diags, obj->loc, "cannot create %s: %s", dir, strerror(errno));
            ok = false;
        } else if ((r->made_dir = dir), !atomic_write(path, json, len, ATOMIC_NO_SYNC, why, sizeof why)) {
            diag_error(&r->diags, obj->loc, "cannot write %s: %s", path, why);
            ok = false;
        } else {
            r->written++;
        }

    }
    free(json);
    if (!ok)
        r->failed++;
    return ok;
}

/* ---- the validator's view of what is already materialized ---- */

static void free_join_list(old_join **list, size_t *count, size_t *cap)
{
    for (size_t i = 0; i < *count; i++) {
        free((*list)[i].path);
        free((*list)[i].name);
        for (size_t k = 0; k < (*list)[i].group_by_count; k++)
            free((*list)[i].group_bys[k]);
        free((*list)[i].group_bys);
    }
    free(*list);
    *list = NULL;
    *count = *cap = 0;
}

static void free_old_joins(run *r)
{
    free_join_list(&r->old_joins, &r->old_join_count, &r->old_join_cap);
    free_join_list(&r->pending, &r->pending_count, &r->pending_cap);
}

/* Add what the validator needs of Join j (materialized at path) to a list,
 * replacing an entry for the same file. */
static void remember_join(old_join **list, size_t *count, size_t *cap, const chronon_Join *j, const char *path)
{
    if (!j->metaData)
        return;
    size_t at = *count;
    for (size_t i = 0; i < *count; i++)
        if (strcmp((*list)[i].path, path) == 0)
            at = i;
    if (at == *count) {
        if (*count == *cap) {
            size_t ncap = *cap ? *cap * 2 : 16;
            old_join *n = realloc(*list, ncap * sizeof *n);
            if (!n)
                return;
            *list = n;
            *cap = ncap;
        }
        (*count)++;
    } else {
        old_join *o = &(*list)[at];
        free(o->path);
        free(o->name);
        for (size_t k = 0; k < o->group_by_count; k++)
            free(o->group_bys[k]);
        free(o->group_bys);
    }
    old_join *o = &(*list)[at];
    memset(o, 0, sizeof *o);
    o->path = strdup(path);
    o->name = strdup(j->metaData->name ? j->metaData->name : "");
    o->online = j->metaData->has_online && j->metaData->online;
    o->production = j->metaData->has_production && j->metaData->production;
    o->group_bys = calloc(j->joinParts.len ? j->joinParts.len : 1, sizeof(char *));
    for (size_t p = 0; o->group_bys && p < j->joinParts.len; p++) {
        const chronon_GroupBy *gb = j->joinParts.items[p].groupBy;
        if (gb && gb->metaData && gb->metaData->name)
            o->group_bys[o->group_by_count++] = strdup(gb->metaData->name);
    }
}

static void load_old_join(run *r, const char *path)
{
    char why[64];
    size_t len;
    char *text = read_file(path, &len, why, sizeof why);
    if (!text)
        return;
    chronon_Join j;
    /* a file that is not a Join is not one for the validator either */
    if (chronon_Join_from_json(&j, text, len, 0, NULL) == TJ_OK) {
        remember_join(&r->old_joins, &r->old_join_count, &r->old_join_cap, &j, path);
        chronon_Join_free(&j);
    }
    free(text);
}

static void walk_old(run *r, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *path = arena_sprintf(&r->arena, "%s/%s", dir, de->d_name);
        struct stat st;
        if (!path || stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk_old(r, path);
        else
            load_old_join(r, path);
    }
    closedir(d);
}

static void load_old_joins(run *r)
{
    if (!r->old_joins_loaded) {
        char *dir = r->opt.output_root[0] == '/' ? arena_sprintf(&r->arena, "%s/joins", r->opt.output_root)
                                                 : arena_sprintf(&r->arena, "%s/%s/joins", r->opt.root, r->opt.output_root);
        if (dir)
            walk_old(r, dir);
        r->old_joins_loaded = true;
    }
    for (size_t i = 0; i < r->pending_count; i++) {
        const old_join *p = &r->pending[i];
        /* move the pending entry over (or in place of) the old one */
        size_t at = r->old_join_count;
        for (size_t k = 0; k < r->old_join_count; k++)
            if (strcmp(r->old_joins[k].path, p->path) == 0)
                at = k;
        if (at == r->old_join_count) {
            if (r->old_join_count == r->old_join_cap) {
                size_t cap = r->old_join_cap ? r->old_join_cap * 2 : 16;
                old_join *n = realloc(r->old_joins, cap * sizeof *n);
                if (!n)
                    continue;
                r->old_joins = n;
                r->old_join_cap = cap;
            }
            r->old_join_count++;
        } else {
            old_join *o = &r->old_joins[at];
            free(o->path);
            free(o->name);
            for (size_t k = 0; k < o->group_by_count; k++)
                free(o->group_bys[k]);
            free(o->group_bys);
        }
        r->old_joins[at] = *p;
    }
    free(r->pending);
    r->pending = NULL;
    r->pending_count = r->pending_cap = 0;
}

/* compile.py's GroupBy rules against materialized Joins. A GroupBy used by a
 * production Join becomes production itself (unless explicitly not). */
static bool validate_against_old(run *r, value *gb, tj_buf *errors)
{
    const char *name = md_str(gb, "name");
    value *md = md_of(gb);
    if (!name || !md)
        return true;
    value *online = obj_get(md, "online"), *production = obj_get(md, "production");
    tj_buf online_joins = {0}, production_joins = {0};
    for (size_t i = 0; i < r->old_join_count; i++) {
        old_join *o = &r->old_joins[i];
        bool uses = false;
        for (size_t k = 0; k < o->group_by_count && !uses; k++)
            uses = strcmp(o->group_bys[k], name) == 0;
        if (!uses)
            continue;
        if (o->online) {
            tj_buf_puts(&online_joins, online_joins.len ? ", " : "");
            tj_buf_puts(&online_joins, o->name);
        }
        if (o->production) {
            tj_buf_puts(&production_joins, production_joins.len ? ", " : "");
            tj_buf_puts(&production_joins, o->name);
        }
    }
    bool ok = true;
    if (online && online->kind == V_BOOL && !online->u.b && online_joins.len) {
        tj_buf_printf(errors, "%sgroup_by %s is explicitly marked offline but included in the following online joins: %s",
                      errors->len ? ", " : "", name, online_joins.data);
        ok = false;
    }
    if (production_joins.len) {
        if (production && production->kind == V_BOOL && !production->u.b) {
            tj_buf_printf(errors, "%sgroup_by %s is explicitly marked as non-production but included in the "
                                  "following production joins: %s",
                          errors->len ? ", " : "", name, production_joins.data);
            ok = false;
        } else {
            value *t = v_bool(&r->arena, true, gb->loc);
            if (t)
                obj_set(md, "production", t);
        }
    }
    tj_buf_free(&online_joins);
    tj_buf_free(&production_joins);
    return ok;
}


/* ---- compile.py's validator rules on the objects themselves ---- */

static bool is_list(const value *v) { return v && (v->kind == V_LIST || v->kind == V_TUPLE); }

static bool push_str(run *r, value *list, const char *s, src_loc loc)
{
    value *v = v_cstr(&r->arena, s, loc);
    return v && v_list_push(&r->arena, list, v);
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
    value *out = v_list(&r->arena, V_LIST, 0, gb->loc);
    value *aggs = obj_get(gb, "aggregations");
    if (!out)
        return NULL;
    if (is_list(aggs) && aggs->u.list.len) {
        for (size_t i = 0; i < aggs->u.list.len; i++) {
            value *names = group_by_output_col_names(r->ctx, aggs->u.list.items[i], gb->loc);
            for (size_t k = 0; is_list(names) && k < names->u.list.len; k++)
                if (!v_list_push(&r->arena, out, names->u.list.items[k]))
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
            if (!v_list_push(&r->arena, out, sel->u.dict->keys[k]))
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
    value *out = v_list(&r->arena, V_LIST, 0, cols->loc);
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
                if (!consumed && !v_list_push(&r->arena, out, cols->u.list.items[c]))
                    return NULL;
            }
        } else if (name && !v_list_push(&r->arena, out, name)) {
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

static void check_derivations(run *r, value *key_cols, value *cols, value *derivations, tj_buf *errors)
{
    bool wildcard = false;
    for (size_t i = 0; i < derivations->u.list.len; i++) {
        value *e = obj_get(derivations->u.list.items[i], "expression");
        wildcard |= e && e->kind == V_STR && strcmp(e->u.str.data, "*") == 0;
    }
    value *seen = v_list(&r->arena, V_LIST, 0, cols->loc);
    for (size_t i = 0; seen && wildcard && i < cols->u.list.len; i++)
        if (!list_has(seen, cols->u.list.items[i]->u.str.data))
            v_list_push(&r->arena, seen, cols->u.list.items[i]);
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
                tj_buf_printf(errors, "%sIncorrect derivation expression %s, expression not found in pre-derived columns ",
                              errors->len ? ", " : "", e->u.str.data);
                value_repr(errors, cols);
            }
        }
        if (name && name->kind == V_STR && strcmp(name->u.str.data, "*") != 0) {
            if (list_has(seen, name->u.str.data) && !list_has(key_cols, name->u.str.data))
                tj_buf_printf(errors, "%sIncorrect derivation name %s due to output column name conflict",
                              errors->len ? ", " : "", name->u.str.data);
            else if (!list_has(seen, name->u.str.data))
                v_list_push(&r->arena, seen, name);
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

static void validate_group_by_rules(run *r, value *gb, tj_buf *errors)
{
    const char *name = md_str(gb, "name");
    value *derivations = obj_get(gb, "derivations");
    if (is_list(derivations) && derivations->u.list.len) {
        value *keys = obj_get(gb, "keyColumns");
        value *cols = pre_derived_features(r, gb);
        for (size_t i = 0; cols && is_list(keys) && i < keys->u.list.len; i++)
            v_list_push(&r->arena, cols, keys->u.list.items[i]);
        if (cols)
            check_derivations(r, keys, cols, derivations, errors);
    }
    value *md = md_of(gb);
    if (md && bad_date(obj_get(md, "deprecationDate")))
        tj_buf_printf(errors, "%sDeprecation date is not in the correct format for group_by %s",
                      errors->len ? ", " : "", name ? name : "None");
    value *sources = obj_get(gb, "sources");
    for (size_t i = 0; is_list(sources) && i < sources->u.list.len; i++) {
        value *ev = obj_get(sources->u.list.items[i], "events");
        value *cum = ev ? obj_get(ev, "isCumulative") : NULL;
        value *q = ev ? obj_get(ev, "query") : NULL;
        if (cum && value_truthy(cum) && (!q || !obj_get(q, "timeColumn"))) {
            value *t = obj_get(ev, "table");
            tj_buf_printf(errors, "%sPlease set query.timeColumn for Cumulative Events Table: %s",
                          errors->len ? ", " : "", t && t->kind == V_STR ? t->u.str.data : "None");
        }
    }
}

static void validate_join_rules(run *r, value *join, const char *key, tj_buf *errors, bool parts_ok)
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
        bool materialized = false;
        for (size_t i = 0; gname && i < r->old_join_count && !materialized; i++)
            for (size_t k = 0; k < r->old_joins[i].group_by_count && !materialized; k++)
                materialized = strcmp(r->old_joins[i].group_bys[k], gname) == 0;
        if (jprod && value_truthy(jprod) && materialized && gprod && gprod->kind == V_BOOL && !gprod->u.b)
            tj_buf_printf(&nonprod, "%s%s", nonprod.len ? ", " : "", gname);
    }
    if (nonprod.len)
        tj_buf_printf(errors, "%sjoin %s is production but includes the following non production group_bys: %s",
                      errors->len ? ", " : "", key, nonprod.data);
    if (offline.len)
        tj_buf_printf(errors, "%sjoin %s is online but includes the following offline group_bys: %s",
                      errors->len ? ", " : "", key, offline.data);
    tj_buf_free(&offline);
    tj_buf_free(&nonprod);
    if (md && bad_date(obj_get(md, "deprecationDate")))
        tj_buf_printf(errors, "%sDeprecation date is not in the correct format for join %s", errors->len ? ", " : "", key);
    value *derivations = obj_get(join, "derivations");
    if (parts_ok && is_list(derivations) && derivations->u.list.len) {
        value *left = obj_get(join, "left"), *inner = NULL;
        if (left && !(inner = obj_get(left, "events")) && !(inner = obj_get(left, "entities")))
            inner = obj_get(left, "joinSource");
        value *q = inner ? obj_get(inner, "query") : NULL;
        value *sel = q ? obj_get(q, "selects") : NULL;
        value *left_cols = v_list(&r->arena, V_LIST, 0, join->loc);
        value *cols = v_list(&r->arena, V_LIST, 0, join->loc);
        if (!left_cols || !cols)
            return;
        for (size_t k = 0; sel && sel->kind == V_DICT && k < sel->u.dict->len; k++)
            v_list_push(&r->arena, left_cols, sel->u.dict->keys[k]);
        for (size_t p = 0; is_list(parts) && p < parts->u.list.len; p++) {
            value *jp = parts->u.list.items[p];
            value *gb = obj_get(jp, "groupBy");
            value *feats = gb ? pre_derived_features(r, gb) : NULL;
            value *derived = feats ? derived_columns(r, feats, obj_get(gb, "derivations")) : NULL;
            value *prefix = obj_get(jp, "prefix");
            const char *gname = md_str(gb, "name");
            char *gprefix = arena_strndup(&r->arena, gname ? gname : "None", strlen(gname ? gname : "None"));
            for (char *c = gprefix; c && *c; c++)
                if (*c == '.')
                    *c = '_';
            for (size_t c = 0; derived && gprefix && c < derived->u.list.len; c++) {
                char *col = arena_sprintf(&r->arena, "%s%s%s_%s",
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
            char *san = sname && sname->kind == V_STR ? sanitize(r, sname->u.str.data) : NULL;
            for (size_t k = 0; san && is_list(params) && k < params->u.list.len; k++) {
                value *pn = obj_get(params->u.list.items[k], "name");
                char *col = arena_sprintf(&r->arena, "ext_%s%s%s_%s",
                                          prefix && value_truthy(prefix) ? prefix->u.str.data : "",
                                          prefix && value_truthy(prefix) ? "_" : "", san,
                                          pn && pn->kind == V_STR ? pn->u.str.data : "None");
                if (col)
                    push_str(r, cols, col, join->loc);
            }
        }
        for (size_t k = 0; k < left_cols->u.list.len; k++)
            v_list_push(&r->arena, cols, left_cols->u.list.items[k]);
        check_derivations(r, left_cols, cols, derivations, errors);
    }
}

static void validate_staging_query_rules(run *r, value *sq, const char *key, tj_buf *errors)
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
        tj_buf_printf(errors, "%sStagingQuery '%s' with createView=True cannot contain date templates: %s%s%s. Views should "
                              "contain all data and use partition pushdown for filtering.",
                      errors->len ? ", " : "", key, found[0] ? "start_date" : "", found[0] && found[1] ? ", " : "",
                      found[1] ? "end_date" : "");
}

/* Validate before writing; errors block the write (compile.py: "Could not write"). */
static bool validate(run *r, value *obj, const char *key)
{
    tj_buf errors = {0};
    const tj_struct_desc *desc = obj->u.obj->desc;
    if (desc == &chronon_GroupBy_desc) {
        validate_against_old(r, obj, &errors);
        validate_group_by_rules(r, obj, &errors);
    } else if (desc == &chronon_Join_desc) {
        value *parts = obj_get(obj, "joinParts");
        bool parts_ok = true;
        for (size_t p = 0; is_list(parts) && p < parts->u.list.len; p++) {
            value *gb = obj_get(parts->u.list.items[p], "groupBy");
            tj_buf part_errors = {0};
            if (gb) {
                validate_against_old(r, gb, &part_errors);
                validate_group_by_rules(r, gb, &part_errors);
            }
            if (part_errors.len) {
                tj_buf_printf(&errors, "%sjoin %s's underlying %s", errors.len ? ", " : "", key, part_errors.data);
                parts_ok = false;
            }
            tj_buf_free(&part_errors);
        }
        validate_join_rules(r, obj, key, &errors, parts_ok);
    } else if (desc == &chronon_StagingQuery_desc) {
        validate_staging_query_rules(r, obj, key, &errors);
    }
    bool ok = errors.len == 0 && !errors.failed;
    if (!ok)
        diag_error(&r->diags, obj->loc, "Could not write %s %s: %s", desc->name,
                   strchr(key, '.') ? strchr(key, '.') + 1 : key, errors.data ? errors.data : "out of memory");
    tj_buf_free(&errors);
    return ok;
}

/* GroupBys are written only when something needs a batch job for them. */
static bool skip_group_by(value *obj)
{
    value *md = md_of(obj);
    value *online = md ? obj_get(md, "online") : NULL;
    value *backfill = obj_get(obj, "backfillStartDate");
    return !(online && value_truthy(online)) && !(backfill && value_truthy(backfill));
}

static bool compile_kind(run *r, const kind_info *k, const char *input_rel)
{
    r->loader = loader_new(r->opt.root, &r->arena, &r->diags, r->sources);
    if (!r->loader) {
        src_loc none = {0};
        diag_error(&r->diags, none, "out of memory");
        return false;
    }
    r->loaders[r->loader_count++] = r->loader;
    r->ctx = loader_ctx(r->loader);
    paths files = {0};
    char *full = arena_sprintf(&r->arena, "%s/%s", r->opt.root, input_rel);
    struct stat st;
    if (!full || stat(full, &st) != 0) {
        src_loc none = {0};
        diag_error(&r->diags, none, "input path %s does not exist under %s", input_rel, r->opt.root);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        char *rel = arena_strndup(&r->arena, input_rel, strlen(input_rel));
        size_t n = strlen(rel);
        while (n > 1 && rel[n - 1] == '/')
            rel[--n] = '\0';
        if (!walk(r, rel, &files))
            return false;
    } else if (!paths_add(r, &files, input_rel)) {
        return false;
    }
    load_old_joins(r);
    entries found = {0};
    for (size_t i = 0; i < files.len; i++) {
        if (r->tty && !r->opt.quiet) /* a progress line, redrawn in place on a terminal */
            fprintf(stderr, "\r\033[K%s: %zu/%zu %s", k->folder, i + 1, files.len, files.items[i]);
        module *m = loader_load_path(r->loader, files.items[i]);
        if (!m || m->has_errors)
            continue;
        if (!extract(r, m, k->desc, &found))
            return false;
    }
    if (r->tty && !r->opt.quiet)
        fprintf(stderr, "\r\033[K");
    entries extras = {0};
    for (size_t i = 0; i < found.len; i++) {
        entry *e = &found.items[i];
        const char *dot = strchr(e->key, '.');
        char *team = arena_strndup(&r->arena, e->key, dot ? (size_t)(dot - e->key) : strlen(e->key));
        if (!team || !set_team_metadata(r, e->obj, team))
            continue;
        if (k->desc == &chronon_GroupBy_desc) {
            value *sources = obj_get(e->obj, "sources");
            for (size_t s = 0; sources && (sources->kind == V_LIST || sources->kind == V_TUPLE) &&
                               s < sources->u.list.len; s++) {
                value *js = obj_get(sources->u.list.items[s], "joinSource");
                value *parent = js ? obj_get(js, "join") : NULL;
                if (parent)
                    set_team_metadata(r, parent, team);
            }
        }
        if (!set_templated_values(r, e->obj, team))
            return false;
        if (k->desc == &chronon_GroupBy_desc && !r->opt.force && skip_group_by(e->obj)) {
            r->skipped++;
            continue;
        }
        if (!validate(r, e->obj, e->key) || !write_obj(r, k->folder, e->key, e->obj))
            continue;
        if (k->desc == &chronon_Join_desc) {
            /* join parts that are online or backfilled get their own files */
            value *parts = obj_get(e->obj, "joinParts");
            tj_buf offline = {0};
            size_t offline_count = 0;
            for (size_t p = 0; parts && (parts->kind == V_LIST || parts->kind == V_TUPLE) && p < parts->u.list.len; p++) {
                value *gb = obj_get(parts->u.list.items[p], "groupBy");
                if (!gb)
                    continue;
                value *online = md_of(gb) ? obj_get(md_of(gb), "online") : NULL;
                value *backfill = obj_get(gb, "backfillStartDate");
                const char *gname = md_str(gb, "name");
                bool is_online = online && value_truthy(online);
                if ((is_online || (backfill && value_truthy(backfill))) && gname) {
                    if (!entries_put(r, &extras, gname, gb))
                        return false;
                }
                if (!is_online) {
                    tj_buf_puts(&offline, offline_count++ ? ", '" : "'");
                    tj_buf_puts(&offline, gname ? gname : "None");
                    tj_buf_putc(&offline, '\'');
                }
            }
            value *jonline = md_of(e->obj) ? obj_get(md_of(e->obj), "online") : NULL;
            if (jonline && value_truthy(jonline) && offline_count) {
                diag_error(&r->diags, e->obj->loc,
                           "You must make all dependent GroupBys `online` if you want to make your join [%s] "
                           "`online`. You can do this by passing the `online=True` argument to the GroupBy "
                           "constructor. Fix the following: [%s]",
                           e->key, offline.data ? offline.data : "");
            }
            tj_buf_free(&offline);
        }
    }
    if (extras.len)
        load_old_joins(r); /* now including the Joins just written */
    for (size_t i = 0; i < extras.len; i++) {
        entry *e = &extras.items[i];
        const char *dot = strchr(e->key, '.');
        char *team = arena_strndup(&r->arena, e->key, dot ? (size_t)(dot - e->key) : strlen(e->key));
        if (team && set_team_metadata(r, e->obj, team) && validate(r, e->obj, e->key))
            write_obj(r, "group_bys", e->key, e->obj);
    }
    return true;
}

static void usage(FILE *out, const char *cmd)
{
    fprintf(out,
            "usage: chrononc %s [--chronon_root DIR] [--input_path PATH] [--output_root DIR]\n"
            "                 [--force-overwrite] [-y]\n"
            "\n"
            "Compile Chronon definitions (group_bys/, joins/, staging_queries/ under the root)\n"
            "into JSON configs under <root>/<output_root>/, byte for byte what chronon-ai's\n"
            "compile.py writes. Without --input_path, the whole repo. Nothing is executed;\n"
            "every error of every file is reported as file:line:col.\n"
            "\n"
            "  --chronon_root DIR   the repo (default: $CHRONON_ROOT, else the current folder)\n"
            "  --input_path PATH    a file or folder under the root, starting with group_bys/,\n"
            "                       joins/ or staging_queries/ (also --conf)\n"
            "  --output_root DIR    default: production\n"
            "  --force-overwrite    also write GroupBys that need no batch job\n"
            "  -y, --yes            accepted for compile.py compatibility; chrononc never prompts\n"
            "  -q, --quiet          no summary line\n",
            cmd);
}

static int run_compile(int argc, char **argv, bool check_only)
{
    const char *cmd = check_only ? "check" : "compile";
    options opt = {.root = getenv("CHRONON_ROOT"), .output_root = "production", .check_only = check_only};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
#define TAKES(flag) (strcmp(a, flag) == 0 ? (i + 1 < argc ? (val = argv[++i]) != NULL : false) \
                     : (strncmp(a, flag "=", sizeof(flag)) == 0 ? (val = a + sizeof(flag)) != NULL : false))
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, cmd);
            return 0;
        } else if (TAKES("--chronon_root")) {
            opt.root = val;
        } else if (TAKES("--input_path") || TAKES("--conf")) {
            opt.input_path = val;
        } else if (TAKES("--output_root")) {
            opt.output_root = val;
        } else if (strcmp(a, "--force-overwrite") == 0) {
            opt.force = true;
        } else if (strcmp(a, "-y") == 0 || strcmp(a, "--yes") == 0 || strcmp(a, "--debug") == 0) {
            /* nothing to confirm: chrononc never prompts */
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            opt.quiet = true;
        } else {
            fprintf(stderr, "chrononc %s: unknown option '%s'\n", cmd, a);
            usage(stderr, cmd);
            return 2;
        }
#undef TAKES
    }
    if (!opt.root || !*opt.root)
        opt.root = ".";
    size_t nkinds;
    const kind_info *k = kinds(&nkinds);
    const kind_info *only = NULL;
    if (opt.input_path) {
        size_t n = strcspn(opt.input_path, "/");
        for (size_t i = 0; i < nkinds; i++)
            if (strlen(k[i].folder) == n && strncmp(opt.input_path, k[i].folder, n) == 0)
                only = &k[i];
        if (!only) {
            fprintf(stderr, "chrononc %s: --input_path must start with group_bys/, joins/ or staging_queries/, "
                            "got '%s'\n", cmd, opt.input_path);
            return 2;
        }
    }
    run r = {.opt = opt, .tty = isatty(2)};
    arena_init(&r.arena);
    diag_init(&r.diags);
    r.sources = source_cache_new(&r.arena);
    int status = 1;
    if (only) {
        compile_kind(&r, only, opt.input_path);
    } else {
        for (size_t i = 0; i < nkinds; i++) {
            char *full = arena_sprintf(&r.arena, "%s/%s", opt.root, k[i].folder);
            struct stat st;
            if (full && stat(full, &st) == 0 && S_ISDIR(st.st_mode))
                compile_kind(&r, &k[i], k[i].folder);
        }
    }
    diag_print(&r.diags, stderr, r.tty);
    status = r.diags.errors ? 1 : 0;
    if (!opt.quiet) {
        if (check_only)
            fprintf(stderr, "chrononc check: %zu error%s\n", r.diags.errors, r.diags.errors == 1 ? "" : "s");
        else
            fprintf(stderr, "chrononc compile: %zu written, %zu unchanged, %zu skipped (no batch job needed), "
                            "%zu failed; %zu error%s\n",
                    r.written, r.unchanged, r.skipped, r.failed, r.diags.errors, r.diags.errors == 1 ? "" : "s");
    }
    for (size_t i = 0; i < r.loader_count; i++)
        loader_free(r.loaders[i]);
    source_cache_free(r.sources);
    free_old_joins(&r);
    diag_free(&r.diags);
    arena_free(&r.arena);
    return status;
}

int cmd_compile(int argc, char **argv) { return run_compile(argc, argv, false); }
int cmd_check(int argc, char **argv) { return run_compile(argc, argv, true); }
