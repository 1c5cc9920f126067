/* The validator's and dependency tracker's view of the output root; see
 * materialized.h. */
#include "materialized.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chronon_api.h"
#include "read_file.h"

static const char *const kind_folder[CONF_KINDS] = {"group_bys", "joins"};

conf_kind conf_kind_of(const tj_struct_desc *desc)
{
    if (desc == &chronon_GroupBy_desc)
        return CONF_GROUP_BY;
    if (desc == &chronon_Join_desc)
        return CONF_JOIN;
    return CONF_KINDS;
}

static const tj_struct_desc *desc_of(conf_kind k) { return k == CONF_JOIN ? &chronon_Join_desc : &chronon_GroupBy_desc; }

static void record_free(conf_record *r)
{
    free(r->path);
    free(r->name);
    for (size_t i = 0; i < r->ref_count; i++)
        free(r->refs[i]);
    free(r->refs);
    memset(r, 0, sizeof *r);
}

static void drop_users(conf_list *l)
{
    strmap_free(&l->users);
    free(l->link_record);
    free(l->link_next);
    l->link_record = l->link_next = NULL;
    l->users_built = false;
}

static void list_free(conf_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        record_free(&l->items[i]);
    free(l->items);
    strmap_free(&l->by_path);
    strmap_free(&l->by_name);
    drop_users(l);
    memset(l, 0, sizeof *l);
}

static bool add_ref(conf_record *r, const char *name, size_t cap)
{
    if (!name)
        return true;
    for (size_t i = 0; i < r->ref_count; i++)
        if (strcmp(r->refs[i], name) == 0)
            return true;
    if (r->ref_count == cap)
        return true;
    if (!(r->refs[r->ref_count] = strdup(name)))
        return false;
    r->ref_count++;
    return true;
}

/* A record for config c (of kind k) at path; false if out of memory. */
static bool record_make(conf_record *r, conf_kind k, const void *c, const char *path)
{
    memset(r, 0, sizeof *r);
    const chronon_MetaData *md;
    size_t cap;
    if (k == CONF_JOIN) {
        const chronon_Join *j = c;
        md = j->metaData;
        cap = j->joinParts.len;
    } else {
        const chronon_GroupBy *g = c;
        md = g->metaData;
        cap = g->sources.len;
    }
    r->path = strdup(path);
    r->name = strdup(md && md->name ? md->name : "");
    r->online = md && md->has_online && md->online;
    r->production = md && md->has_production && md->production;
    r->refs = calloc(cap ? cap : 1, sizeof *r->refs);
    bool ok = r->path && r->name && r->refs;
    if (k == CONF_JOIN) {
        const chronon_Join *j = c;
        for (size_t i = 0; ok && i < j->joinParts.len; i++) {
            const chronon_GroupBy *g = j->joinParts.items[i].groupBy;
            ok = add_ref(r, g && g->metaData ? g->metaData->name : NULL, cap);
        }
    } else {
        const chronon_GroupBy *g = c;
        for (size_t i = 0; ok && i < g->sources.len; i++) {
            const chronon_JoinSource *js = g->sources.items[i].joinSource;
            ok = add_ref(r, js && js->join && js->join->metaData ? js->join->metaData->name : NULL, cap);
        }
    }
    if (!ok)
        record_free(r);
    return ok;
}

static void swap_str(char **a, char **b)
{
    char *t = *a;
    *a = *b;
    *b = t;
}

/* Put r into l (moving it), over the record of the same file if there is one. */
static bool list_put(conf_list *l, conf_record *r)
{
    drop_users(l);
    if (l->len == l->cap) { /* room first: the index below must not point past the items */
        size_t cap = l->cap ? l->cap * 2 : 16;
        conf_record *n = realloc(l->items, cap * sizeof *n);
        if (!n) {
            record_free(r);
            return false;
        }
        l->items = n;
        l->cap = cap;
    }
    bool existing;
    size_t *at = strmap_get_or_put(&l->by_path, r->path, l->len, &existing);
    if (!at) {
        record_free(r);
        return false;
    }
    if (existing) {
        conf_record *old = &l->items[*at];
        /* the indexes borrow the old record's strings: keep those, free the new copies */
        swap_str(&old->path, &r->path);
        if (strcmp(old->name, r->name) == 0)
            swap_str(&old->name, &r->name);
        else
            l->names_stale = true;
        record_free(old);
        *old = *r;
        return true;
    }
    if (!l->names_stale) {
        bool named;
        if (!strmap_get_or_put(&l->by_name, r->name, l->len, &named))
            l->names_stale = true; /* rebuilt (or failed again) on the next lookup */
    }
    l->items[l->len++] = *r;
    return true;
}

static bool rebuild_names(conf_list *l)
{
    strmap_free(&l->by_name);
    for (size_t i = 0; i < l->len; i++) {
        bool named;
        if (!strmap_get_or_put(&l->by_name, l->items[i].name, i, &named))
            return false;
    }
    l->names_stale = false;
    return true;
}

static bool build_users(conf_list *l)
{
    size_t links = 0;
    for (size_t i = 0; i < l->len; i++)
        links += l->items[i].ref_count;
    l->link_record = malloc((links ? links : 1) * sizeof *l->link_record);
    l->link_next = malloc((links ? links : 1) * sizeof *l->link_next);
    if (!l->link_record || !l->link_next) {
        drop_users(l);
        return false;
    }
    /* each ref's chain, built back to front so that it reads in record order */
    size_t k = links;
    for (size_t i = l->len; i-- > 0;)
        for (size_t x = l->items[i].ref_count; x-- > 0;) {
            k--;
            bool existing;
            size_t *head = strmap_get_or_put(&l->users, l->items[i].refs[x], k, &existing);
            if (!head) {
                drop_users(l);
                return false;
            }
            l->link_record[k] = i;
            l->link_next[k] = existing ? *head : SIZE_MAX;
            *head = k;
        }
    l->users_built = true;
    return true;
}

bool materialized_init(materialized *m, const char *dir)
{
    memset(m, 0, sizeof *m);
    m->dir = strdup(dir);
    return m->dir != NULL;
}

void materialized_free(materialized *m)
{
    for (int k = 0; k < CONF_KINDS; k++) {
        list_free(&m->seen[k]);
        list_free(&m->pending[k]);
    }
    free(m->dir);
    memset(m, 0, sizeof *m);
}

bool materialized_read(const conf_record *rec, const tj_struct_desc *desc, void *out)
{
    char why[64];
    size_t len;
    char *text = read_file(rec->path, &len, why, sizeof why);
    if (!text)
        return false;
    /* lenient, as compile.py's file2thrift: unknown fields are dropped */
    bool ok = tj_from_json(desc, out, text, len, 0, NULL) == TJ_OK;
    free(text);
    return ok;
}

static void load_file(materialized *m, conf_kind k, const char *path)
{
    const tj_struct_desc *desc = desc_of(k);
    void *c = calloc(1, desc->size);
    conf_record r;
    conf_record probe = {.path = (char *)path};
    if (c && materialized_read(&probe, desc, c)) {
        /* a file without metaData is not a config for the validator (is_valid_conf) */
        bool has_md = k == CONF_JOIN ? ((chronon_Join *)c)->metaData != NULL : ((chronon_GroupBy *)c)->metaData != NULL;
        if (has_md && record_make(&r, k, c, path))
            list_put(&m->seen[k], &r);
        tj_free(desc, c);
    }
    free(c);
}

static void walk(materialized *m, conf_kind k, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        size_t n = strlen(dir) + strlen(de->d_name) + 2;
        char *path = malloc(n);
        struct stat st;
        if (path && (snprintf(path, n, "%s/%s", dir, de->d_name), stat(path, &st) == 0)) {
            if (S_ISDIR(st.st_mode))
                walk(m, k, path);
            else
                load_file(m, k, path);
        }
        free(path);
    }
    closedir(d);
}

void materialized_reload(materialized *m)
{
    if (!m->loaded) {
        for (int k = 0; k < CONF_KINDS; k++) {
            size_t n = strlen(m->dir) + strlen(kind_folder[k]) + 2;
            char *dir = malloc(n);
            if (dir) {
                snprintf(dir, n, "%s/%s", m->dir, kind_folder[k]);
                walk(m, k, dir);
            }
            free(dir);
        }
        m->loaded = true;
    }
    for (int k = 0; k < CONF_KINDS; k++) {
        conf_list *p = &m->pending[k];
        for (size_t i = 0; i < p->len; i++)
            list_put(&m->seen[k], &p->items[i]); /* moves the record */
        p->len = 0; /* its records are gone: list_free frees only the indexes */
        list_free(p);
    }
}

bool materialized_note_written(materialized *m, const tj_struct_desc *desc, const void *c, const char *path)
{
    conf_kind k = conf_kind_of(desc);
    conf_record r;
    if (k == CONF_KINDS)
        return true;
    return record_make(&r, k, c, path) && list_put(&m->pending[k], &r);
}

const conf_record *materialized_find(materialized *m, conf_kind k, const char *name)
{
    conf_list *l = &m->seen[k];
    if (l->names_stale && !rebuild_names(l))
        return NULL;
    size_t *at = strmap_get(&l->by_name, name);
    return at ? &l->items[*at] : NULL;
}

size_t materialized_users(materialized *m, conf_kind k, const char *name, const conf_record ***out)
{
    conf_list *l = &m->seen[k];
    *out = NULL;
    if (!l->users_built && !build_users(l))
        return 0;
    size_t *head = strmap_get(&l->users, name);
    size_t n = 0;
    for (size_t i = head ? *head : SIZE_MAX; i != SIZE_MAX; i = l->link_next[i])
        n++;
    if (!n || !(*out = malloc(n * sizeof **out)))
        return 0;
    /* a record holding the name twice is listed once */
    size_t w = 0;
    for (size_t i = *head; i != SIZE_MAX; i = l->link_next[i]) {
        const conf_record *r = &l->items[l->link_record[i]];
        if (!w || (*out)[w - 1] != r)
            (*out)[w++] = r;
    }
    return w;
}

/* compile.py's _has_diff ignores metaData, a Join's join parts' GroupBy
 * metaData and its onlineExternalParts. */
static void drop_metadata(chronon_MetaData **md)
{
    if (*md) {
        chronon_MetaData_free(*md);
        free(*md);
        *md = NULL;
    }
}

static void strip_ignored(conf_kind k, void *c)
{
    if (k == CONF_JOIN) {
        chronon_Join *j = c;
        drop_metadata(&j->metaData);
        for (size_t i = 0; i < j->joinParts.len; i++)
            if (j->joinParts.items[i].groupBy)
                drop_metadata(&j->joinParts.items[i].groupBy->metaData);
        for (size_t i = 0; i < j->onlineExternalParts.len; i++)
            chronon_ExternalPart_free(&j->onlineExternalParts.items[i]);
        free(j->onlineExternalParts.items);
        memset(&j->onlineExternalParts, 0, sizeof j->onlineExternalParts);
        j->has_onlineExternalParts = false;
    } else {
        drop_metadata(&((chronon_GroupBy *)c)->metaData);
    }
}

bool materialized_differs(const conf_record *rec, const tj_struct_desc *desc, const void *c, bool *differs)
{
    conf_kind k = conf_kind_of(desc);
    void *old = calloc(1, desc->size), *now = calloc(1, desc->size);
    bool ok = old && now && k != CONF_KINDS;
    bool have_old = ok && materialized_read(rec, desc, old);
    bool have_now = ok && tj_copy(desc, now, c) == TJ_OK;
    if (have_old && have_now) {
        strip_ignored(k, old);
        strip_ignored(k, now);
        *differs = !tj_equal(desc, old, now);
    }
    if (have_old)
        tj_free(desc, old);
    if (have_now)
        tj_free(desc, now);
    free(old);
    free(now);
    return have_old && have_now;
}
