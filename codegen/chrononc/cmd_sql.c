/* chrononc sql: run Spark SQL statements in an embedded JVM (runtime/jvm) on
 * one SparkSession whose warehouse and Hive metastore live in one folder, and
 * print each result as Spark's show() does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "jvm/chronon_runtime.h"
#include "read_file.h"

#define SQL_DEFAULT_SHOW 20

static void sql_usage(FILE *out)
{
    fprintf(out,
            "usage: chrononc sql [OPTIONS] [-f FILE] [STATEMENT...]\n"
            "\n"
            "Run Spark SQL statements, in order, on one SparkSession in an embedded JVM and\n"
            "print each result as Spark's show() does. STATEMENTs and -f FILEs may hold\n"
            "several statements separated by ';'. The warehouse folder holds the tables\n"
            "(spark-warehouse/), the Hive metastore (metastore_db/, Derby) and the logs, so\n"
            "a later run sees the tables an earlier one made.\n"
            "\n"
            "  --warehouse DIR     default $CHRONON_WAREHOUSE, else ./chronon_warehouse\n"
            "  --master URL        default local[*] (spark://HOST:PORT for a standalone cluster)\n"
            "  --conf KEY=VALUE    a Spark setting (repeatable; wins over the defaults below);\n"
            "                      spark.driver.memory sets -Xmx\n"
            "  --jars JARS         ':'-separated jars or folders for the classpath (Chronon's\n"
            "                      spark_uber jar); default $CHRONON_JARS, else the jars of the\n"
            "                      jar cache ~/.cache/chronon-c/jars (make chronon-jar fills\n"
            "                      it). Spark's own jars come from $SPARK_HOME/jars, else the\n"
            "                      pyspark package\n"
            "  --spark-home DIR    Spark's jars from DIR/jars (default $SPARK_HOME)\n"
            "  --java-home DIR     default $JAVA_HOME, else `java` on PATH\n"
            "  --log-file FILE     Spark's log; default WAREHOUSE/logs/PID.log\n"
            "  --quiet             do not print this run's log lines at the end\n"
            "  -f FILE             read statements from FILE ('-' for standard input)\n"
            "  --show N            rows to print per result (default 20, 0 for none)\n"
            "  --output FILE       write the last statement's whole result to FILE: CSV for\n"
            "                      .csv, JSON lines for .jsonl/.json (repeatable; atomic)\n"
            "  --call-pyspark-utils METHOD [--arg KIND:VALUE]...\n"
            "                      after the statements, call ai.chronon.spark.PySparkUtils\n"
            "                      .METHOD; KIND is string, int, bool, session or null\n"
            "\n"
            "Exit status: 0 ok, 1 an error (SQL, Java, classpath, files), 2 usage,\n"
            "130 interrupted (Ctrl-C), 143 terminated (SIGTERM): both cancel the running Spark jobs.\n"
            "Defaults: Chronon's session settings (UTC time zone, dynamic partition overwrite,\n"
            "LEGACY time parser); a local master also gets spark.default.parallelism,\n"
            "spark.sql.shuffle.partitions and spark.chronon.group_by.parallelism = its\n"
            "threads; a cluster gets spark.jars = the user's jars.\n"
            "Environment: CHRONON_LOG_LEVEL (Spark's log level, default warn), CHRONON_JVM_OPTS\n"
            "(more JVM options), CHRONON_CDS_DIR (the class-data cache that halves start-up,\n"
            "default ~/.cache/chronon-c/cds; off to disable).\n");
}

typedef struct stmt_list {
    char **v;
    size_t n, cap;
} stmt_list;

static int push_stmt(stmt_list *l, const char *s, size_t n)
{
    /* skip statements that are only blanks */
    size_t a = 0, b = n;
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r'))
        b--;
    if (a == b)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    char *p = malloc(b - a + 1);
    if (!p)
        return -1;
    memcpy(p, s + a, b - a);
    p[b - a] = '\0';
    l->v[l->n++] = p;
    return 0;
}

/* Is s[0..n) nothing but comments and blanks? */
static int only_comments(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            i++;
        } else if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n')
                i++;
        } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            i += 2;
            while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'))
                i++;
            i += 2;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Split text into statements at ';' outside quotes, backticks and comments. */
static int split_sql(stmt_list *l, const char *text)
{
    size_t start = 0, i = 0, n = strlen(text);
    while (i < n) {
        char c = text[i];
        if (c == '\'' || c == '"' || c == '`') {
            i++;
            while (i < n && text[i] != c) {
                if (text[i] == '\\' && c != '`' && i + 1 < n)
                    i++;
                i++;
            }
            i++;
        } else if (c == '-' && i + 1 < n && text[i + 1] == '-') {
            while (i < n && text[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
            i += 2;
            while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/'))
                i++;
            i += 2;
        } else if (c == ';') {
            if (!only_comments(text + start, i - start) && push_stmt(l, text + start, i - start) != 0)
                return -1;
            start = ++i;
        } else {
            i++;
        }
    }
    if (start < n && !only_comments(text + start, n - start) && push_stmt(l, text + start, n - start) != 0)
        return -1;
    return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --arg KIND:VALUE */
static int parse_arg(const char *spec, crt_arg *a)
{
    memset(a, 0, sizeof *a);
    const char *colon = strchr(spec, ':');
    size_t k = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *v = colon ? colon + 1 : "";
    if (k == 6 && strncmp(spec, "string", 6) == 0) {
        a->kind = CRT_ARG_STRING;
        a->s = v;
    } else if (k == 4 && strncmp(spec, "null", 4) == 0) {
        a->kind = CRT_ARG_STRING;
        a->s = NULL;
    } else if (k == 3 && strncmp(spec, "int", 3) == 0) {
        char *end;
        a->kind = CRT_ARG_INT;
        a->i = strtoll(v, &end, 10);
        if (!*v || *end)
            return -1;
    } else if (k == 4 && strncmp(spec, "bool", 4) == 0) {
        a->kind = CRT_ARG_BOOL;
        if (strcmp(v, "true") == 0)
            a->b = true;
        else if (strcmp(v, "false") != 0)
            return -1;
    } else if (k == 7 && strncmp(spec, "session", 7) == 0) {
        a->kind = CRT_ARG_SESSION;
    } else {
        return -1;
    }
    return 0;
}

/* Print up to show rows of t (the whole table may hold more). */
static void print_table(const crt_table *t, size_t show)
{
    if (show == 0 || t->ncols == 0)
        return;
    crt_table view = *t;
    if (view.nrows > show) {
        view.nrows = show;
        view.more = true;
    }
    crt_table_print(&view, stdout);
    fflush(stdout);
}

static int exit_for(crt_status st)
{
    switch (st) {
    case CRT_OK: return 0;
    case CRT_ERR_USAGE: return 2;
    case CRT_ERR_INTERRUPTED: return 130;
    default: return 1;
    }
}

static void report(const char *where, const crt_error *err)
{
    fflush(stdout);
    if (err->status == CRT_ERR_INTERRUPTED) {
        fprintf(stderr, "chrononc sql: %s\n", err->message);
        return;
    }
    fprintf(stderr, "chrononc sql: %s%s", where ? where : "", where ? ": " : "");
    crt_error_print(err, stderr);
}

int cmd_sql(int argc, char **argv)
{
    crt_options opt = {0};
    const char **conf = calloc((size_t)argc + 1, sizeof *conf);
    const char **outputs = calloc((size_t)argc + 1, sizeof *outputs);
    crt_arg *pargs = calloc((size_t)argc + 1, sizeof *pargs);
    stmt_list stmts = {0};
    size_t nconf = 0, nout = 0, npargs = 0, show = SQL_DEFAULT_SHOW;
    const char *call = NULL;
    int rc = 2, ended = 0;
    if (!conf || !outputs || !pargs) {
        fprintf(stderr, "chrononc sql: out of memory\n");
        rc = 1;
        goto out;
    }
    opt.app_name = "chrononc sql";

    int only_statements = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* a statement: not an option, or one starting with an SQL comment ("-- ...") */
        bool comment = a[0] == '-' && a[1] == '-' && a[2] && strchr(" \t\r\n", a[2]);
        if (only_statements || a[0] != '-' || strcmp(a, "-") == 0 || comment) {
            if (split_sql(&stmts, a) != 0) {
                fprintf(stderr, "chrononc sql: out of memory\n");
                rc = 1;
                goto out;
            }
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_statements = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            sql_usage(stdout);
            rc = 0;
            goto out;
        }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            opt.quiet = true;
            continue;
        }
        /* options with a value: --name VALUE or --name=VALUE */
        static const char *const valued[] = {"--warehouse", "--master", "--conf", "--jars", "--java-home", "--log-file",
                                             "-f", "--file", "--output", "--show", "--call-pyspark-utils", "--arg",
                                             "--spark-home"};
        const char *name = NULL, *val = NULL;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !name; k++) {
            size_t n = strlen(valued[k]);
            if (strcmp(a, valued[k]) == 0) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "chrononc sql: %s needs a value\n", a);
                    goto usage;
                }
                name = valued[k];
                val = argv[++i];
            } else if (strncmp(a, valued[k], n) == 0 && a[n] == '=' && valued[k][1] == '-') {
                name = valued[k];
                val = a + n + 1;
            }
        }
        if (!name) {
            fprintf(stderr, "chrononc sql: unknown option '%s'\n", a);
            goto usage;
        }
        if (strcmp(name, "--warehouse") == 0)
            opt.warehouse = val;
        else if (strcmp(name, "--master") == 0)
            opt.master = val;
        else if (strcmp(name, "--conf") == 0) {
            if (!strchr(val, '=') || val[0] == '=') {
                fprintf(stderr, "chrononc sql: --conf %s: expected KEY=VALUE\n", val);
                goto usage;
            }
            conf[nconf++] = val;
        } else if (strcmp(name, "--jars") == 0)
            opt.jars = val;
        else if (strcmp(name, "--spark-home") == 0)
            opt.spark_home = val;
        else if (strcmp(name, "--java-home") == 0)
            opt.java_home = val;
        else if (strcmp(name, "--log-file") == 0)
            opt.log_file = val;
        else if (strcmp(name, "-f") == 0 || strcmp(name, "--file") == 0) {
            char why[256];
            size_t len;
            char *text = read_file(val, &len, why, sizeof why);
            if (!text) {
                fprintf(stderr, "chrononc sql: %s: cannot read: %s\n", val, why);
                rc = 1;
                goto out;
            }
            int r = split_sql(&stmts, text);
            free(text);
            if (r != 0) {
                fprintf(stderr, "chrononc sql: out of memory\n");
                rc = 1;
                goto out;
            }
        } else if (strcmp(name, "--output") == 0) {
            if (!has_suffix(val, ".csv") && !has_suffix(val, ".jsonl") && !has_suffix(val, ".json")) {
                fprintf(stderr, "chrononc sql: --output %s: the name must end in .csv, .jsonl or .json\n", val);
                goto usage;
            }
            outputs[nout++] = val;
        } else if (strcmp(name, "--show") == 0) {
            char *end;
            long long n = strtoll(val, &end, 10);
            if (!*val || *end || n < 0) {
                fprintf(stderr, "chrononc sql: --show %s: expected a row count (0 or more)\n", val);
                goto usage;
            }
            show = (size_t)n;
        } else if (strcmp(name, "--call-pyspark-utils") == 0)
            call = val;
        else if (strcmp(name, "--arg") == 0) {
            if (parse_arg(val, &pargs[npargs]) != 0) {
                fprintf(stderr, "chrononc sql: --arg %s: expected string:TEXT, int:N, bool:true|false, session or null\n",
                        val);
                goto usage;
            }
            npargs++;
        }
    }
    if (npargs && !call) {
        fprintf(stderr, "chrononc sql: --arg without --call-pyspark-utils\n");
        goto usage;
    }
    if (stmts.n == 0 && !call) {
        fprintf(stderr, "chrononc sql: no statement to run\n");
        goto usage;
    }
    if (nout && stmts.n == 0) {
        fprintf(stderr, "chrononc sql: --output needs a statement whose result it writes\n");
        goto usage;
    }
    opt.conf = conf;

    crt_session *s = NULL;
    crt_error err;
    crt_status st = crt_open(&opt, &s, &err);
    if (st != CRT_OK) {
        report(NULL, &err);
        rc = exit_for(st);
        ended = 1;
        goto out;
    }
    rc = 0;
    crt_error failure = {.status = CRT_OK};
    char where[64];
    const char *failed_where = NULL;
    for (size_t i = 0; i < stmts.n && rc == 0; i++) {
        bool last = i + 1 == stmts.n;
        crt_table t;
        /* the last statement is collected whole when it is written out */
        size_t limit = last && nout ? 0 : (show ? show : 1);
        st = crt_sql(s, stmts.v[i], limit, &t, &err);
        if (st != CRT_OK) {
            snprintf(where, sizeof where, "statement %zu", i + 1);
            failure = err;
            failed_where = stmts.n > 1 ? where : NULL;
            rc = exit_for(st);
            break;
        }
        print_table(&t, show);
        if (last) {
            for (size_t k = 0; k < nout && rc == 0; k++) {
                if (t.ncols == 0) {
                    fprintf(stderr, "chrononc sql: --output %s: the last statement returned no result to write\n",
                            outputs[k]);
                    rc = 1;
                    break;
                }
                bool ok = has_suffix(outputs[k], ".csv") ? crt_table_write_csv(&t, outputs[k], &err)
                                                         : crt_table_write_jsonl(&t, outputs[k], &err);
                if (!ok) {
                    report(NULL, &err);
                    rc = 1;
                }
            }
        }
        crt_table_free(&t);
    }
    if (rc == 0 && call) {
        crt_table t;
        st = crt_call_pyspark_utils(s, call, pargs, npargs, show ? show : 1, &t, &err);
        if (st != CRT_OK) {
            failure = err;
            rc = exit_for(st);
        } else {
            print_table(&t, show);
            crt_table_free(&t);
        }
    }
    crt_close(s); /* prints the JVM log: the error comes after it, last */
    if (failure.status != CRT_OK)
        report(failed_where, &failure);
    ended = 1;
    goto out;

usage:
    fprintf(stderr, "Run 'chrononc sql --help' for the options.\n");
    rc = 2;
out:
    for (size_t i = 0; i < stmts.n; i++)
        free(stmts.v[i]);
    free(stmts.v);
    free(conf);
    free(outputs);
    free(pargs);
    /* Through the JVM's exit when one ran: its shutdown hooks clean up. */
    return ended ? crt_exit(rc) : rc;
}
