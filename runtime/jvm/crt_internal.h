/*
 * chronon_runtime internals: shared by the .c files of runtime/jvm only.
 *
 * crt_util.c     growable strings, UTF-8 <-> UTF-16, error helpers, crt_error_print
 * crt_find.c     the Java home, libjvm, the classpath
 * crt_jvm.c      dlopen(libjvm), JNI_CreateJavaVM (the one global), JNI helpers
 * crt_session.c  SparkSession, SQL, the log file
 * crt_signal.c   Ctrl-C and SIGTERM: the watcher thread that cancels Spark jobs
 * crt_pyspark.c  ai.chronon.spark.PySparkUtils by reflection; log captures; JSON columns
 * crt_cds.c      the class-data sharing cache that halves start-up
 * crt_table.c    tables: show()-style printing, CSV, JSON lines
 */
#ifndef CRT_INTERNAL_H
#define CRT_INTERNAL_H

#include <jni.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>

#include "chronon_runtime.h"

/* ---- crt_util.c -------------------------------------------------------- */

typedef struct crt_str {
    char *p;
    size_t len, cap;
} crt_str;

bool crt_str_add(crt_str *s, const char *text, size_t n);
bool crt_str_adds(crt_str *s, const char *text);
bool crt_str_addf(crt_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void crt_str_free(crt_str *s);
/* With CHRONON_TRACE=1: "chronon-trace: S s EVENT" on stderr, S the seconds
 * since the process started (the bench splits start-up from the job with it). */
void crt_trace(const char *event);
/* A malloc'd formatted string; NULL if out of memory. */
char *crt_sprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *crt_vsprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

char *crt_strdup(const char *s);
char *crt_strndup(const char *s, size_t n);

/* Set err (status + printf-style message); returns status. */
crt_status crt_fail(crt_error *err, crt_status status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void crt_error_clear(crt_error *err);

/* UTF-8 (invalid bytes become U+FFFD) to UTF-16; *out is malloc'd. */
bool crt_utf8_to_utf16(const char *s, size_t n, jchar **out, size_t *outlen);
/* UTF-16 to UTF-8 (NUL-terminated, malloc'd; lone surrogates become U+FFFD). */
char *crt_utf16_to_utf8(const jchar *s, size_t n);

/* Copy src into dst[cap], truncating at a UTF-8 character boundary. */
void crt_copy_trunc(char *dst, size_t cap, const char *src);

/* ---- crt_find.c --------------------------------------------------------- */

/* The Java home to use and the libjvm inside it (malloc'd). */
crt_status crt_find_java(const char *java_home_opt, char **home, char **libjvm, crt_error *err);
/* The classpath: Spark's jars (SPARK_HOME/jars or pyspark's jars, unless the
 * user's jars already hold Spark) then the user's: --jars, else CHRONON_JARS,
 * else every jar of the jar cache (crt_jar_cache_dir), folders expanded.
 * Returns malloc'd lists: the classpath ':'-joined, and the user's jars
 * ','-joined (what spark.jars ships to a cluster's executors; "" if none). */
crt_status crt_find_classpath(const char *jars_opt, const char *spark_home_opt, char **classpath, char **user_jars,
                              crt_error *err);
/* chronon-c's jar cache (malloc'd, NULL without HOME): $CHRONON_JAR_DIR, else
 * $XDG_CACHE_HOME/chronon-c/jars, else ~/.cache/chronon-c/jars. */
char *crt_jar_cache_dir(void);

/* The Java feature version from <home>/release (17; 8 for "1.8.0_x"); 0 if unknown. */
int crt_java_version(const char *home);

/* ---- crt_cds.c ---------------------------------------------------------- */

enum { CRT_CDS_OFF, CRT_CDS_MAP, CRT_CDS_DUMP };
typedef struct crt_cds {
    int mode;
    char *option;     /* the JVM option: -XX:SharedArchiveFile=... or -XX:ArchiveClassesAtExit=... */
    char *final, *final_n, *redump, *tmp_n;
    long classes;     /* CRT_CDS_MAP: the classes the archive holds */
} crt_cds;
/* Decide how this JDK + classpath's CDS archive is used (mode OFF: not at all). */
void crt_cds_prepare(const char *libjvm, int java_version, const char *classpath, crt_cds *c);
/* At close: record the classes this run loaded (for the archive it writes at
 * exit), or ask for a fuller archive if the one mapped holds too few. */
void crt_cds_finish(JNIEnv *env, const crt_cds *c);
void crt_cds_free(crt_cds *c);

/* ---- crt_jvm.c ---------------------------------------------------------- */

/* Start the JVM once per process with these options (later calls reuse it). */
crt_status crt_jvm_start(const char *libjvm, const char *const *jvm_options, size_t nopt, crt_error *err);
/* The current thread's JNIEnv (attaching it if needed); NULL if no JVM. */
JNIEnv *crt_env(void);
/* The JVM handle, for threads that attach themselves. */
JavaVM *crt_vm(void);

/* A Java string from UTF-8 (local ref; NULL with a pending exception on failure). */
jstring crt_jstr(JNIEnv *env, const char *utf8);
/* A Java string as UTF-8 (malloc'd); NULL for null. */
char *crt_cstr(JNIEnv *env, jstring s);
/* obj.toString() as UTF-8 (malloc'd); "null" for null; never leaves an exception. */
char *crt_to_string(JNIEnv *env, jobject obj);
/* The class name of obj ("java.lang.String"), malloc'd. */
char *crt_class_name(JNIEnv *env, jobject obj);

/* If a Java exception is pending: clear it, fill err (CRT_ERR_JAVA, or
 * CRT_ERR_CLASSPATH for NoClassDefFoundError / ClassNotFoundException) and
 * return true. what says what was being done ("spark.sql"). */
bool crt_check_exception(JNIEnv *env, crt_error *err, const char *what);

/* FindClass with a classpath error naming the class and the hint. */
jclass crt_find_class(JNIEnv *env, const char *slash_name, const char *hint, crt_error *err);
jmethodID crt_method(JNIEnv *env, jclass cls, const char *name, const char *sig, crt_error *err);
jmethodID crt_static_method(JNIEnv *env, jclass cls, const char *name, const char *sig, crt_error *err);
/* DeleteLocalRef when ref is not NULL. */
void crt_unref(JNIEnv *env, jobject ref);

/* ---- crt_session.c ------------------------------------------------------ */

struct crt_session {
    jobject spark;              /* global ref: org.apache.spark.sql.SparkSession */
    jobject spark_context;      /* global ref: org.apache.spark.SparkContext */
    jmethodID cancel_all_jobs;  /* SparkContext.cancelAllJobs() */
    char *warehouse;
    char *log_file;
    char *log4j_conf;           /* the properties file written for this process */
    char *tmp_dir;              /* WAREHOUSE/tmp/PID: Hive's scratch folders, removed at close */
    char *user_jars;            /* the user's jars, ','-joined (spark.jars for a cluster) */
    crt_cds cds;                /* the class-data sharing archive */
    long log_start;             /* the log file's size when this job started */
    bool quiet;
    bool hive;                  /* Hive catalog (Derby metastore) in use */
    int java_version;           /* the JVM's feature version (17), 0 if unknown */

    /* The signal watcher (crt_signal.c). */
    bool watching;
    pthread_t watcher;
    sigset_t watched;           /* SIGINT and SIGTERM, unless ignored when the session opened */
    sigset_t old_mask;
    atomic_int signal;          /* the first signal taken (SIGINT, SIGTERM), 0 if none */
    atomic_bool interrupted;
    atomic_bool stop_watcher;
    atomic_bool sc_ready;       /* spark_context is set (for the watcher) */
};

/* Collect a Dataset (local ref) into a table: at most limit rows (0 = all). */
crt_status crt_collect(crt_session *s, JNIEnv *env, jobject df, size_t limit, crt_table *out, crt_error *err);
/* (crt_pyspark.c) crt_collect, plus out->json: the array, map and struct
 * columns as Spark's to_json writes them, for the JSON lines and CSV files. */
crt_status crt_collect_with_json(crt_session *s, JNIEnv *env, jobject df, size_t limit, crt_table *out,
                                 crt_error *err);

/* ---- crt_signal.c ------------------------------------------------------- */

/* Block SIGINT and SIGTERM (those not ignored) in this thread, before the JVM
 * starts, and take them in a watcher thread that cancels the Spark jobs. */
void crt_watch_start(crt_session *s);
/* Stop the watcher and restore the signal mask. Returns SIGTERM if one was
 * taken (crt_watch_deliver it once the session is cleaned up), else 0. */
int crt_watch_stop(crt_session *s);
/* raise(sig) when sig > 0: the process ends by it (143 for SIGTERM). */
void crt_watch_deliver(int sig);
/* Turn an error raised while the watcher cancelled jobs into CRT_ERR_INTERRUPTED
 * ("interrupted (Ctrl-C)" or "terminated (SIGTERM)"). */
crt_status crt_interrupted_or(crt_session *s, crt_status st, crt_error *err);

/* ---- crt_table.c -------------------------------------------------------- */

/* Write bytes to path atomically (temp file in the same folder + rename). */
bool crt_write_atomic(const char *path, const char *data, size_t n, crt_error *err);

#endif
