/* Internals of runtime/exe, shared by its .c files. */
#ifndef CEXE_INTERNAL_H
#define CEXE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "chronon_api.h"
#include "chronon_exe.h"

/* ---- Dates (exe_dates.c) ----------------------------------------------------
 * Partition dates as PySpark's interface writes them, '%Y%m%d' (its
 * PARTITION_COLUMN_FORMAT); YYYY-MM-DD is accepted too and kept in that form
 * when shifted. */
enum { CEXE_DATE_MAX = 16 };
typedef struct cexe_date {
    long days;   /* since 1970-01-01 */
    bool dashed; /* YYYY-MM-DD rather than YYYYMMDD */
} cexe_date;

bool cexe_date_parse(const char *text, cexe_date *out);
void cexe_date_format(cexe_date d, char out[CEXE_DATE_MAX]);
/* today's local date, or CHRONON_TODAY (YYYYMMDD) when set; false if that is bad */
bool cexe_today(cexe_date *out);
/* text shifted by delta days, in text's own form; false if text is not a date */
bool cexe_date_shift(const char *text, long delta, char out[CEXE_DATE_MAX]);

/* ---- One config in the generated C types (exe_edit.c) ------------------------ */
typedef struct cexe_conf {
    cexe_kind kind;
    union {
        chronon_GroupBy gb;
        chronon_Join join;
        chronon_StagingQuery sq;
    } u;
} cexe_conf;

const tj_struct_desc *cexe_desc(cexe_kind kind);
const char *cexe_kind_name(cexe_kind kind);        /* "GroupBy", "Join", "StagingQuery" */
chronon_MetaData *cexe_meta(cexe_conf *c);         /* NULL when unset */
/* parse JSON into c (kind set by the caller); err filled on failure */
bool cexe_conf_parse(cexe_conf *c, cexe_kind kind, const char *json, size_t len, unsigned flags,
                     tj_error *err);
void cexe_conf_free(cexe_conf *c);
char *cexe_conf_to_json(cexe_conf *c, size_t *len, tj_error *err);

/* Set *dst to a copy of value (NULL unsets); false when out of memory. */
bool cexe_set_str(char **dst, const char *value);

/* utils.get_max_window_for_gb_in_days: 1 at least, HOURS rounded up to days. */
int cexe_max_window_days(const chronon_GroupBy *gb);
/* utils.sanitize: every character outside [a-zA-Z0-9_] becomes '_'. malloc'd. */
char *cexe_sanitize(const char *name);
/* utils.output_table_name(full_name=True): namespace (or "{{ db }}") "." sanitized name. malloc'd. */
char *cexe_output_table(const chronon_MetaData *md);
/* The table a source reads (utils.get_table): events table, entity snapshot
 * table, or a join source's output table; NULL-safe. malloc'd or NULL. */
char *cexe_source_table(const chronon_Source *s);

/* _update_source_dates: the events (else entities) query gets start/end. */
bool cexe_update_source_dates(chronon_Source *s, const char *start, const char *end);
/* _update_source_dates_for_group_by: every source from start - max window to end. */
bool cexe_update_group_by_sources(chronon_GroupBy *gb, const char *start, const char *end);
/* An aggregation of gb has no windows (a lifetime one): its sources then keep
 * their start partition (only the end is set). */
bool cexe_has_lifetime_aggregation(const chronon_GroupBy *gb);
/* PlatformInterface.set_metadata for a named object: name prefix (applied
 * once: an existing "prefix_" is removed first, as Python does) and the
 * output namespace (for a Join, also every join part's GroupBy). */
bool cexe_set_metadata(cexe_conf *c, const char *name_prefix, const char *output_namespace);

/* ---- Running (exe_run.c) ------------------------------------------------------ */
typedef struct cexe_jvm_opts {
    const char *java_home, *jars, *master, *warehouse, *log_file;
    const char **conf; /* NULL-terminated, malloc'd array (strings borrowed) */
    size_t nconf;
    bool quiet;
} cexe_jvm_opts;

typedef struct cexe_run_opts {
    const char *start_date, *end_date; /* NULL: defaults */
    long step_days;                    /* 0: default (30; none for a StagingQuery) */
    int skip_first_hole;               /* -1: default */
    bool no_upstream;
    long show;                         /* rows to print, default 20 */
    const char *output;                /* --output FILE (.csv or JSON lines) */
    const char *name_prefix;           /* NULL: user name (unless no_name_prefix) */
    bool no_name_prefix;
    const char *output_namespace;
    int enable_auto_expand;            /* -1: default (true) */
    const char *override_start_partition;
    bool enable_hitter_analysis;
    bool dry_run;
} cexe_run_opts;

int cexe_run(const cexe_config *cfg, cexe_conf *conf, const cexe_run_opts *ro, const cexe_jvm_opts *jo,
             bool analyze);
int cexe_validate_jvm(const cexe_config *cfg, const cexe_jvm_opts *jo, bool require);

/* The user name PySpark's Jupyter platform prefixes names with:
 * getpass.getuser() lower-cased, '.' and '-' made '_'. Static buffer. */
const char *cexe_user_prefix(void);

#endif
