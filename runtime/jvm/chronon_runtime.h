/*
 * chronon_runtime: run Chronon configs and Spark SQL from C, through one
 * embedded JVM started with JNI.
 *
 * The JVM is found (--java-home, JAVA_HOME, `java` on PATH), libjvm is loaded
 * with dlopen at run time (no link-time dependency on a JDK), started once
 * with the classpath (Spark's jars from SPARK_HOME/jars or the pyspark package,
 * then --jars or CHRONON_JARS, as spark-submit orders them) and the JVM options
 * Spark 3.3 needs on Java 17 (--add-opens), and a SparkSession is built:
 * embedded local[*] with a warehouse and a Derby metastore under one folder by
 * default (Hive catalog, so partitioned tables persist across runs), or
 * --master URL with --conf k=v.
 *
 * Spark's log4j2 logging goes to the log file only (level $CHRONON_LOG_LEVEL,
 * default warn); crt_close prints this run's lines of it to stderr between
 * "----- BEGIN JVM LOG (<file>) -----" and "----- END JVM LOG -----" unless
 * quiet. Ctrl-C: crt_open blocks SIGINT in the calling thread (so in every JVM
 * thread) and a watcher thread takes it: it cancels the Spark jobs
 * (SparkContext.cancelAllJobs), the running call returns CRT_ERR_INTERRUPTED;
 * a second Ctrl-C, or 10 s without the call returning, ends the process (130).
 * SIGTERM the same way (crt_signal.c), and after crt_close has stopped Spark and
 * removed the run's temporary folder the process ends by the signal (143).
 *
 * Start-up is dominated by loading Spark's classes, so the JVM keeps a class-data
 * sharing (CDS) archive per JDK + classpath in $CHRONON_CDS_DIR (default
 * ~/.cache/chronon-c/cds; "off" disables it): the first run writes it as it
 * exits (crt_exit), later runs map it and start about twice as fast.
 *
 * The one JVM handle is the only global state of the project (JNI allows one
 * JVM per process); everything else is passed as values. Errors come back as
 * crt_error values with the Java exception class, message and cause chain.
 */
#ifndef CHRONON_RUNTIME_H
#define CHRONON_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum crt_status {
    CRT_OK = 0,
    CRT_ERR_USAGE,          /* bad option or argument */
    CRT_ERR_NO_JVM,         /* no Java found, or JAVA_HOME / --java-home is not a JDK/JRE */
    CRT_ERR_CLASSPATH,      /* a class needed is missing (e.g. Chronon's jar not on the classpath) */
    CRT_ERR_JAVA,           /* a Java exception: see java_class / message / cause */
    CRT_ERR_INTERRUPTED,    /* Ctrl-C: Spark jobs cancelled */
    CRT_ERR_IO,             /* our own files (output, log) */
    CRT_ERR_NOMEM
} crt_status;

typedef struct crt_error {
    crt_status status;
    char message[2048];     /* for humans: what failed and how to fix it (a Java
                               exception's own message, which may span lines) */
    char java_class[256];   /* CRT_ERR_JAVA / CRT_ERR_CLASSPATH: e.g. org.apache.spark.sql.AnalysisException */
    char cause[4096];       /* the cause chain, "Class: message" per line, innermost last */
    /* (added) Where a Java exception came from: the first frame of Chronon's
     * code (ai.chronon.*) on its stack, else its top frame, such as
     * "ai.chronon.spark.Analyzer.dataFrameToMap(Analyzer.scala:783)". Set by
     * crt_call_pyspark_utils for what the called method threw; empty otherwise
     * (crt_error_clear leaves it: callers that reuse an error value clear it). */
    char java_where[512];
} crt_error;

/* How to start the JVM and the SparkSession. Unset (NULL/0) fields take the
 * defaults described above; each also has an environment variable. */
typedef struct crt_options {
    const char *java_home;   /* --java-home; else JAVA_HOME; else `java` on PATH */
    const char *jars;        /* --jars: ':'-separated jars or folders; else CHRONON_JARS */
    const char *spark_home;  /* SPARK_HOME: its jars/ folder joins the classpath */
    const char *master;      /* --master; default "local[*]" */
    const char *const *conf; /* --conf k=v pairs, NULL-terminated */
    const char *warehouse;   /* --warehouse; else CHRONON_WAREHOUSE; else ./chronon_warehouse */
    const char *log_file;    /* --log-file: JVM/Spark logs go here; default <warehouse>/logs/<pid>.log */
    const char *app_name;    /* Spark application name */
    bool quiet;              /* --quiet: do not echo this job's log lines on exit */
} crt_options;

typedef struct crt_session crt_session;

/* Start the JVM (once per process) and build the SparkSession. */
crt_status crt_open(const crt_options *opt, crt_session **out, crt_error *err);
/* Stop the SparkSession; the JVM stays (JNI cannot restart one). */
void crt_close(crt_session *s);

/* (added) End the process with status. If this process started the JVM, the
 * end goes through java.lang.System.exit(status): Java's shutdown hooks run
 * (Spark deletes its temporary folders) and the JVM writes its class-data
 * cache (see crt_open), then the process exits; this does not return. Without
 * a JVM it only returns status. Status 130 (interrupted) ends the process at
 * once instead (_exit: no hooks, no cache). Call it after crt_close, last. */
int crt_exit(int status);

/* A result table: column names and rows of printable strings (NULL = null).
 * Values are Spark's CAST(... AS STRING) of each cell, binary as show() writes
 * it ("[01 0A]"): what show() prints. Tables from crt_call_pyspark_utils also
 * hold json: the JSON text of every array, map and struct cell. */
typedef struct crt_table {
    size_t ncols, nrows;
    char **columns;
    char ***rows;            /* rows[r][c] */
    /* (added) */
    char **types;            /* Spark's type of each column ("int", "string", "array<int>", ...) or NULL */
    bool more;               /* the result had more rows than the limit asked for */
    /* (added) json[r][c]: the cell as JSON text when its column is an array,
     * map or struct (Spark's to_json with ignoreNullFields=false: arrays as
     * [..], maps and structs as objects with their keys / field names, null
     * inside them as null, doubles as Java's Double.toString writes them
     * (1.0E10), NaN and Infinity as strings, timestamps as ISO-8601 text with
     * the zone offset, binary as base64). NULL for other columns and for null
     * cells; json itself is NULL when the table has no such column. */
    char ***json;
} crt_table;
void crt_table_free(crt_table *t);

/* Run one Spark SQL statement; rows up to limit (0 = all) come back in out
 * (may be NULL for statements with no result: commands such as CREATE or
 * INSERT run either way, a query only when its rows are collected). */
crt_status crt_sql(crt_session *s, const char *statement, size_t limit, crt_table *out, crt_error *err);

/* Print a table as Spark's show() does (to out: truncated at 20 characters,
 * right-aligned, "only showing top N rows" when more is set; json is not
 * used), or write it as CSV or JSON lines. Files are written to a temporary
 * name in the same folder, synced and renamed over the target.
 *
 * CSV: a header line, then one line per row, every line ending in LF (not
 * RFC 4180's CRLF: what Spark's CSV writer and Unix tools write). A field
 * holding a comma, a double quote, CR or LF is quoted with its quotes doubled
 * (RFC 4180). null is an empty field, the empty string "". Array, map and
 * struct cells are their JSON text (json above), else the cell's text.
 *
 * JSON lines: one object per row, keys the column names in order. Array, map
 * and struct cells are their JSON value (json above); numbers (tinyint to
 * bigint, float, double, decimal) and booleans by the column's type; NaN and
 * Infinity, which JSON has no number for, as strings; the rest as strings,
 * null as null. Strings are escaped as JSON needs (", \, control characters
 * as \n \t ... \u001f); other UTF-8 is written as it is. */
void crt_table_print(const crt_table *t, FILE *out);
bool crt_table_write_csv(const crt_table *t, const char *path, crt_error *err);    /* atomic */
bool crt_table_write_jsonl(const crt_table *t, const char *path, crt_error *err);  /* atomic */

/* Call a static method of ai.chronon.spark.PySparkUtils by name with string /
 * int / bool arguments as its signature needs, returning a DataFrame's first
 * rows (limit) as a table. Used by the per-config executables. The overload
 * with nargs parameters that the arguments convert to is used: String <- any;
 * int/long/short/double <- int (or a numeric string); boolean <- bool;
 * scala.Option <- Some(value) (a NULL string: None); SparkSession <- session;
 * TableUtils (a class whose constructor takes the SparkSession, or interface
 * BaseX with such a class X beside it) <- session; a Chronon API type T <-
 * string, through PySparkUtils.parseT(json). A non-DataFrame result comes back
 * as one cell, column "result", holding its toString() (NULL for null/Unit).
 * No Chronon jar: CRT_ERR_CLASSPATH naming the class and --jars/CHRONON_JARS. */
typedef enum crt_arg_kind { CRT_ARG_STRING, CRT_ARG_INT, CRT_ARG_BOOL, CRT_ARG_SESSION } crt_arg_kind;
typedef struct crt_arg {
    crt_arg_kind kind;
    const char *s;
    long long i;
    bool b;
} crt_arg;
crt_status crt_call_pyspark_utils(crt_session *s, const char *method, const crt_arg *args, size_t nargs,
                                  size_t limit, crt_table *out, crt_error *err);

/* (added) Log records held in memory. Chronon reports some results only in
 * its log (the Analyzer's schemas and heavy hitters, at INFO, below the log
 * file's level) and logs some errors it then recovers from; a capture takes
 * the records of one logger and the loggers below it while a call runs. */
typedef struct crt_log_record {
    char *level;        /* "ERROR", "WARN", "INFO", ... */
    char *logger;       /* the logger's full name: "ai.chronon.spark.Analyzer" */
    char *message;      /* the formatted message, as logged (may span lines);
                           a logged exception's stack trace is in the log file only */
    long long time_ms;  /* when it was logged: milliseconds since 1970-01-01 UTC */
} crt_log_record;
typedef struct crt_log {
    size_t n;
    crt_log_record *records;
} crt_log;
void crt_log_free(crt_log *log);

typedef struct crt_log_capture crt_log_capture;
/* Start taking the records of logger (a name such as "ai.chronon": the
 * loggers below it too) at level ("INFO", "ERROR", ...) and above. The log
 * file gets exactly the records it got before; those below its level go to
 * the capture only. One capture per logger name at a time, and the logger
 * must have no configuration of its own. Needs log4j2 (Spark 3.3's). */
crt_status crt_log_capture_start(crt_session *s, const char *logger, const char *level, crt_log_capture **out,
                                 crt_error *err);
/* Stop it: the logger's configuration is as before, and log (may be NULL)
 * gets the records in the order they were logged. Frees c (NULL: nothing). */
crt_status crt_log_capture_stop(crt_log_capture *c, crt_log *log, crt_error *err);

/* "class: message" and the cause chain, as the executables print it. */
void crt_error_print(const crt_error *err, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
