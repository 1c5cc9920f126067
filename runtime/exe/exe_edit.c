/* The config edits of Chronon's PySpark interface (ai/chronon/pyspark/
 * executables.py and utils.py), done on the generated C types. */
#include <stdlib.h>
#include <string.h>

#include "exe_internal.h"

const tj_struct_desc *cexe_desc(cexe_kind kind)
{
    switch (kind) {
    case CEXE_GROUP_BY: return &chronon_GroupBy_desc;
    case CEXE_JOIN: return &chronon_Join_desc;
    case CEXE_STAGING_QUERY: return &chronon_StagingQuery_desc;
    }
    return NULL;
}

const char *cexe_kind_name(cexe_kind kind)
{
    switch (kind) {
    case CEXE_GROUP_BY: return "GroupBy";
    case CEXE_JOIN: return "Join";
    case CEXE_STAGING_QUERY: return "StagingQuery";
    }
    return "?";
}

chronon_MetaData *cexe_meta(cexe_conf *c)
{
    switch (c->kind) {
    case CEXE_GROUP_BY: return c->u.gb.metaData;
    case CEXE_JOIN: return c->u.join.metaData;
    case CEXE_STAGING_QUERY: return c->u.sq.metaData;
    }
    return NULL;
}

bool cexe_conf_parse(cexe_conf *c, cexe_kind kind, const char *json, size_t len, unsigned flags,
                     tj_error *err)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    return tj_from_json(cexe_desc(kind), &c->u, json, len, flags, err) == TJ_OK;
}

void cexe_conf_free(cexe_conf *c)
{
    tj_free(cexe_desc(c->kind), &c->u);
}

char *cexe_conf_to_json(cexe_conf *c, size_t *len, tj_error *err)
{
    return tj_to_json(cexe_desc(c->kind), &c->u, len, err);
}

bool cexe_set_str(char **dst, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return false;
    free(*dst);
    *dst = copy;
    return true;
}

int cexe_max_window_days(const chronon_GroupBy *gb)
{
    int result = 1;
    if (!gb->has_aggregations)
        return result;
    for (size_t i = 0; i < gb->aggregations.len; i++) {
        const chronon_Aggregation *agg = &gb->aggregations.items[i];
        if (!agg->has_windows)
            continue;
        for (size_t j = 0; j < agg->windows.len; j++) {
            const chronon_Window *w = &agg->windows.items[j];
            /* Python reads window.length as given: an unset length is None,
             * which its arithmetic refuses; here it counts as 0. */
            long len = w->has_length ? w->length : 0;
            long days = w->timeUnit == chronon_TimeUnit_HOURS ? (len + 23) / 24 : len;
            if (w->timeUnit == chronon_TimeUnit_HOURS && len < 0)
                days = -((-len) / 24); /* ceil of a negative quotient */
            if (days > result)
                result = (int)days;
        }
    }
    return result;
}

char *cexe_sanitize(const char *name)
{
    char *out = strdup(name ? name : "");
    if (!out)
        return NULL;
    for (char *p = out; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
        if (!ok)
            *p = '_';
    }
    /* Python's re works on characters, not bytes: a multi-byte UTF-8
     * character is one '_'. Squeeze each sequence's continuation bytes. */
    char *w = out;
    const char *r = name ? name : "";
    for (char *p = out; *p; p++, r++) {
        unsigned char orig = (unsigned char)*r;
        if ((orig & 0xC0) == 0x80)
            continue;
        *w++ = *p;
    }
    *w = '\0';
    return out;
}

char *cexe_output_table(const chronon_MetaData *md)
{
    const char *ns = md && md->outputNamespace && *md->outputNamespace ? md->outputNamespace : "{{ db }}";
    char *name = cexe_sanitize(md ? md->name : NULL);
    if (!name)
        return NULL;
    size_t n = strlen(ns) + 1 + strlen(name) + 1;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s.%s", ns, name);
    free(name);
    return out;
}

char *cexe_source_table(const chronon_Source *s)
{
    const char *table = NULL;
    char *owned = NULL;
    if (s->entities)
        table = s->entities->snapshotTable;
    else if (s->events)
        table = s->events->table;
    else if (s->joinSource && s->joinSource->join)
        table = owned = cexe_output_table(s->joinSource->join->metaData);
    if (!table)
        return NULL;
    /* table.split("/")[0] */
    size_t n = strcspn(table, "/");
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, table, n);
        out[n] = '\0';
    }
    free(owned);
    return out;
}

static bool update_query(chronon_Query *q, const char *start, const char *end)
{
    return cexe_set_str(&q->startPartition, start) && cexe_set_str(&q->endPartition, end);
}

bool cexe_update_source_dates(chronon_Source *s, const char *start, const char *end)
{
    if (s->events && s->events->query)
        return update_query(s->events->query, start, end);
    if (s->entities && s->entities->query)
        return update_query(s->entities->query, start, end);
    return true;
}

bool cexe_has_lifetime_aggregation(const chronon_GroupBy *gb)
{
    for (size_t i = 0; gb->has_aggregations && i < gb->aggregations.len; i++)
        if (!gb->aggregations.items[i].has_windows || gb->aggregations.items[i].windows.len == 0)
            return true;
    return false;
}

bool cexe_update_group_by_sources(chronon_GroupBy *gb, const char *start, const char *end)
{
    if (!gb->has_sources || gb->sources.len == 0)
        return true;
    /* An aggregation without windows covers the whole history: its value on
     * any day depends on every row before it, so the sources keep the start
     * the config gives them (none: all partitions), as Chronon's own backfill
     * reads them. Python's interface raises TypeError here instead. */
    bool lifetime = cexe_has_lifetime_aggregation(gb);
    char shifted[CEXE_DATE_MAX];
    if (!lifetime && !cexe_date_shift(start, -(long)cexe_max_window_days(gb), shifted))
        return false;
    for (size_t i = 0; i < gb->sources.len; i++) {
        chronon_Source *src = &gb->sources.items[i];
        chronon_Query *q = src->events ? src->events->query : src->entities ? src->entities->query : NULL;
        bool ok = !lifetime ? cexe_update_source_dates(src, shifted, end)
                  : q       ? cexe_set_str(&q->endPartition, end)
                            : true;
        if (!ok)
            return false;
    }
    return true;
}

/* str.replace(old, "") for every occurrence, in place. */
static void remove_all(char *s, const char *old)
{
    size_t n = strlen(old);
    if (n == 0)
        return;
    char *w = s;
    for (const char *r = s; *r;) {
        if (strncmp(r, old, n) == 0) {
            r += n;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

static bool ensure_meta(chronon_MetaData **md)
{
    if (*md)
        return true;
    *md = malloc(sizeof **md);
    if (!*md)
        return false;
    if (chronon_MetaData_init(*md) != TJ_OK) {
        free(*md);
        *md = NULL;
        return false;
    }
    return true;
}

bool cexe_set_metadata(cexe_conf *c, const char *name_prefix, const char *output_namespace)
{
    chronon_MetaData *md = cexe_meta(c);
    if (!md)
        return false;
    bool prefix = name_prefix && *name_prefix;
    if (prefix && md->name && *md->name) {
        size_t n = strlen(name_prefix);
        char *old = malloc(n + 2);
        if (!old)
            return false;
        snprintf(old, n + 2, "%s_", name_prefix);
        remove_all(md->name, old);
        free(old);
    }
    if (output_namespace && *output_namespace) {
        if (!cexe_set_str(&md->outputNamespace, output_namespace))
            return false;
        if (c->kind == CEXE_JOIN && c->u.join.has_joinParts) {
            for (size_t i = 0; i < c->u.join.joinParts.len; i++) {
                chronon_GroupBy *gb = c->u.join.joinParts.items[i].groupBy;
                if (!gb)
                    continue;
                if (!ensure_meta(&gb->metaData) || !cexe_set_str(&gb->metaData->outputNamespace, output_namespace))
                    return false;
            }
        }
    }
    if (prefix) {
        const char *name = md->name ? md->name : "";
        size_t n = strlen(name_prefix) + 1 + strlen(name) + 1;
        char *full = malloc(n);
        if (!full)
            return false;
        snprintf(full, n, "%s_%s", name_prefix, name);
        free(md->name);
        md->name = full;
    }
    return true;
}
