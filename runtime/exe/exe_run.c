/* run, analyze and the JVM half of validate: Chronon's PySpark interface
 * (ai/chronon/pyspark/executables.py) in C, calling PySparkUtils through
 * runtime/jvm's crt_call_pyspark_utils.
 *
 * A run is a sequence of steps (upstream join sources first, then the config
 * itself), each one an edited copy of a config handed to the JVM. With
 * --dry-run the same code prints every step instead of starting a JVM, and
 * the edited config of the last step goes to standard output. */
#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chronon_runtime.h"
#include "exe_internal.h"

enum { MAX_UPSTREAM_DEPTH = 16 };

typedef struct runner {
    const cexe_config *cfg;
    const cexe_run_opts *ro;
    const cexe_jvm_opts *jo;
    const char *prefix; /* effective name prefix, NULL for none */
    crt_session *session;
    bool open_failed;
    char *app_name;
} runner;

/* An argument as the JVM gets it, with a label for the dry-run plan. */
typedef struct step_arg {
    crt_arg arg;
    const char *label; /* NULL: print the value */
} step_arg;

const char *cexe_user_prefix(void)
{
    static char buf[256];
    const char *vars[] = {"LOGNAME", "USER", "LNAME", "USERNAME"};
    const char *user = NULL;
    for (size_t i = 0; i < sizeof vars / sizeof vars[0] && !user; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            user = v;
    }
    if (!user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "jupyter_user";
    }
    snprintf(buf, sizeof buf, "%s", user);
    for (char *p = buf; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
        if (*p == '.' || *p == '-')
            *p = '_';
    }
    return buf;
}

/* PlatformInterface.log_operation: "[YYYY-MM-DD HH:MM:SS UTC] message". */
static void logop(const char *fmt, ...)
{
    time_t now = time(NULL);
    struct tm tm;
    char stamp[64] = "";
    if (gmtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "[%Y-%m-%d %H:%M:%S UTC]", &tm);
    fprintf(stderr, "%s ", stamp);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const char *conf_name(cexe_conf *c)
{
    chronon_MetaData *md = cexe_meta(c);
    return md && md->name ? md->name : "(unnamed)";
}

static crt_session *session(runner *r)
{
    if (r->session || r->open_failed)
        return r->session;
    crt_options opt = {
        .java_home = r->jo->java_home,
        .jars = r->jo->jars,
        .master = r->jo->master,
        .conf = r->jo->conf,
        .warehouse = r->jo->warehouse,
        .log_file = r->jo->log_file,
        .app_name = r->app_name,
        .quiet = r->jo->quiet,
    };
    crt_error err;
    memset(&err, 0, sizeof err);
    if (crt_open(&opt, &r->session, &err) != CRT_OK) {
        crt_error_print(&err, stderr);
        r->session = NULL;
        r->open_failed = true;
    }
    return r->session;
}

static void print_arg(const step_arg *a)
{
    if (a->label) {
        fputs(a->label, stderr);
        return;
    }
    switch (a->arg.kind) {
    case CRT_ARG_STRING:
        if (a->arg.s)
            fprintf(stderr, "\"%s\"", a->arg.s);
        else
            fputs("None", stderr);
        break;
    case CRT_ARG_INT: fprintf(stderr, "%lld", a->arg.i); break;
    case CRT_ARG_BOOL: fputs(a->arg.b ? "true" : "false", stderr); break;
    case CRT_ARG_SESSION: fputs("tableUtils", stderr); break;
    }
}

/* Chronon's loggers (every class under ai.chronon) and its Analyzer's. */
#define CHRONON_LOGGER "ai.chronon"
#define ANALYZER_LOGGER "ai.chronon.spark.Analyzer"

/* One PySparkUtils call (or its line of the plan). Returns 0, or 1 after
 * printing the runtime's error (130 when interrupted). out may be NULL when no
 * rows are wanted. With log, Chronon's log records at log_level and above are
 * captured into it while the call runs. With failed, a failure of the call
 * itself is copied there instead of printed (the caller explains it). */
static int call_ex(runner *r, const char *method, const step_arg *args, size_t n, size_t limit, crt_table *out,
                   const char *log_level, crt_log *log, crt_error *failed)
{
    if (r->ro && r->ro->dry_run) {
        fprintf(stderr, "dry-run: call PySparkUtils.%s(", method);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputs(", ", stderr);
            print_arg(&args[i]);
        }
        fputs(")\n", stderr);
        return 0;
    }
    crt_session *s = session(r);
    if (!s)
        return 1;
    crt_arg plain[8];
    for (size_t i = 0; i < n && i < 8; i++)
        plain[i] = args[i].arg;
    crt_table scratch;
    memset(&scratch, 0, sizeof scratch);
    crt_error err;
    memset(&err, 0, sizeof err);
    crt_log_capture *capture = NULL;
    if (log && crt_log_capture_start(s, CHRONON_LOGGER, log_level, &capture, &err) != CRT_OK)
        fprintf(stderr, "warning: Chronon's log is not captured (it is in the log file only): %s\n", err.message);
    memset(&err, 0, sizeof err);
    crt_status st = crt_call_pyspark_utils(s, method, plain, n, limit, out ? out : &scratch, &err);
    if (!out)
        crt_table_free(&scratch);
    if (capture) {
        crt_error cerr;
        memset(&cerr, 0, sizeof cerr);
        if (crt_log_capture_stop(capture, log, &cerr) != CRT_OK)
            fprintf(stderr, "warning: Chronon's log capture: %s\n", cerr.message);
    }
    if (st != CRT_OK) {
        if (failed && st != CRT_ERR_INTERRUPTED) {
            *failed = err;
            return 1;
        }
        crt_error_print(&err, stderr);
        return st == CRT_ERR_INTERRUPTED ? 130 : 1;
    }
    return 0;
}

static int call(runner *r, const char *method, const step_arg *args, size_t n, size_t limit, crt_table *out)
{
    return call_ex(r, method, args, n, limit, out, NULL, NULL, NULL);
}

/* A logged message as it reads without the log's framing: blank lines before
 * and after it and trailing blanks of each line removed (Chronon's messages
 * are stripMargin'd blocks that start and end with newlines). Its first line
 * goes after lead, the others after indent. */
static void print_message(FILE *out, const char *lead, const char *indent, const char *msg)
{
    const char *p = msg;
    const char *end = msg + strlen(msg);
    while (p < end) { /* skip the blank lines in front */
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = p;
        while (q < le && isspace((unsigned char)*q))
            q++;
        if (q < le)
            break;
        p = nl ? nl + 1 : end;
    }
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *t = le;
        while (t > p && isspace((unsigned char)t[-1]))
            t--;
        fprintf(out, "%s%.*s\n", lead, (int)(t - p), p);
        lead = indent;
        p = nl ? nl + 1 : end;
    }
}

/* The UTC date of a log record, YYYY-MM-DD (Chronon's partition dates are UTC). */
static void utc_date(long long ms, char out[16])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
        snprintf(out, 16, "?");
}

/* Append ", " (unless first) and name (owned; NULL is "?") to *list. */
static bool append_name(char **list, char *name)
{
    const char *n = name ? name : "?";
    size_t have = *list ? strlen(*list) : 0;
    char *grown = realloc(*list, have + strlen(n) + 3);
    if (grown) {
        snprintf(grown + have, strlen(n) + 3, "%s%s", have ? ", " : "", n);
        *list = grown;
    }
    free(name);
    return grown != NULL;
}

/* The tables a step reads rows from first, ", "-joined: a GroupBy's sources,
 * a Join's left side. malloc'd; NULL when there are none (or no memory). */
static char *input_tables(cexe_conf *c)
{
    char *list = NULL;
    bool ok = true;
    if (c->kind == CEXE_JOIN && c->u.join.left)
        ok = append_name(&list, cexe_source_table(c->u.join.left));
    else if (c->kind == CEXE_GROUP_BY && c->u.gb.has_sources)
        for (size_t i = 0; ok && i < c->u.gb.sources.len; i++)
            ok = append_name(&list, cexe_source_table(&c->u.gb.sources.items[i]));
    if (!ok) {
        free(list);
        return NULL;
    }
    return list;
}

/* An NPE in the Analyzer's timestamp check: it read no row (the sum over no
 * rows is null). Chronon gives no other sign of an empty input. */
static bool no_rows_failure(const crt_error *e)
{
    static const char analyzer[] = "ai.chronon.spark.Analyzer.";
    return e->status == CRT_ERR_JAVA && strcmp(e->java_class, "java.lang.NullPointerException") == 0 &&
           strncmp(e->java_where, analyzer, sizeof analyzer - 1) == 0 && strstr(e->java_where, "dataFrameToMap");
}

static const char *short_logger(const char *logger)
{
    const char *dot = strrchr(logger, '.');
    return dot ? dot + 1 : logger;
}

/* Chronon's ERROR records of a step that succeeded: Chronon recovered from
 * them, so they are warnings, each with the date it concerns. The Join's
 * validation (JoinBase.computeJoinOpt) runs Chronon's Analyzer over today's
 * partition (UTC) before every join and only logs its failures; the others
 * are dated by the step's range. */
static void report_recovered_errors(const crt_log *log, const char *doing, cexe_conf *c, const char *start,
                                    const char *end)
{
    for (size_t i = 0; i < log->n; i++) {
        const crt_log_record *rec = &log->records[i];
        if (strcmp(rec->level, "ERROR") != 0 && strcmp(rec->level, "FATAL") != 0)
            continue;
        bool validation = strncmp(rec->message, "An unexpected error occurred during validation.", 47) == 0 ||
                          strncmp(rec->message, "Validation failed.", 18) == 0;
        if (validation) {
            char day[16];
            utc_date(rec->time_ms, day);
            fprintf(stderr, "warning: Chronon's validation of %s %s on %s (today, UTC) failed; the run went on",
                    cexe_kind_name(c->kind), conf_name(c), day);
            char *tables = strstr(rec->message, "\"value\" is null") ? input_tables(c) : NULL;
            if (tables)
                fprintf(stderr, ": %s has no rows on %s", tables, day);
            free(tables);
            fputs("\n", stderr);
        } else if (start) {
            fprintf(stderr, "warning: Chronon logged an error while %s %s %s from %s to %s, and went on\n", doing,
                    cexe_kind_name(c->kind), conf_name(c), start, end);
        } else {
            fprintf(stderr, "warning: Chronon logged an error while %s %s %s ending at %s, and went on\n", doing,
                    cexe_kind_name(c->kind), conf_name(c), end);
        }
        char lead[256];
        snprintf(lead, sizeof lead, "  Chronon's %s: ", short_logger(rec->logger));
        print_message(stderr, lead, "    ", rec->message);
    }
}

static int sql(runner *r, const char *statement)
{
    if (r->ro->dry_run) {
        fprintf(stderr, "dry-run: sql %s\n", statement);
        return 0;
    }
    crt_session *s = session(r);
    if (!s)
        return 1;
    crt_error err;
    memset(&err, 0, sizeof err);
    crt_status st = crt_sql(s, statement, 0, NULL, &err);
    if (st != CRT_OK) {
        crt_error_print(&err, stderr);
        return st == CRT_ERR_INTERRUPTED ? 130 : 1;
    }
    return 0;
}

static step_arg sarg(const char *s) { return (step_arg){.arg = {.kind = CRT_ARG_STRING, .s = s}}; }
static step_arg iarg(long long i) { return (step_arg){.arg = {.kind = CRT_ARG_INT, .i = i}}; }
static step_arg barg(bool b) { return (step_arg){.arg = {.kind = CRT_ARG_BOOL, .b = b}}; }
static step_arg table_utils(void) { return (step_arg){.arg = {.kind = CRT_ARG_SESSION}}; }

/* The config as JSON for the JVM: thrift_simple_json of the edited copy.
 * label gets "<Kind name>" for the plan. */
static char *to_json(cexe_conf *c, char *label, size_t label_size)
{
    tj_error err;
    size_t len;
    char *json = cexe_conf_to_json(c, &len, &err);
    if (!json)
        fprintf(stderr, "error: cannot write %s %s as JSON: %s: %s\n", cexe_kind_name(c->kind), conf_name(c),
                err.path[0] ? err.path : "$", err.message);
    snprintf(label, label_size, "<%s %s>", cexe_kind_name(c->kind), conf_name(c));
    return json;
}

/* Parse first with the JVM (PySparkUtils.parse*), as PySpark's *_to_java
 * does: a config the JVM refuses fails before anything is dropped or run. */
static int parse_on_jvm(runner *r, cexe_kind kind, const char *json, const char *label)
{
    static const char *methods[] = {"parseGroupBy", "parseJoin", "parseStagingQuery"};
    step_arg a = sarg(json);
    a.label = label;
    return call(r, methods[kind], &a, 1, 1, NULL);
}

/* Show and/or save the rows a run returned. */
static int report_rows(runner *r, crt_table *t)
{
    const cexe_run_opts *ro = r->ro;
    if (ro->output) {
        crt_error err;
        memset(&err, 0, sizeof err);
        size_t n = strlen(ro->output);
        bool csv = n >= 4 && strcmp(ro->output + n - 4, ".csv") == 0;
        bool ok = csv ? crt_table_write_csv(t, ro->output, &err) : crt_table_write_jsonl(t, ro->output, &err);
        if (!ok) {
            crt_error_print(&err, stderr);
            return 1;
        }
        logop("Wrote %zu rows to %s", t->nrows, ro->output);
    }
    if (ro->show > 0) {
        crt_table view = *t;
        if (view.nrows > (size_t)ro->show)
            view.nrows = (size_t)ro->show;
        crt_table_print(&view, stdout);
    }
    return 0;
}

static bool copy_conf(cexe_conf *dst, cexe_conf *src)
{
    memset(dst, 0, sizeof *dst);
    dst->kind = src->kind;
    return tj_copy(cexe_desc(src->kind), &dst->u, &src->u) == TJ_OK;
}

/* A GroupBy's join sources read the output table of their join: they get the
 * same name prefix and namespace as this run, so they read the tables the
 * upstream step writes (see run_upstream). */
/* The start an upstream join named name runs from: start minus the longest
 * window of each GroupBy of gbs that reads it, the earliest of them
 * (_execute_underlying_join_sources), in start's form (dashed or not). */
static bool upstream_start(chronon_GroupBy *const *gbs, size_t ngbs, const char *name, const char *start,
                           char out[CEXE_DATE_MAX])
{
    cexe_date first, probe;
    bool any = false;
    if (!cexe_date_parse(start, &probe))
        return false;
    for (size_t g = 0; g < ngbs; g++) {
        const chronon_GroupBy *gb = gbs[g];
        for (size_t i = 0; gb && gb->has_sources && i < gb->sources.len; i++) {
            const chronon_JoinSource *js = gb->sources.items[i].joinSource;
            if (!js || !js->join || !js->join->metaData || !js->join->metaData->name ||
                strcmp(js->join->metaData->name, name) != 0)
                continue;
            cexe_date d = probe;
            d.days -= cexe_max_window_days(gb);
            if (!any || d.days < first.days)
                first = d;
            any = true;
        }
    }
    if (!any)
        return false;
    first.dashed = probe.dashed;
    cexe_date_format(first, out);
    return true;
}

static bool edit_join_dates(runner *r, chronon_Join *j, const char *start, const char *end);

/* The joins that gb reads through join sources, as the upstream step ran them:
 * this run's name prefix and namespace, and the date edits of that run (from
 * upstream_start over gbs, gb's siblings, to end). Chronon rebuilds the join
 * from the GroupBy's own source and checks its semantic hash, which covers
 * those dates, against the table's: any other dates and it archives the
 * table the upstream step just wrote and computes it again. */
static bool edit_join_sources(runner *r, chronon_GroupBy *gb, chronon_GroupBy *const *gbs, size_t ngbs,
                              const char *start, const char *end)
{
    if (!gb || !gb->has_sources)
        return true;
    for (size_t i = 0; i < gb->sources.len; i++) {
        chronon_JoinSource *js = gb->sources.items[i].joinSource;
        if (!js || !js->join || !js->join->metaData)
            continue;
        char jstart[CEXE_DATE_MAX];
        const char *name = js->join->metaData->name;
        bool dated = name && upstream_start(gbs, ngbs, name, start, jstart);
        cexe_conf view = {.kind = CEXE_JOIN};
        view.u.join = *js->join;
        bool ok = cexe_set_metadata(&view, r->prefix, r->ro->output_namespace);
        *js->join = view.u.join;
        if (!ok || (dated && !edit_join_dates(r, js->join, jstart, end)))
            return false;
    }
    return true;
}

static int run_join(runner *r, cexe_conf *c, const char *start, const char *end, int depth, bool top);

/* _execute_underlying_join_sources: the joins feeding gbs' join sources run
 * first, each from start minus its GroupBy's longest window (the earliest such
 * date per join) to end. */
static int run_upstream(runner *r, chronon_GroupBy **gbs, size_t ngbs, const char *start, const char *end,
                        int depth)
{
    chronon_Join **joins = NULL;
    cexe_date *starts = NULL;
    size_t njoins = 0;
    int status = 0;
    for (size_t g = 0; g < ngbs && status == 0; g++) {
        chronon_GroupBy *gb = gbs[g];
        if (!gb || !gb->has_sources)
            continue;
        cexe_date shifted;
        if (!cexe_date_parse(start, &shifted)) {
            status = 1;
            break;
        }
        shifted.days -= cexe_max_window_days(gb);
        for (size_t i = 0; i < gb->sources.len && status == 0; i++) {
            chronon_JoinSource *js = gb->sources.items[i].joinSource;
            if (!js || !js->join)
                continue;
            const char *name = js->join->metaData ? js->join->metaData->name : NULL;
            if (!name) {
                fprintf(stderr, "error: a join source of GroupBy %s has no name\n",
                        gb->metaData && gb->metaData->name ? gb->metaData->name : "(unnamed)");
                status = 1;
                break;
            }
            size_t k = 0;
            while (k < njoins && strcmp(joins[k]->metaData->name, name) != 0)
                k++;
            if (k < njoins) {
                if (shifted.days < starts[k].days)
                    starts[k] = shifted;
                continue;
            }
            chronon_Join **gj = realloc(joins, (njoins + 1) * sizeof *gj);
            if (gj)
                joins = gj;
            cexe_date *gs = gj ? realloc(starts, (njoins + 1) * sizeof *gs) : NULL;
            if (gs)
                starts = gs;
            if (!gj || !gs) {
                fprintf(stderr, "error: out of memory\n");
                status = 1;
                break;
            }
            joins[njoins] = js->join;
            starts[njoins++] = shifted;
        }
    }
    if (status == 0 && njoins > 0) {
        if (depth >= MAX_UPSTREAM_DEPTH) {
            fprintf(stderr, "error: join sources nest more than %d deep\n", MAX_UPSTREAM_DEPTH);
            status = 1;
        } else {
            logop("Executing %zu Join Sources", njoins);
        }
        for (size_t k = 0; k < njoins && status == 0; k++) {
            char jstart[CEXE_DATE_MAX];
            starts[k].dashed = false;
            cexe_date probe;
            if (cexe_date_parse(start, &probe))
                starts[k].dashed = probe.dashed;
            cexe_date_format(starts[k], jstart);
            cexe_conf jc;
            memset(&jc, 0, sizeof jc);
            jc.kind = CEXE_JOIN;
            if (tj_copy(&chronon_Join_desc, &jc.u.join, joins[k]) != TJ_OK ||
                !cexe_set_metadata(&jc, r->prefix, r->ro->output_namespace)) {
                fprintf(stderr, "error: out of memory\n");
                cexe_conf_free(&jc);
                status = 1;
                break;
            }
            logop("Executing Join Source %s from %s to %s", conf_name(&jc), jstart, end);
            status = run_join(r, &jc, jstart, end, depth + 1, false);
            if (status == 0) {
                char *table = cexe_output_table(jc.u.join.metaData);
                logop("Join Source %s will be read from %s", conf_name(&jc), table ? table : "?");
                free(table);
            }
            cexe_conf_free(&jc);
        }
        if (status == 0)
            logop("Finished executing Join Sources");
    }
    free(joins);
    free(starts);
    return status;
}

/* Print the edited config of the top step (dry run). */
static void print_dry(runner *r, const char *json, bool top)
{
    if (r->ro->dry_run && top && json)
        printf("%s\n", json);
}

static int finish_call(runner *r, const char *method, step_arg *args, size_t n, bool top, const char *what,
                       cexe_conf *c, const char *table, const char *start, const char *end)
{
    crt_table rows;
    memset(&rows, 0, sizeof rows);
    crt_log log;
    memset(&log, 0, sizeof log);
    bool want_rows = top && !r->ro->dry_run;
    size_t limit = r->ro->output ? 0 : (size_t)(r->ro->show > 0 ? r->ro->show : 1);
    int status = call_ex(r, method, args, n, limit, want_rows ? &rows : NULL, "ERROR", &log, NULL);
    if (status == 0)
        report_recovered_errors(&log, "running", c, start, end);
    crt_log_free(&log);
    if (status == 0 && !r->ro->dry_run) {
        if (table)
            logop("%s %s executed successfully and was written to %s", what, conf_name(c), table);
        else
            logop("%s %s executed successfully", what, conf_name(c));
        if (want_rows)
            status = report_rows(r, &rows);
    }
    if (want_rows)
        crt_table_free(&rows);
    return status;
}

static long step_days(runner *r) { return r->ro->step_days > 0 ? r->ro->step_days : 30; }

/* The tables a GroupBy reads must be there: say which one is not. Without
 * this, Chronon finds nothing to backfill and PySparkUtils.runGroupBy then
 * fails on the GroupBy's own output table, which names the wrong table. A
 * join source's table is checked only with --no-upstream (else the upstream
 * step has just written it). */
static int check_source_tables(runner *r, const chronon_GroupBy *gb)
{
    if (r->ro->dry_run || !gb->has_sources)
        return 0;
    for (size_t i = 0; i < gb->sources.len; i++) {
        const chronon_Source *src = &gb->sources.items[i];
        const chronon_JoinSource *js = src->joinSource;
        if (js && !r->ro->no_upstream)
            continue;
        char *table = cexe_source_table(src);
        if (!table)
            continue;
        crt_session *s = session(r);
        if (!s) {
            free(table);
            return 1;
        }
        size_t n = strlen(table) + 32;
        char *stmt = malloc(n);
        crt_error err;
        memset(&err, 0, sizeof err);
        crt_status st = CRT_ERR_NOMEM;
        if (stmt) {
            snprintf(stmt, n, "DESCRIBE TABLE %s", table);
            st = crt_sql(s, stmt, 0, NULL, &err);
        }
        free(stmt);
        if (st == CRT_ERR_JAVA && strstr(err.java_class, "AnalysisException")) {
            if (js)
                fprintf(stderr,
                        "error: --no-upstream: the table of join source %s, %s, does not exist; run without "
                        "--no-upstream so that the join runs first\n",
                        js->join && js->join->metaData && js->join->metaData->name ? js->join->metaData->name : "?",
                        table);
            else
                fprintf(stderr, "error: the source table %s of GroupBy %s does not exist (%s)\n", table,
                        gb->metaData && gb->metaData->name ? gb->metaData->name : "?", err.message);
        } else if (st != CRT_OK) {
            crt_error_print(&err, stderr);
        }
        free(table);
        if (st != CRT_OK)
            return st == CRT_ERR_INTERRUPTED ? 130 : 1;
    }
    return 0;
}

static int run_group_by(runner *r, cexe_conf *c, const char *start, const char *end)
{
    logop("Executing GroupBy %s from %s to %s with step_days %ld", conf_name(c), start, end, step_days(r));
    logop("Skip Execution of Underlying Join Sources: %s", r->ro->no_upstream ? "True" : "False");
    int status = 0;
    if (!r->ro->no_upstream) {
        chronon_GroupBy *gb = &c->u.gb;
        status = run_upstream(r, &gb, 1, start, end, 0);
        if (status)
            return status;
    }
    cexe_conf x;
    chronon_GroupBy *self = &c->u.gb; /* as it was: the upstream step's view */
    if (!copy_conf(&x, c) || !cexe_set_str(&x.u.gb.backfillStartDate, start) ||
        !cexe_update_group_by_sources(&x.u.gb, start, end) || !edit_join_sources(r, &x.u.gb, &self, 1, start, end)) {
        fprintf(stderr, "error: cannot edit GroupBy %s\n", conf_name(c));
        cexe_conf_free(&x);
        return 1;
    }
    char label[512];
    char *json = to_json(&x, label, sizeof label);
    char *table = cexe_output_table(x.u.gb.metaData);
    if (!json || !table) {
        status = 1;
        goto done;
    }
    print_dry(r, json, true);
    if ((status = parse_on_jvm(r, CEXE_GROUP_BY, json, label)) != 0)
        goto done;
    if ((status = check_source_tables(r, &x.u.gb)) != 0)
        goto done;
    /* GroupBy backfills keep no semantic hash: PySpark drops the table first. */
    size_t n = strlen(table) + 32;
    char *drop = malloc(n);
    if (!drop) {
        status = 1;
        goto done;
    }
    snprintf(drop, n, "DROP TABLE IF EXISTS %s", table);
    status = sql(r, drop);
    free(drop);
    if (status)
        goto done;
    step_arg args[] = {sarg(json), sarg(end), iarg(step_days(r)), table_utils()};
    args[0].label = label;
    status = finish_call(r, "runGroupBy", args, 4, true, "GroupBy", &x, table, start, end);
done:
    free(json);
    free(table);
    cexe_conf_free(&x);
    return status;
}

/* _update_source_dates_for_join_parts and the left side; the join sources of
 * the parts as their upstream step ran them. */
static bool edit_join_dates(runner *r, chronon_Join *j, const char *start, const char *end)
{
    if (j->left && !cexe_update_source_dates(j->left, start, end))
        return false;
    if (!j->has_joinParts || j->joinParts.len == 0)
        return true;
    size_t n = j->joinParts.len;
    /* The upstream starts come from the parts as they were before this edit
     * (it renames their join sources), as run_upstream saw them. */
    chronon_GroupBy *orig = calloc(n, sizeof *orig);
    chronon_GroupBy **gbs = orig ? calloc(n, sizeof *gbs) : NULL;
    bool ok = gbs != NULL;
    for (size_t i = 0; ok && i < n; i++)
        if (j->joinParts.items[i].groupBy) {
            ok = tj_copy(&chronon_GroupBy_desc, &orig[i], j->joinParts.items[i].groupBy) == TJ_OK;
            gbs[i] = &orig[i];
        }
    for (size_t i = 0; ok && i < n; i++) {
        chronon_GroupBy *gb = j->joinParts.items[i].groupBy;
        ok = !gb || (cexe_update_group_by_sources(gb, start, end) &&
                     (!r || edit_join_sources(r, gb, gbs, n, start, end)));
    }
    for (size_t i = 0; gbs && i < n; i++)
        if (gbs[i])
            tj_free(&chronon_GroupBy_desc, gbs[i]);
    free(gbs);
    free(orig);
    return ok;
}

static int run_join(runner *r, cexe_conf *c, const char *start, const char *end, int depth, bool top)
{
    bool skip_first_hole = top && r->ro->skip_first_hole == 1;
    logop("Executing Join %s from %s to %s with step_days %ld", conf_name(c), start, end, step_days(r));
    logop("Skip First Hole: %s", skip_first_hole ? "True" : "False");
    logop("Skip Execution of Underlying Join: %s", r->ro->no_upstream ? "True" : "False");
    cexe_conf x;
    if (!copy_conf(&x, c) || (x.u.join.left && !cexe_update_source_dates(x.u.join.left, start, end))) {
        fprintf(stderr, "error: cannot edit Join %s\n", conf_name(c));
        cexe_conf_free(&x);
        return 1;
    }
    int status = 0;
    if (!r->ro->no_upstream && x.u.join.has_joinParts && x.u.join.joinParts.len > 0) {
        size_t n = x.u.join.joinParts.len;
        chronon_GroupBy **gbs = calloc(n, sizeof *gbs);
        if (!gbs) {
            cexe_conf_free(&x);
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            gbs[i] = x.u.join.joinParts.items[i].groupBy;
        status = run_upstream(r, gbs, n, start, end, depth);
        free(gbs);
        if (status) {
            cexe_conf_free(&x);
            return status;
        }
    }
    if (!edit_join_dates(r, &x.u.join, start, end)) {
        fprintf(stderr, "error: cannot edit Join %s\n", conf_name(c));
        cexe_conf_free(&x);
        return 1;
    }
    char label[512];
    char *json = to_json(&x, label, sizeof label);
    char *table = cexe_output_table(x.u.join.metaData);
    if (!json || !table) {
        status = 1;
        goto done;
    }
    print_dry(r, json, top);
    if ((status = parse_on_jvm(r, CEXE_JOIN, json, label)) != 0)
        goto done;
    step_arg args[] = {sarg(json), sarg(end), iarg(step_days(r)), barg(skip_first_hole), table_utils()};
    args[0].label = label;
    status = finish_call(r, "runJoin", args, 5, top, "Join", &x, table, start, end);
done:
    free(json);
    free(table);
    cexe_conf_free(&x);
    return status;
}

static int run_staging_query(runner *r, cexe_conf *c, const char *end)
{
    const cexe_run_opts *ro = r->ro;
    bool auto_expand = ro->enable_auto_expand != 0;
    bool skip_first_hole = ro->skip_first_hole != 0;
    logop("Executing StagingQuery %s ending at %s", conf_name(c), end);
    if (ro->step_days > 0)
        logop("Step Days: %ld", ro->step_days);
    logop("Enable Auto Expand: %s", auto_expand ? "True" : "False");
    if (ro->override_start_partition)
        logop("Override Start Partition: %s", ro->override_start_partition);
    logop("Skip First Hole: %s", skip_first_hole ? "True" : "False");
    char label[512];
    char *json = to_json(c, label, sizeof label);
    char *table = cexe_output_table(c->u.sq.metaData);
    int status = 1;
    if (json && table) {
        print_dry(r, json, true);
        status = parse_on_jvm(r, CEXE_STAGING_QUERY, json, label);
        if (status == 0) {
            /* Option[Int] stepDays: None unless given (a NULL string is None) */
            step_arg args[] = {sarg(json),
                               sarg(end),
                               ro->step_days > 0 ? iarg(ro->step_days) : sarg(NULL),
                               barg(auto_expand),
                               sarg(ro->override_start_partition),
                               barg(skip_first_hole),
                               table_utils()};
            args[0].label = label;
            status = finish_call(r, "runStagingQuery", args, 7, true, "StagingQuery", c, table, NULL, end);
        }
    }
    free(json);
    free(table);
    return status;
}

/* What Chronon's Analyzer logged (at INFO and above), on standard output:
 * its result (schemas, heavy hitters, timestamp checks, validations), which
 * PySparkUtils.analyze* does not return. */
static void print_analysis(const crt_log *log)
{
    for (size_t i = 0; i < log->n; i++)
        if (strcmp(log->records[i].logger, ANALYZER_LOGGER) == 0 && strcmp(log->records[i].level, "ERROR") != 0)
            print_message(stdout, "", "", log->records[i].message);
}

static int analyze(runner *r, cexe_conf *c, const char *start, const char *end)
{
    const char *what = cexe_kind_name(c->kind);
    logop("Analyzing %s %s from %s to %s", what, conf_name(c), start, end);
    logop("Enable Hitter Analysis: %s", r->ro->enable_hitter_analysis ? "True" : "False");
    cexe_conf x;
    chronon_GroupBy *self = c->kind == CEXE_GROUP_BY ? &c->u.gb : NULL;
    bool ok = copy_conf(&x, c);
    if (ok && c->kind == CEXE_GROUP_BY)
        ok = cexe_update_group_by_sources(&x.u.gb, start, end) && edit_join_sources(r, &x.u.gb, &self, 1, start, end);
    else if (ok)
        ok = edit_join_dates(r, &x.u.join, start, end);
    if (!ok) {
        fprintf(stderr, "error: cannot edit %s %s\n", what, conf_name(c));
        cexe_conf_free(&x);
        return 1;
    }
    char label[512];
    char *json = to_json(&x, label, sizeof label);
    int status = 1;
    if (json) {
        print_dry(r, json, true);
        status = parse_on_jvm(r, c->kind, json, label);
        if (status == 0) {
            step_arg args[] = {sarg(json), sarg(start), sarg(end), barg(r->ro->enable_hitter_analysis),
                               table_utils()};
            args[0].label = label;
            crt_log log;
            memset(&log, 0, sizeof log);
            crt_error failed;
            memset(&failed, 0, sizeof failed);
            status = call_ex(r, c->kind == CEXE_GROUP_BY ? "analyzeGroupBy" : "analyzeJoin", args, 5, 1, NULL, "INFO",
                             &log, &failed);
            if (status == 0 && !r->ro->dry_run) {
                print_analysis(&log);
                report_recovered_errors(&log, "analyzing", &x, start, end);
                logop("%s %s analyzed successfully", what, conf_name(c));
            } else if (failed.status != CRT_OK && no_rows_failure(&failed)) {
                char *tables = input_tables(&x);
                fprintf(stderr, "error: nothing to analyze: %s %s has no %s from %s to %s%s%s%s\n", what, conf_name(c),
                        c->kind == CEXE_JOIN ? "rows on its left side" : "input rows", start, end,
                        tables ? " (" : "", tables ? tables : "", tables ? ")" : "");
                free(tables);
            } else if (failed.status != CRT_OK) {
                crt_error_print(&failed, stderr);
            }
            crt_log_free(&log);
        }
    }
    free(json);
    cexe_conf_free(&x);
    return status;
}

int cexe_run(const cexe_config *cfg, cexe_conf *conf, const cexe_run_opts *ro, const cexe_jvm_opts *jo,
             bool analyze_only)
{
    runner r = {.cfg = cfg, .ro = ro, .jo = jo};
    r.prefix = ro->no_name_prefix ? NULL : ro->name_prefix ? ro->name_prefix : cexe_user_prefix();
    chronon_MetaData *md = cexe_meta(conf);
    if (!md || !md->name || !*md->name) {
        fprintf(stderr, "error: the config has no metaData.name; Chronon needs one to name its output\n");
        return 1;
    }
    /* defaults: PySparkExecutable.__init__ */
    cexe_date today;
    if (!cexe_today(&today)) {
        fprintf(stderr, "error: CHRONON_TODAY is not a date (YYYYMMDD)\n");
        return 2;
    }
    char def_start[CEXE_DATE_MAX], def_end[CEXE_DATE_MAX];
    cexe_date d = {.days = today.days - 8};
    cexe_date_format(d, def_start);
    d.days = today.days - 1;
    cexe_date_format(d, def_end);
    const char *start = ro->start_date ? ro->start_date : def_start;
    const char *end = ro->end_date ? ro->end_date : def_end;

    /* set_metadata happens when the executable is made, before any step */
    if (!cexe_set_metadata(conf, r.prefix, ro->output_namespace)) {
        fprintf(stderr, "error: out of memory\n");
        return 1;
    }
    size_t n = strlen(md->name) + 16;
    r.app_name = malloc(n);
    if (!r.app_name)
        return 1;
    snprintf(r.app_name, n, "chronon %s", md->name);

    int status;
    if (analyze_only)
        status = analyze(&r, conf, start, end);
    else if (conf->kind == CEXE_GROUP_BY)
        status = run_group_by(&r, conf, start, end);
    else if (conf->kind == CEXE_JOIN)
        status = run_join(&r, conf, start, end, 0, true);
    else
        status = run_staging_query(&r, conf, end);
    if (status && !ro->dry_run)
        logop("%s failed for %s %s", analyze_only ? "Analysis" : "Execution", cexe_kind_name(conf->kind),
              conf_name(conf));
    if (r.session)
        crt_close(r.session);
    free(r.app_name);
    return status;
}

int cexe_validate_jvm(const cexe_config *cfg, const cexe_jvm_opts *jo, bool require)
{
    static const cexe_run_opts none = {.show = 0};
    runner r = {.cfg = cfg, .ro = &none, .jo = jo, .app_name = (char *)"chronon validate"};
    char *json = malloc(cfg->json_len + 1);
    if (!json)
        return 1;
    memcpy(json, cfg->json, cfg->json_len);
    json[cfg->json_len] = '\0';
    static const char *methods[] = {"parseGroupBy", "parseJoin", "parseStagingQuery"};
    const char *method = methods[cfg->kind];
    int status;
    crt_options opt = {
        .java_home = jo->java_home, .jars = jo->jars, .master = jo->master, .conf = jo->conf,
        .warehouse = jo->warehouse, .log_file = jo->log_file, .app_name = r.app_name, .quiet = jo->quiet,
    };
    crt_error err;
    memset(&err, 0, sizeof err);
    crt_status st = crt_open(&opt, &r.session, &err);
    if (st == CRT_OK) {
        crt_arg a = {.kind = CRT_ARG_STRING, .s = json};
        crt_table t;
        memset(&t, 0, sizeof t);
        st = crt_call_pyspark_utils(r.session, method, &a, 1, 1, &t, &err);
        crt_table_free(&t);
        crt_close(r.session);
    }
    if (st == CRT_OK) {
        printf("jvm: ok: PySparkUtils.%s accepted it\n", method);
        status = 0;
    } else if (st == CRT_ERR_NO_JVM || st == CRT_ERR_CLASSPATH) {
        printf("jvm: not checked: %s\n", st == CRT_ERR_NO_JVM ? "no JVM available"
                                                               : "Chronon's jar is not on the classpath");
        fflush(stdout);
        crt_error_print(&err, stderr);
        status = require ? 1 : 0;
    } else {
        printf("jvm: error: PySparkUtils.%s refused it\n", method);
        fflush(stdout);
        crt_error_print(&err, stderr);
        status = 1;
    }
    free(json);
    return status;
}
