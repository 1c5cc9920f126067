/* chrononc compile / check: a definitions repo to production/ configs, as
 * chronon-ai's compile.py does it, without running Python.
 *
 *   discover files -> load modules (parse + evaluate) -> name objects
 *   (<team>.<module path>.<var>) -> team metadata and templates from
 *   teams.json -> skip rules -> convert to C types -> JSON -> write the files
 *   whose bytes changed (atomically), then the GroupBys joins pull in.
 *
 * This file is the driver: discovery, extraction, the writes and what they
 * drag along. The team defaults and templates are in team_defaults.c, the
 * validator's rules in validate.c; the state they share in compile_run.h.
 *
 * Every error of every file is reported; nothing is written for an object
 * whose conversion failed, and a failed run exits 1. */
#define _DEFAULT_SOURCE /* d_type: DT_DIR, DT_REG */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_deps.h"
#include "atomic_write.h"
#include "chronon_api.h"
#include "chronon_c_version.h"
#include "commands.h"
#include "compile_state.h"
#include "env_preserve.h"
#include "importers.h"
#include "loader.h"
#include "make_dirs.h"
#include "materialized.h"
#include "read_file.h"
#include "strmap.h"
#include "thrift_values.h"
#include "write_queue.h"

#include "compile_run.h"

/* Configs queued before the write threads run: bounds the memory the
 * converted structs take. */
#define WRITE_BATCH 512
/* Files parsed ahead at a time: their trees wait for evaluation, two
 * windows' at once (one running, the next parsed in the background). 64:
 * at 256 the peak at 10,000 configs of 25 per file grew from 140 to 158 MB
 * (bench/README.md). CHRONONC_PREFILL_WINDOW, for the tests. */
#define PREFILL_WINDOW 64

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

static bool entries_put(run *r, entries *e, const char *key, value *obj)
{
    if (!e->cap)
        strmap_init(&e->index, &r->arena);
    size_t *at = strmap_get(&e->index, key);
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
        entry *n = arena_alloc(&r->arena, cap * sizeof *n);
        if (!n)
            return false;
        if (e->len)
            memcpy(n, e->items, e->len * sizeof *n);
        e->items = n;
        e->cap = cap;
    }
    if (!strmap_put(&e->index, key, e->len))
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

static int cmp_typed_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Every .py file below rel (relative to the root), sorted, hidden names
 * skipped. The entry types readdir gives save a stat per file; an unknown
 * type or a symbolic link is stat()ed (followed). */
static bool walk(run *r, const char *rel, paths *out)
{
    char *full = arena_sprintf(&r->arena, "%s/%s", r->opt.root, rel);
    DIR *d = full ? opendir(full) : NULL;
    if (!d)
        return true;
    paths names = {0}; /* each prefixed with its type: d(ir), f(ile), ?(stat it) */
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char type = de->d_type == DT_DIR ? 'd' : de->d_type == DT_REG ? 'f' : '?';
        char *typed = arena_sprintf(&r->arena, "%c%s", type, de->d_name);
        if (!typed || !paths_add(r, &names, typed)) {
            closedir(d);
            return false;
        }
    }
    closedir(d);
    qsort(names.items, names.len, sizeof *names.items, cmp_typed_name);
    for (size_t i = 0; i < names.len; i++) {
        char type = names.items[i][0];
        char *child = arena_sprintf(&r->arena, "%s/%s", rel, names.items[i] + 1);
        if (!child)
            return false;
        size_t n = strlen(child);
        bool py = n > 3 && strcmp(child + n - 3, ".py") == 0;
        if (type == 'f' && !py)
            continue;
        if (type == '?') {
            char *child_full = arena_sprintf(&r->arena, "%s/%s", r->opt.root, child);
            struct stat st;
            if (!child_full || stat(child_full, &st) != 0)
                continue;
            type = S_ISDIR(st.st_mode) ? 'd' : 'f';
        }
        if (type == 'd') {
            if (!walk(r, child, out))
                return false;
        } else if (py && !paths_add(r, out, child)) {
            return false;
        }
    }
    return true;
}

/* ---- extraction and naming (compile.py's from_file) ---- */

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

/* ---- writing ---- */

/* A write failed with errnum: the first failure of each errno is reported,
 * the later ones are counted (reported as one note at the end). */
static void report_write_failure(run *r, const write_job *j)
{
    size_t n = sizeof r->failed_errnum / sizeof r->failed_errnum[0];
    for (size_t i = 0; i < n; i++) {
        if (r->failed_errnum[i] == j->errnum && j->errnum) {
            r->failed_more[i]++;
            return;
        }
        if (!r->failed_errnum[i]) {
            r->failed_errnum[i] = j->errnum;
            break;
        }
    }
    diag_error(&r->diags, j->loc, "cannot write %s: %s", j->path, j->error);
}

static void report_more_write_failures(run *r)
{
    size_t n = sizeof r->failed_errnum / sizeof r->failed_errnum[0];
    for (size_t i = 0; i < n && r->failed_errnum[i]; i++)
        if (r->failed_more[i])
            diag_add(&r->diags, DIAG_NOTE, (src_loc){0}, "%zu more config%s could not be written: %s",
                     r->failed_more[i], r->failed_more[i] == 1 ? "" : "s", strerror(r->failed_errnum[i]));
}

enum output_dir_state { DIR_EXISTED = 1, DIR_CREATED, DIR_FAILED };

/* Temporary files a killed run left in dir (hidden: no reader lists them),
 * removed. Only under the run's lock: no live writer owns them then. */
static void remove_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)))
        if (atomic_is_temp_name(de->d_name))
            unlinkat(dirfd(d), de->d_name, 0);
    closedir(d);
}

/* The folder a config goes to, made the first time the run needs it (here on
 * the main thread: the writer threads only write). Failure is reported once
 * per folder. */
static enum output_dir_state output_dir(run *r, const char *dir, src_loc loc)
{
    size_t *known = strmap_get(&r->dirs, dir);
    if (known)
        return (enum output_dir_state)*known;
    bool created = false;
    enum output_dir_state state;
    if (make_dirs_created(dir, 0777, &created)) {
        state = created ? DIR_CREATED : DIR_EXISTED;
        if (!created)
            remove_stale_temps(dir);
    } else {
        diag_error(&r->diags, loc, "cannot create the folder %s: %s", dir, strerror(errno));
        state = DIR_FAILED;
    }
    char *key = arena_strndup(&r->run_arena, dir, strlen(dir));
    if (!key || !strmap_put(&r->dirs, key, state))
        return DIR_FAILED;
    return state;
}

/* Run the queued writes; report their outcomes in the order they were queued. */
static void flush_writes(run *r)
{
    write_queue_run(&r->writes);
    for (size_t i = 0; i < r->writes.len; i++) {
        const write_job *j = &r->writes.jobs[i];
        switch (j->outcome) {
        case JOB_WRITTEN:
            r->written++;
            break;
        case JOB_UNCHANGED:
            r->unchanged++;
            break;
        case JOB_CHECKED:
            break;
        case JOB_DIFFERS:
            r->differing++;
            tj_buf_puts(&r->differing_paths, j->path);
            tj_buf_putc(&r->differing_paths, '\n');
            break;
        case JOB_JSON_FAILED:
            diag_error(&r->diags, j->loc, "%s %s: %s: %s", j->desc->name, j->key, j->error_path, j->error);
            break;
        case JOB_ENV_FAILED:
            diag_error(&r->diags, j->loc, "%s %s: cannot keep the modeToEnvMap of %s: %s", j->desc->name, j->key,
                       j->path, j->error);
            break;
        case JOB_WRITE_FAILED:
            report_write_failure(r, j);
            break;
        }
        if (j->outcome != JOB_WRITTEN && j->outcome != JOB_UNCHANGED && j->outcome != JOB_CHECKED &&
            j->outcome != JOB_DIFFERS)
            r->failed++;
    }
    write_queue_clear(&r->writes);
}

/* A Join whose definition leaves samplePercent unset while its materialized
 * file has one: compile.py asks whether to drop it (logging stops) or keep it
 * (respect_existing_sample_percent). chrononc never asks: it drops it with a
 * warning, or keeps it with --preserve-sample-percent. */
static bool check_sample_percent(run *r, value *obj, const char *path)
{
    value *md = md_of(obj);
    value *sp = md ? obj_get(md, "samplePercent") : NULL;
    if (!md || (sp && sp->kind != V_NONE))
        return true;
    char why[64];
    size_t len;
    char *text = read_file(path, &len, why, sizeof why);
    json_t *old = text ? json_loadb(text, len, 0, NULL) : NULL;
    json_t *old_sp = json_object_get(json_object_get(old, "metaData"), "samplePercent");
    bool ok = true;
    const char *name = md_str(obj, "name") ? md_str(obj, "name") : "None";
    if (json_is_number(old_sp) && r->opt.preserve_sample_percent) {
        value *v = v_float(&r->arena, json_number_value(old_sp), obj->loc);
        ok = v && obj_set(md, "samplePercent", v);
        if (ok)
            diag_add(&r->diags, DIAG_WARNING, obj->loc, "Join %s keeps samplePercent %g from %s: its definition "
                     "sets none", name, json_number_value(old_sp), path);
    } else if (json_is_number(old_sp) && json_number_value(old_sp) > 0) {
        diag_add(&r->diags, DIAG_WARNING, obj->loc, "Join %s drops samplePercent %g (%s): its definition sets none, "
                 "which disables logging; pass --preserve-sample-percent to keep it",
                 name, json_number_value(old_sp), path);
    }
    json_decref(old);
    free(text);
    return ok;
}

/* Convert, serialize and write one object under key: compile.py's _write_obj
 * after its skip and validation steps. */
static write_result write_obj(run *r, const char *folder, const char *key, value *obj)
{
    const char *dot = strchr(key, '.');
    if (!dot) {
        diag_error(&r->diags, obj->loc, "cannot write %s: its name '%s' has no team part (team.name)",
                   obj->u.obj->desc->name, key);
        r->failed++;
        return WRITE_FAILED;
    }
    const tj_struct_desc *desc = obj->u.obj->desc;
    char *team = arena_strndup(&r->arena, key, (size_t)(dot - key));
    char *dir = team ? arena_sprintf(&r->arena, "%s/%s/%s", r->output_dir, folder, team) : NULL;
    char *path = dir ? arena_sprintf(&r->arena, "%s/%s", dir, dot + 1) : NULL;
    void *c = calloc(1, desc->size);
    if (!c || !path) {
        free(c);
        eval_oom(r->ctx, obj->loc);
        r->failed++;
        return WRITE_FAILED;
    }
    write_result result = WRITE_OK;
    bool converted = value_to_struct(r->ctx, obj, c); /* c owns memory only then */
    bool ok = converted;
    if (ok && !r->opt.force) {
        /* compile.py's safe_to_overwrite: a config materialized as online is
         * not replaced by a different one without --force-overwrite */
        const conf_record *old = conf_kind_of(desc) == CONF_KINDS
                                     ? NULL
                                     : materialized_find(&r->out, conf_kind_of(desc), md_str(obj, "name") ? md_str(obj, "name") : "");
        bool differs = false;
        if (old && old->online && materialized_differs(old, desc, c, &differs) && differs) {
            diag_add(&r->diags, DIAG_WARNING, obj->loc, "not overwriting %s %s: %s is materialized as online and "
                     "differs; pass --force-overwrite to replace it", desc->name, key, old->path);
            result = WRITE_KEPT;
        }
    }
    if (ok && result == WRITE_OK && desc == &chronon_Join_desc &&
        !(((chronon_Join *)c)->metaData && ((chronon_Join *)c)->metaData->has_samplePercent)) {
        value *md = md_of(obj);
        value *before = md ? obj_get(md, "samplePercent") : NULL;
        ok = check_sample_percent(r, obj, path);
        if (ok && md && obj_get(md, "samplePercent") != before) {
            /* converted again, so that the kept value goes through the same checks */
            tj_free(desc, c);
            memset(c, 0, desc->size);
            converted = ok = value_to_struct(r->ctx, obj, c);
        }
    }
    if (ok && result == WRITE_OK && !r->opt.check_only && !materialized_note_written(&r->out, desc, c, path)) {
        eval_oom(r->ctx, obj->loc);
        ok = false;
    }
    bool fresh = false;
    if (ok && result == WRITE_OK && !r->opt.check_only && !r->opt.compare_only) {
        enum output_dir_state state = output_dir(r, dir, obj->loc);
        if (state == DIR_FAILED) {
            ok = false; /* reported (once for the folder) */
        } else if (state == DIR_CREATED) {
            /* a folder this run made holds only what this run wrote */
            bool existing = true;
            char *copy = arena_strndup(&r->run_arena, path, strlen(path));
            fresh = copy && strmap_get_or_put(&r->fresh_paths, copy, 0, &existing) && !existing;
        }
    }
    if (ok && result == WRITE_OK) {
        /* the rest (JSON, the file) on the write queue's threads */
        write_job job = {.desc = desc, .c = c, .path = path, .key = key, .loc = obj->loc,
                         .preserve_env = r->opt.preserve_env, .compare_only = r->opt.compare_only,
                         .fresh = fresh};
        converted = false;
        c = NULL;
        if (!write_queue_push(&r->writes, job)) {
            eval_oom(r->ctx, obj->loc);
            ok = false;
        } else if (r->writes.len >= WRITE_BATCH) {
            flush_writes(r);
        }
    }
    if (converted)
        tj_free(desc, c);
    free(c);
    if (!ok) {
        r->failed++;
        return WRITE_FAILED;
    }
    if (result == WRITE_KEPT)
        r->kept++;
    return result;
}

/* GroupBys are written only when something needs a batch job for them. */
static bool skip_group_by(value *obj)
{
    value *md = md_of(obj);
    value *online = md ? obj_get(md, "online") : NULL;
    value *backfill = obj_get(obj, "backfillStartDate");
    return !(online && value_truthy(online)) && !(backfill && value_truthy(backfill));
}

/* ---- what writing one config drags along: dependents, deprecation ---- */

/* Python's repr of a list of names: ['a', 'b'] */
static void put_name_list(tj_buf *b, const char *const *names, size_t n)
{
    tj_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++)
        tj_buf_printf(b, "%s'%s'", i ? ", " : "", names[i]);
    tj_buf_putc(b, ']');
}

/* compile.py's _handle_dependent_configurations: the materialized configs
 * that embed the one just written (Joins using a GroupBy; GroupBys whose
 * JoinSource reads a Join) are compiled again from their definition files
 * (<folder>/<team>/<path>/<file>.py from the name <team>.<path>.<file>.<var>),
 * with this pass's loader, so they see this pass's edits of shared objects.
 * Found ones are put into out (a name once). */
static bool collect_dependents(run *r, const kind_info *k, const char *key, value *obj, entries *dep_group_bys,
                               entries *dep_joins)
{
    /* compile.py decides by the output path: a GroupBy file whose path
     * contains "joins" is looked up as a Join */
    char *rel = arena_sprintf(&r->arena, "%s/%s", k->folder, key);
    if (!rel)
        return false;
    conf_kind upstream = strstr(rel, "joins") ? CONF_JOIN : strstr(rel, "group_bys") ? CONF_GROUP_BY : CONF_KINDS;
    if (upstream == CONF_KINDS)
        return true; /* StagingQueries: no dependency tracking */
    /* downstream of a Join: GroupBys reading it; of a GroupBy: Joins using it */
    conf_kind downstream = upstream == CONF_JOIN ? CONF_GROUP_BY : CONF_JOIN;
    const char *folder = downstream == CONF_JOIN ? "joins" : "group_bys";
    const tj_struct_desc *ddesc = downstream == CONF_JOIN ? &chronon_Join_desc : &chronon_GroupBy_desc;
    const char *name = md_str(obj, "name");
    /* a later pass of this run compiles a GroupBy's Joins from their files
     * anyway (and its bytes are the ones that stay) */
    if (!r->opt.input_path && downstream == CONF_JOIN && k->desc == &chronon_GroupBy_desc)
        return true;
    const conf_record **users = NULL;
    size_t nusers = name ? materialized_users(&r->out, downstream, name, &users) : 0;
    bool ok = true;
    for (size_t i = 0; ok && i < nusers; i++) {
        const conf_record *rec = users[i];
        /* <team>.<path...>.<file>.<var>; fewer than three parts: defined
         * inside another file, compiled with that one */
        size_t dots = 0;
        for (const char *c = rec->name; *c; c++)
            dots += *c == '.';
        if (dots < 2)
            continue;
        const char *var = strrchr(rec->name, '.');
        char *module_path = arena_strndup(&r->arena, rec->name, (size_t)(var - rec->name));
        for (char *c = module_path; c && *c; c++)
            if (*c == '.')
                *c = '/';
        char *file = module_path ? arena_sprintf(&r->arena, "%s/%s.py", folder, module_path) : NULL;
        char *full = file ? arena_sprintf(&r->arena, "%s/%s", r->opt.root, file) : NULL;
        if (!full) {
            ok = false;
            break;
        }
        struct stat st;
        if (stat(full, &st) != 0) {
            diag_error(&r->diags, obj->loc, "%s %s is used by the materialized %s %s, whose definition file %s "
                       "does not exist: compile it again, or remove %s",
                       obj->u.obj->desc->name, name, ddesc->name, rec->name, file, rec->path);
            continue;
        }
        module *m = loader_load_path(r->loader, file);
        if (!m || m->failed)
            continue;
        entries found = {0};
        if (!extract(r, m, ddesc, &found)) {
            ok = false;
            break;
        }
        value *dep = NULL;
        for (size_t f = 0; f < found.len && !dep; f++)
            if (strcmp(found.items[f].key, rec->name) == 0)
                dep = found.items[f].obj;
        if (!dep) {
            diag_error(&r->diags, obj->loc, "%s %s is used by the materialized %s %s, which %s no longer defines: "
                       "compile it again, or remove %s",
                       obj->u.obj->desc->name, name, ddesc->name, rec->name, file, rec->path);
            continue;
        }
        ok = entries_put(r, downstream == CONF_JOIN ? dep_joins : dep_group_bys, rec->name, dep);
    }
    free(users);
    return ok;
}

/* compile.py's _handle_deprecation_warning for a config without a
 * deprecation date: what it embeds should not go before it. */
static void warn_deprecation(run *r, const char *key, value *obj)
{
    const char *date = md_str(obj, "deprecationDate");
    const char *name = md_str(obj, "name") ? md_str(obj, "name") : key;
    if (date && *date)
        return; /* warn_downstream_deprecation's case */
    bool join = obj->u.obj->desc == &chronon_Join_desc;
    value *list = obj_get(obj, join ? "joinParts" : "sources");
    for (size_t i = 0; is_list(list) && i < list->u.list.len; i++) {
        value *item = list->u.list.items[i];
        value *up = join ? obj_get(item, "groupBy") : obj_get(item, "joinSource");
        if (up && !join)
            up = obj_get(up, "join");
        const char *up_date = up ? md_str(up, "deprecationDate") : NULL;
        if (up_date && *up_date)
            diag_add(&r->diags, DIAG_WARNING, up->loc, "%s %s is going to be deprecated by %s: remove or migrate "
                     "the dependency, or set a deprecation date on %s",
                     join ? "Join part" : "Join source", md_str(up, "name") ? md_str(up, "name") : "None", up_date, name);
    }
}

/* Downstream configs whose deprecation date is missing or later than their
 * upstream's (compile.py's check_deprecation_date_setup_for_downstream). */
static void warn_downstream_deprecation(run *r, value *obj, const entries *deps, const char *kind)
{
    const char *date = md_str(obj, "deprecationDate");
    if (!date || !*date || !deps->len)
        return;
    const char **bad = arena_alloc(&r->arena, deps->len * sizeof *bad);
    size_t n = 0;
    for (size_t i = 0; bad && i < deps->len; i++) {
        const char *d = md_str(deps->items[i].obj, "deprecationDate");
        if (!d || !*d || strcmp(d, date) > 0)
            bad[n++] = deps->items[i].key;
    }
    if (!n)
        return;
    tj_buf list = {0};
    put_name_list(&list, bad, n);
    diag_add(&r->diags, DIAG_WARNING, obj->loc, "downstream %s %s are missing deprecationDate or have a later one than "
             "%s (%s): remove or migrate the dependency, or set a deprecation date on them",
             kind, list.data ? list.data : "[]", md_str(obj, "name"), date);
    tj_buf_free(&list);
}

/* compile.py's _handle_extra_conf_objects_to_materialize: after a reload of
 * the output folder, team defaults (no templates), validation, a write. */
static void write_extras(run *r, const char *folder, entries *extras)
{
    if (!extras->len)
        return;
    materialized_reload(&r->out);
    for (size_t i = 0; i < extras->len; i++) {
        entry *e = &extras->items[i];
        const char *dot = strchr(e->key, '.');
        char *team = arena_strndup(&r->arena, e->key, dot ? (size_t)(dot - e->key) : strlen(e->key));
        if (team && set_team_metadata(r, e->obj, team, NULL) && validate_config(r, e->obj, e->key))
            write_obj(r, folder, e->key, e->obj);
    }
    flush_writes(r);
}

/* check FILE...: of the pass's files, those the changed files affect. */
static void keep_only_files(run *r, paths *files)
{
    size_t kept = 0;
    for (size_t i = 0; i < files->len; i++)
        if (bsearch(&files->items[i], r->opt.only_files, r->opt.n_only_files, sizeof *r->opt.only_files, cmp_str))
            files->items[kept++] = files->items[i];
    files->len = kept;
}

static bool compile_kind(run *r, const kind_info *k, const char *input_rel)
{
    r->loader = loader_new(r->opt.root, &r->arena, &r->diags, r->sources);
    if (!r->loader) {
        src_loc none = {0};
        diag_error(&r->diags, none, "out of memory");
        return false;
    }
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
    if (r->opt.only_files)
        keep_only_files(r, &files);
    materialized_reload(&r->out);
    entries found = {0};
    for (size_t i = 0; i < files.len; i++) {
        /* the next files parsed ahead on the -j threads, a window at a time
         * (a file's tree is freed once it has run): the first at once, each
         * next one in the background while this one runs; evaluation stays
         * in order and reports each file's syntax errors as it gets to it */
        size_t window = r->prefill_window;
        if (r->writes.threads > 1 && i % window == 0) {
            bool ok = i == 0 ? loader_prefill(r->loader, files.items, files.len < window ? files.len : window,
                                              r->writes.threads)
                             : loader_prefill_finish(r->loader);
            if (ok && i + window < files.len)
                ok = loader_prefill_start(r->loader, files.items + i + window,
                                          files.len - i - window < window ? files.len - i - window : window,
                                          r->writes.threads);
            if (!ok) {
                eval_oom(r->ctx, (src_loc){0});
                return false;
            }
        }
        if (r->tty && !r->opt.quiet) /* a progress line, redrawn in place on a terminal */
            fprintf(stderr, "\r\033[K%s: %zu/%zu %s", k->folder, i + 1, files.len, files.items[i]);
        module *m = loader_load_path(r->loader, files.items[i]);
        if (!m || m->failed)
            continue;
        if (!extract(r, m, k->desc, &found))
            return false;
    }
    if (r->tty && !r->opt.quiet)
        fprintf(stderr, "\r\033[K");
    entries extras = {0}, dep_group_bys = {0}, dep_joins = {0};
    for (size_t i = 0; i < found.len; i++) {
        entry *e = &found.items[i];
        const char *dot = strchr(e->key, '.');
        char *team = arena_strndup(&r->arena, e->key, dot ? (size_t)(dot - e->key) : strlen(e->key));
        if (!team || !set_team_metadata(r, e->obj, team, k->folder))
            continue;
        if (k->desc == &chronon_GroupBy_desc) {
            value *sources = obj_get(e->obj, "sources");
            for (size_t s = 0; is_list(sources) && s < sources->u.list.len; s++) {
                value *js = obj_get(sources->u.list.items[s], "joinSource");
                value *parent = js ? obj_get(js, "join") : NULL;
                if (parent)
                    set_team_metadata(r, parent, team, k->folder);
            }
        }
        if (!set_templated_values(r, e->obj, team))
            return false;
        if (k->desc == &chronon_GroupBy_desc && !r->opt.force && skip_group_by(e->obj)) {
            r->skipped++;
            continue;
        }
        if (!validate_config(r, e->obj, e->key) || write_obj(r, k->folder, e->key, e->obj) != WRITE_OK)
            continue;
        if (k->desc == &chronon_Join_desc) {
            /* join parts that are online or backfilled get their own files */
            value *parts = obj_get(e->obj, "joinParts");
            tj_buf offline = {0};
            size_t offline_count = 0;
            for (size_t p = 0; is_list(parts) && p < parts->u.list.len; p++) {
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
        entries mine_gb = {0}, mine_join = {0};
        if (!collect_dependents(r, k, e->key, e->obj, &mine_gb, &mine_join))
            return false;
        warn_downstream_deprecation(r, e->obj, &mine_gb, "group_bys");
        warn_downstream_deprecation(r, e->obj, &mine_join, "joins");
        warn_deprecation(r, e->key, e->obj);
        for (size_t d = 0; d < mine_gb.len; d++)
            if (!entries_put(r, &dep_group_bys, mine_gb.items[d].key, mine_gb.items[d].obj))
                return false;
        for (size_t d = 0; d < mine_join.len; d++)
            if (!entries_put(r, &dep_joins, mine_join.items[d].key, mine_join.items[d].obj))
                return false;
        if (!r->opt.force && (mine_gb.len || mine_join.len)) {
            tj_buf list = {0};
            const char **all = arena_alloc(&r->arena, (mine_gb.len + mine_join.len) * sizeof *all);
            size_t n = 0;
            for (size_t d = 0; all && d < mine_gb.len; d++)
                all[n++] = mine_gb.items[d].key;
            for (size_t d = 0; all && d < mine_join.len; d++)
                all[n++] = mine_join.items[d].key;
            if (all)
                qsort(all, n, sizeof *all, cmp_str);
            put_name_list(&list, all, n);
            diag_error(&r->diags, e->obj->loc, "%s %s is embedded in materialized configs that must be compiled "
                       "again with it: %s; pass --force-overwrite to compile them too",
                       k->desc->name, e->key, list.data ? list.data : "[]");
            tj_buf_free(&list);
        }
    }
    flush_writes(r);
    /* compile.py asserts here, before any extra is written */
    if (!r->opt.force && (dep_group_bys.len || dep_joins.len))
        return true;
    for (size_t i = 0; i < dep_group_bys.len; i++)
        if (!entries_put(r, &extras, dep_group_bys.items[i].key, dep_group_bys.items[i].obj))
            return false;
    write_extras(r, "group_bys", &extras);
    write_extras(r, "joins", &dep_joins);
    return true;
}

/* One pass (compile.py run), then what it leaves behind: its queued writes
 * done, its loader and values freed. */
static void compile_pass(run *r, const kind_info *k, const char *input_rel)
{
    if (r->state_hit)
        return; /* nothing changed since a run that wrote nothing */
    compile_kind(r, k, input_rel);
    flush_writes(r);
    /* the failed modules' statements after their first error, for their
     * diagnostics only: every config of the pass is converted by now */
    if (r->loader)
        loader_finish(r->loader);
    if (r->loader && r->opt.stats) {
        loader_stats s = loader_get_stats(r->loader);
        fprintf(stderr, "chrononc: %s: %zu modules ran: %zu copied out (%zu syntax trees freed), %zu kept (%zu escaped, "
                "%zu failed, %zu on an import cycle)\n", k->folder, s.ran, s.copied_out, s.trees_freed,
                s.kept_escaped + s.kept_failed + s.kept_cycle, s.kept_escaped, s.kept_failed, s.kept_cycle);
    }
    loader_free(r->loader);
    r->loader = NULL;
    r->ctx = NULL;
    arena_free(&r->arena);
    arena_init(&r->arena);
}

/* compile --check's list: each path once (a GroupBy a Join writes again
 * comes twice), sorted. Returns how many. */
static size_t print_differing(tj_buf *paths, FILE *out)
{
    if (!paths->len || paths->failed)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < paths->len; i++)
        n += paths->data[i] == '\n';
    char **lines = malloc(n * sizeof *lines);
    if (!lines) {
        fwrite(paths->data, 1, paths->len, out);
        return n;
    }
    size_t k = 0;
    for (char *p = paths->data, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
        *nl = '\0';
        lines[k++] = p;
    }
    qsort(lines, k, sizeof *lines, cmp_str);
    size_t unique = 0;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || strcmp(lines[i], lines[i - 1]) != 0) {
            fprintf(out, "%s\n", lines[i]);
            unique++;
        }
    fflush(out);
    free(lines);
    return unique;
}

/* The run's diagnostics as --diagnostics-format and --color say: text on
 * stderr, with colors on a terminal; JSON lines or a SARIF log on stdout,
 * where a CI step redirects it (the summary stays on stderr). */
static void print_diagnostics(run *r)
{
    /* a problem of the repo as a whole (teams.json, an input path) is placed
     * at the repo's one fixed file: code scanning takes no result without a place */
    diag_style style = {.format = r->opt.diagnostics_format, .tool_version = CHRONON_C_VERSION,
                        .sarif_anchor = "teams.json"};
    if (style.format == DIAG_FORMAT_TEXT) {
        style.color = diag_use_color(r->opt.color, 2);
        style.width = diag_output_width(2);
        diag_print_styled(&r->diags, stderr, &style);
    } else {
        diag_print_styled(&r->diags, stdout, &style);
    }
}

static void usage(FILE *out, const char *cmd)
{
    fprintf(out,
            "usage: chrononc %s [--chronon_root DIR] [--input_path PATH] [--output_root DIR]\n"
            "                 [--force-overwrite] [--preserve-env] [--preserve-sample-percent]\n"
            "                 [-j N] [-y] [-q]\n"
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
            "  --force-overwrite    also write GroupBys that need no batch job, replace configs\n"
            "                       materialized as online, and compile again the materialized\n"
            "                       configs that embed what is written\n"
            "  --preserve-env       keep the modeToEnvMap of files being replaced (compile.py's\n"
            "                       'no' to \"update existing env variables?\")\n"
            "  --preserve-sample-percent\n"
            "                       keep a Join's materialized samplePercent when its definition\n"
            "                       sets none (compile.py's 'no' to \"disable logging?\")\n"
            "  -y, --yes            accepted for compile.py compatibility; chrononc never prompts\n"
            "                       (its answers are compile.py's defaults, as with -y)\n"
            "  -j, --jobs N         threads that parse files and serialize and write configs\n"
            "                       (default: one per processor); evaluation is sequential,\n"
            "                       as Python's is\n"
            "  -q, --quiet          no summary line\n"
            "  --diagnostics-format=text|json|sarif\n"
            "                       text (default): file:line:col: messages on stderr; json: one\n"
            "                       JSON object a line on stdout (file, line, column, end_line,\n"
            "                       end_column, severity, message, notes, fixits); sarif: a SARIF\n"
            "                       2.1.0 log on stdout, for GitHub code scanning\n"
            "  --color=auto|always|never\n"
            "                       colors in text diagnostics (auto: on a terminal, unless\n"
            "                       NO_COLOR is set)\n"
            "  --version            chrononc's version and the versions it is pinned to\n",
            cmd);
    if (strcmp(cmd, "check") == 0)
        fputs("  FILE...              check only the definition files among these and those that\n"
              "                       import one of them, directly or not (a pre-commit hook's\n"
              "                       changed files); a changed teams.json checks the whole repo\n",
              out);
    if (strcmp(cmd, "compile") == 0)
        fputs("  --check              write nothing: list the configs under <output_root>/ that are\n"
              "                       missing or differ from what the definitions compile to, and\n"
              "                       exit 1 if there are any (a CI guard that compiled configs\n"
              "                       are up to date)\n",
              out);
}

/* Whether nothing changed since a run that wrote nothing: then that run's
 * counts, and the passes are skipped (compile_state.h). */
static void check_state(run *r)
{
    char *options = arena_sprintf(&r->run_arena, "input=%s force=%d env=%d sample=%d",
                                  r->opt.input_path ? r->opt.input_path : "", r->opt.force, r->opt.preserve_env,
                                  r->opt.preserve_sample_percent);
    compile_state_key key = {.root = r->opt.root, .output_dir = r->output_dir, .options = options};
    compile_state_counts counts;
    if (options && compile_state_init(&r->state, &key) && compile_state_matches(&r->state, &counts)) {
        r->state_hit = true;
        r->unchanged = counts.unchanged;
        r->skipped = counts.skipped;
    }
}

/* A test hook's count from the environment (see write_queue.h, and
 * CHRONONC_PREFILL_WINDOW in docs/testing.md); false (told) when it is not a
 * number. `what` says what the number is. */
static bool test_hook(const char *var, size_t *at, const char *what)
{
    const char *v = getenv(var);
    *at = 0;
    if (!v || !*v)
        return true;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (*end || n == 0) {
        fprintf(stderr, "chrononc: %s must be a number from 1 (%s), got '%s'\n", var, what, v);
        return false;
    }
    *at = (size_t)n;
    return true;
}

/* One compile at a time per output root: the folder holding the output root
 * (it exists, or compile.py would make it too) is flock()ed for the run, so
 * that two runs do not interleave their writes and a run may remove the
 * temporary files a killed one left. The kernel drops the lock when the
 * process ends, however it ends. An output root that is not a folder is
 * refused here, once. */
static bool lock_output(run *r, const char *cmd)
{
    struct stat st;
    if (stat(r->output_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "chrononc %s: the output root %s is not a folder\n", cmd, r->output_dir);
        return false;
    }
    const char *slash = strrchr(r->output_dir, '/');
    char *parent = !slash ? arena_sprintf(&r->run_arena, ".")
                   : slash == r->output_dir ? arena_sprintf(&r->run_arena, "/")
                                            : arena_strndup(&r->run_arena, r->output_dir, (size_t)(slash - r->output_dir));
    if (!parent) {
        fprintf(stderr, "chrononc %s: out of memory\n", cmd);
        return false;
    }
    if (!make_dirs(parent, 0777)) {
        fprintf(stderr, "chrononc %s: cannot create the folder %s: %s\n", cmd, parent, strerror(errno));
        return false;
    }
    r->lock_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r->lock_fd < 0) {
        fprintf(stderr, "chrononc %s: cannot open %s to lock it: %s\n", cmd, parent, strerror(errno));
        return false;
    }
    if (flock(r->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK)
            fprintf(stderr, "chrononc %s: another chrononc compile holds the lock on %s (it is writing %s); "
                            "run again when it has finished\n", cmd, parent, r->output_dir);
        else
            fprintf(stderr, "chrononc %s: cannot lock %s: %s\n", cmd, parent, strerror(e));
        close(r->lock_fd);
        r->lock_fd = -1;
        return false;
    }
    return true;
}

static int run_compile(int argc, char **argv, bool check_only)
{
    const char *cmd = check_only ? "check" : "compile";
#ifdef M_ARENA_MAX
    /* glibc gives each thread a malloc arena of its own: the parse-ahead and
     * write threads free into theirs, and the memory stays there. Two arenas
     * keep a 10,000-config compile at -j 16 at -j 2's peak (156 -> 143 MiB;
     * bench/README.md) without slowing it. */
    mallopt(M_ARENA_MAX, 2);
#endif
    options opt = {.root = getenv("CHRONON_ROOT"), .output_root = "production", .check_only = check_only,
                   .stats = getenv("CHRONONC_STATS") != NULL};
    size_t n_changed = 0; /* check FILE...: the changed files (a pre-commit hook's arguments) */
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
        } else if (TAKES("-j") || TAKES("--jobs")) {
            char *end;
            long n = strtol(val, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "chrononc %s: -j needs a number from 1 to 256, got '%s'\n", cmd, val);
                return 2;
            }
            opt.jobs = (int)n;
        } else if (strcmp(a, "--preserve-env") == 0) {
            opt.preserve_env = true;
        } else if (strcmp(a, "--preserve-sample-percent") == 0) {
            opt.preserve_sample_percent = true;
        } else if (strcmp(a, "-y") == 0 || strcmp(a, "--yes") == 0 || strcmp(a, "--debug") == 0) {
            /* nothing to confirm: chrononc never prompts */
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            opt.quiet = true;
        } else if (!check_only && strcmp(a, "--check") == 0) {
            opt.compare_only = true;
        } else if (TAKES("--diagnostics-format")) {
            if (!diag_parse_format(val, &opt.diagnostics_format)) {
                fprintf(stderr, "chrononc %s: --diagnostics-format must be text, json or sarif, got '%s'\n", cmd, val);
                return 2;
            }
        } else if (TAKES("--color") || TAKES("--colour")) {
            if (!diag_parse_color(val, &opt.color)) {
                fprintf(stderr, "chrononc %s: --color must be auto, always or never, got '%s'\n", cmd, val);
                return 2;
            }
        } else if (strcmp(a, "--version") == 0) {
            fputs("chrononc " CHRONON_C_VERSION "\n" CHRONON_C_VERSION_DETAILS, stdout);
            return 0;
        } else if (check_only && a[0] != '-') {
            /* check FILE...: gathered at the front of argv (already read) */
            argv[1 + n_changed++] = argv[i];
        } else if (check_only && strcmp(a, "--") == 0) {
            while (i + 1 < argc)
                argv[1 + n_changed++] = argv[++i];
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
    if (opt.input_path && n_changed) {
        fprintf(stderr, "chrononc %s: give files or --input_path, not both\n", cmd);
        return 2;
    }
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
    size_t fault_write_at = 0, fault_rename_at = 0, prefill_window = 0;
    if (!test_hook("CHRONONC_FAULT_WRITE", &fault_write_at, "the n-th file write fails") ||
        !test_hook("CHRONONC_FAULT_RENAME", &fault_rename_at, "the n-th file write fails") ||
        !test_hook("CHRONONC_PREFILL_WINDOW", &prefill_window, "files parsed ahead at a time"))
        return 2;
    run r = {.opt = opt, .tty = isatty(2), .lock_fd = -1,
             .prefill_window = prefill_window ? prefill_window : PREFILL_WINDOW};
    arena_init(&r.arena);
    arena_init(&r.scratch);
    arena_init(&r.run_arena);
    diag_init(&r.diags);
    strmap_init(&r.dirs, &r.run_arena);
    strmap_init(&r.fresh_paths, &r.run_arena);
    r.sources = source_cache_new(&r.run_arena);
    /* as os.path.join: an absolute output root stands alone */
    r.output_dir = opt.output_root[0] == '/' ? arena_sprintf(&r.run_arena, "%s", opt.output_root)
                                             : arena_sprintf(&r.run_arena, "%s/%s", opt.root, opt.output_root);
    r.writes.threads = opt.jobs ? opt.jobs : write_queue_default_threads();
    r.writes.dry_run = check_only;
    /* read (umask has no read-only form) before any thread exists */
    r.writes.umask = umask(022);
    umask(r.writes.umask);
    r.writes.pid = getpid();
    r.writes.fault_write_at = fault_write_at;
    r.writes.fault_rename_at = fault_rename_at;
    atomic_init(&r.writes.attempts, 0);
    if (!r.sources || !r.output_dir || !materialized_init(&r.out, r.output_dir)) {
        fprintf(stderr, "chrononc %s: out of memory\n", cmd);
        source_cache_free(r.sources);
        arena_free(&r.arena);
        arena_free(&r.run_arena);
        return 1;
    }
    if (!check_only && !opt.compare_only && !lock_output(&r, cmd)) {
        source_cache_free(r.sources);
        materialized_free(&r.out);
        arena_free(&r.arena);
        arena_free(&r.run_arena);
        return 1;
    }
    if (!check_only && !opt.compare_only && !fault_write_at && !fault_rename_at)
        check_state(&r);
    int status = 1;
    /* check FILE...: the definition files among them and those importing them */
    bool files_ok = true;
    if (n_changed) {
        affected aff;
        files_ok = affected_definitions(opt.root, argv + 1, n_changed, &r.run_arena, &aff);
        if (files_ok && !aff.whole_repo && !aff.files)
            aff.files = argv + 1; /* none: an empty list, not "all" */
        if (!files_ok && aff.not_found)
            fprintf(stderr, "chrononc %s: %s: no such file\n", cmd, aff.not_found);
        else if (!files_ok)
            fprintf(stderr, "chrononc %s: out of memory\n", cmd);
        else if (!aff.whole_repo) {
            r.opt.only_files = aff.files;
            r.opt.n_only_files = aff.len;
        }
    }
    if (!files_ok) {
        /* reported: nothing to check */
    } else if (only) {
        compile_pass(&r, only, opt.input_path);
    } else {
        for (size_t i = 0; i < nkinds; i++) {
            char *full = arena_sprintf(&r.run_arena, "%s/%s", opt.root, k[i].folder);
            struct stat st;
            if (full && stat(full, &st) == 0 && S_ISDIR(st.st_mode))
                compile_pass(&r, &k[i], k[i].folder);
        }
    }
    if (r.state.valid && !r.state_hit) {
        /* a record only of a run that wrote and said nothing (see compile_state.h) */
        compile_state_counts counts = {.unchanged = r.unchanged, .skipped = r.skipped};
        if (r.diags.len == 0 && !r.written && !r.failed && !r.kept)
            compile_state_save(&r.state, &counts);
        else
            compile_state_forget(&r.state);
    }
    report_more_write_failures(&r);
    print_diagnostics(&r);
    status = !files_ok ? 2 : r.diags.errors ? 1 : 0;
    if (opt.compare_only) {
        /* the CI guard: what differs on stdout, one path a line, for the log and for scripts */
        r.differing = print_differing(&r.differing_paths,
                                      opt.diagnostics_format == DIAG_FORMAT_TEXT ? stdout : stderr);
        if (r.differing) {
            fprintf(stderr, "chrononc compile --check: %zu config%s under %s differ%s from what the definitions "
                            "compile to; run chrononc compile\n",
                    r.differing, r.differing == 1 ? "" : "s", r.output_dir, r.differing == 1 ? "s" : "");
            status = 1;
        }
    }
    if (!opt.quiet && files_ok) {
        char kept[64];
        snprintf(kept, sizeof kept, "%zu kept (materialized online), ", r.kept);
        if (check_only && n_changed && r.opt.only_files)
            fprintf(stderr, "chrononc check: %zu error%s; %zu definition file%s checked: of the %zu file%s given, "
                            "and those importing them\n", r.diags.errors, r.diags.errors == 1 ? "" : "s",
                    r.opt.n_only_files, r.opt.n_only_files == 1 ? "" : "s", n_changed, n_changed == 1 ? "" : "s");
        else if (check_only)
            fprintf(stderr, "chrononc check: %zu error%s\n", r.diags.errors, r.diags.errors == 1 ? "" : "s");
        else if (opt.compare_only)
            fprintf(stderr, "chrononc compile --check: %zu up to date, %zu differ, %zu skipped (no batch job "
                            "needed), %s%zu failed; %zu error%s\n",
                    r.unchanged, r.differing, r.skipped, r.kept ? kept : "", r.failed, r.diags.errors,
                    r.diags.errors == 1 ? "" : "s");
        else
            fprintf(stderr, "chrononc compile: %zu written, %zu unchanged, %zu skipped (no batch job needed), "
                            "%s%zu failed; %zu error%s%s\n",
                    r.written, r.unchanged, r.skipped, r.kept ? kept : "", r.failed, r.diags.errors,
                    r.diags.errors == 1 ? "" : "s", r.state_hit ? " (nothing changed since the last run)" : "");
    }
    if (r.lock_fd >= 0)
        close(r.lock_fd); /* the lock goes with it */
    source_cache_free(r.sources);
    materialized_free(&r.out);
    write_queue_free(&r.writes);
    tj_buf_free(&r.differing_paths);
    diag_free(&r.diags);
    arena_free(&r.arena);
    arena_free(&r.run_arena);
    return status;
}

int cmd_compile(int argc, char **argv) { return run_compile(argc, argv, false); }
int cmd_check(int argc, char **argv) { return run_compile(argc, argv, true); }
