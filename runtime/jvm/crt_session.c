/* chronon_runtime: the SparkSession, SQL and the log (signals: crt_signal.c). */
/* realpath */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crt_internal.h"

static const char *const add_opens[] = {
    "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
    "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
    "sun.util.calendar",
};

/* ---- small helpers -------------------------------------------------------------- */

static crt_status mkdirs(const char *path, crt_error *err)
{
    char *p = crt_strdup(path);
    if (!p)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    for (char *q = p + 1;; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                crt_fail(err, CRT_ERR_IO, "cannot create folder %s: %s", p, strerror(errno));
                free(p);
                return CRT_ERR_IO;
            }
            *q = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return crt_fail(err, CRT_ERR_IO, "%s is not a folder", path);
    return CRT_OK;
}

/* path made absolute against the current folder (malloc'd). */
static char *absolute(const char *path)
{
    if (path[0] == '/')
        return crt_strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    crt_str s = {0};
    const char *p = path;
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (!crt_str_addf(&s, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, p)) {
        crt_str_free(&s);
        return NULL;
    }
    return s.p;
}

/* rm -r path (not following symbolic links). */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                crt_str p = {0};
                if (crt_str_addf(&p, "%s/%s", path, e->d_name))
                    remove_tree(p.p);
                crt_str_free(&p);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* WAREHOUSE/tmp/PID folders of processes that are gone (killed before their close). */
static void sweep_stale(const char *tmp)
{
    DIR *d = opendir(tmp);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        crt_str p = {0};
        if (crt_str_addf(&p, "%s/%s", tmp, e->d_name))
            remove_tree(p.p);
        crt_str_free(&p);
    }
    closedir(d);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

typedef struct strv {
    char **v;
    size_t n, cap;
} strv;

static bool strv_push(strv *a, char *s)
{
    if (!s)
        return false;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        char **v = realloc(a->v, cap * sizeof *v);
        if (!v) {
            free(s);
            return false;
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = s;
    return true;
}

static bool strv_pushf(strv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool strv_pushf(strv *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = crt_vsprintf(fmt, ap);
    va_end(ap);
    return s && strv_push(a, s);
}

static void strv_free(strv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* The value of key in the --conf list, or NULL. */
static const char *conf_get(const char *const *conf, const char *key)
{
    size_t k = strlen(key);
    const char *found = NULL;
    for (size_t i = 0; conf && conf[i]; i++)
        if (strncmp(conf[i], key, k) == 0 && conf[i][k] == '=')
            found = conf[i] + k + 1; /* the last one wins, as in Spark */
    return found;
}

/* ---- the log ---------------------------------------------------------------------- */

static crt_status write_log4j_conf(crt_session *s, crt_error *err)
{
    const char *level = getenv("CHRONON_LOG_LEVEL");
    if (!level || !*level || strspn(level, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(level))
        level = "warn";
    crt_str c = {0};
    bool ok = crt_str_adds(&c, "# chronon_runtime: Spark's log4j2 logging for one process, to one file.\n"
                               "status = error\n"
                               "appender.file.type = File\n"
                               "appender.file.name = file\n"
                               "appender.file.fileName = ");
    for (const char *p = s->log_file; ok && *p; p++)
        ok = *p == '\\' ? crt_str_adds(&c, "\\\\") : crt_str_add(&c, p, 1);
    ok = ok && crt_str_addf(&c,
                            "\n"
                            "appender.file.append = true\n"
                            "appender.file.layout.type = PatternLayout\n"
                            "appender.file.layout.pattern = %%d{yy/MM/dd HH:mm:ss} %%p %%c{1}: %%m%%n%%ex\n"
                            "rootLogger.level = %s\n"
                            "rootLogger.appenderRef.file.ref = file\n"
                            /* Spark's own defaults quiet these. */
                            "logger.jetty.name = org.sparkproject.jetty\n"
                            "logger.jetty.level = warn\n"
                            "logger.parquet.name = org.apache.parquet\n"
                            "logger.parquet.level = error\n"
                            "logger.parquet2.name = parquet\n"
                            "logger.parquet2.level = error\n"
                            "logger.hms.name = org.apache.hadoop.hive.metastore.RetryingHMSHandler\n"
                            "logger.hms.level = fatal\n"
                            "logger.fr.name = org.apache.hadoop.hive.ql.exec.FunctionRegistry\n"
                            "logger.fr.level = error\n"
                            /* and these warn on every run about nothing a user can act on */
                            "logger.hiveconf.name = org.apache.hadoop.hive.conf.HiveConf\n"
                            "logger.hiveconf.level = error\n"
                            "logger.objectstore.name = org.apache.hadoop.hive.metastore.ObjectStore\n"
                            "logger.objectstore.level = error\n"
                            "logger.nativecode.name = org.apache.hadoop.util.NativeCodeLoader\n"
                            "logger.nativecode.level = error\n",
                            level);
    if (!ok) {
        crt_str_free(&c);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    }
    bool w = crt_write_atomic(s->log4j_conf, c.p, c.len, err);
    crt_str_free(&c);
    return w ? CRT_OK : CRT_ERR_IO;
}

/* Print this job's lines of the log file (unless quiet). */
static void echo_log(const char *log_file, long start, bool quiet)
{
    if (quiet || !log_file)
        return;
    FILE *f = fopen(log_file, "r");
    if (!f)
        return;
    if (start > 0 && fseek(f, start, SEEK_SET) != 0) {
        fclose(f);
        return;
    }
    char buf[8192];
    size_t n;
    bool any = false, nl = true;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (!any) {
            fflush(stdout);
            fprintf(stderr, "----- BEGIN JVM LOG (%s) -----\n", log_file);
            any = true;
        }
        fwrite(buf, 1, n, stderr);
        nl = buf[n - 1] == '\n';
    }
    fclose(f);
    if (any)
        fprintf(stderr, "%s----- END JVM LOG -----\n", nl ? "" : "\n");
}

/* ---- the SparkSession ------------------------------------------------------------- */

#define SPARK_HINT "put Spark's jars on it (SPARK_HOME, --jars, or pip install pyspark==3.3.1)"
#define BUILDER "Lorg/apache/spark/sql/SparkSession$Builder;"

/* builder.config(k, v) */
static bool builder_config(JNIEnv *env, jobject b, jmethodID config, const char *k, const char *v)
{
    jstring jk = crt_jstr(env, k), jv = jk ? crt_jstr(env, v) : NULL;
    if (!jv)
        return false;
    jobject r = (*env)->CallObjectMethod(env, b, config, jk, jv);
    if (r)
        (*env)->DeleteLocalRef(env, r);
    (*env)->DeleteLocalRef(env, jk);
    (*env)->DeleteLocalRef(env, jv);
    return !(*env)->ExceptionCheck(env);
}

/* Threads of a local master: local -> 1, local[K] / local[K,F] -> K,
 * local[*] -> the processors online; 0 for any other master. */
static long local_threads(const char *master)
{
    if (strcmp(master, "local") == 0)
        return 1;
    if (strncmp(master, "local[", 6) != 0)
        return 0;
    if (master[6] == '*') {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n > 0 ? n : 1;
    }
    long n = strtol(master + 6, NULL, 10);
    return n > 0 ? n : 1;
}

/* The settings every session starts with, before the user's --conf (which
 * win). First Chronon's own (ai.chronon.spark.SparkSessionBuilder.build sets
 * them for every Chronon job; the values depend on them: UTC timestamps,
 * writes that replace only the partitions they touch). Then, for an embedded
 * local master, parallelism sized to its threads: Chronon sizes its
 * aggregation shuffles from spark.chronon.group_by.parallelism and
 * spark.default.parallelism (1,000 each by default, so a small run on two
 * cores spends most of its time scheduling ~3,000 empty tasks), and Spark SQL
 * its joins from spark.sql.shuffle.partitions (200); bench/README.md has the
 * measurements. A cluster gets the user's jars (Chronon's) through
 * spark.jars, so its executors load the same classes as the driver. */
static bool push_chronon_defaults(strv *kv, const char *master, const char *user_jars)
{
    static const char *const chronon[][2] = {
        {"spark.sql.session.timeZone", "UTC"},
        {"spark.sql.sources.partitionOverwriteMode", "dynamic"},
        {"hive.exec.dynamic.partition", "true"},
        {"hive.exec.dynamic.partition.mode", "nonstrict"},
        {"spark.hadoop.hive.exec.max.dynamic.partitions", "30000"},
        {"spark.sql.legacy.timeParserPolicy", "LEGACY"},
    };
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof chronon / sizeof chronon[0]; i++)
        ok = strv_push(kv, crt_strdup(chronon[i][0])) && strv_push(kv, crt_strdup(chronon[i][1]));
    long threads = local_threads(master);
    if (threads > 0) {
        static const char *const sized[] = {"spark.chronon.group_by.parallelism", "spark.default.parallelism",
                                            "spark.sql.shuffle.partitions"};
        for (size_t i = 0; ok && i < sizeof sized / sizeof sized[0]; i++)
            ok = strv_push(kv, crt_strdup(sized[i])) && strv_pushf(kv, "%ld", threads);
        /* The local warehouse without Hadoop's checksum files: each table file
         * Chronon writes is then one file, not two, and one permission change
         * (without Hadoop's native library a fork of chmod) instead of two. */
        ok = ok && strv_push(kv, crt_strdup("spark.hadoop.fs.file.impl")) &&
             strv_push(kv, crt_strdup("org.apache.hadoop.fs.RawLocalFileSystem"));
    } else if (user_jars && *user_jars) {
        ok = ok && strv_push(kv, crt_strdup("spark.jars")) && strv_push(kv, crt_strdup(user_jars));
    }
    return ok;
}

/* Chronon prints progress, partition counts and whole query plans with
 * println. Our stdout is for the result tables, so Java's System.out appends
 * to LOG_FILE.stdout instead (kept beside the log, not echoed with it). */
static crt_status java_stdout_to_file(JNIEnv *env, const char *path, crt_error *err)
{
    jclass fos = crt_find_class(env, "java/io/FileOutputStream", NULL, err);
    jclass ps = fos ? crt_find_class(env, "java/io/PrintStream", NULL, err) : NULL;
    jclass sys = ps ? crt_find_class(env, "java/lang/System", NULL, err) : NULL;
    if (!sys)
        return err->status;
    jmethodID fos_new = crt_method(env, fos, "<init>", "(Ljava/lang/String;Z)V", err);
    jmethodID ps_new = fos_new ? crt_method(env, ps, "<init>", "(Ljava/io/OutputStream;Z)V", err) : NULL;
    jmethodID set_out = ps_new ? crt_static_method(env, sys, "setOut", "(Ljava/io/PrintStream;)V", err) : NULL;
    if (!set_out)
        return err->status;
    jstring jp = crt_jstr(env, path);
    jobject file = jp ? (*env)->NewObject(env, fos, fos_new, jp, JNI_TRUE) : NULL;
    jobject stream = file ? (*env)->NewObject(env, ps, ps_new, file, JNI_TRUE) : NULL;
    if (stream)
        (*env)->CallStaticVoidMethod(env, sys, set_out, stream);
    if (crt_check_exception(env, err, "System.setOut"))
        return err->status;
    return stream ? CRT_OK : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
}

/* Every Spark task that writes a table carries a copy of the session's Hadoop
 * configuration in its closure (FileFormatWriter's SerializableConfiguration),
 * and Hadoop serializes each property with the list of resources it came from
 * ("core-default.xml", "programmatically"), gzip-compressed one property at a
 * time. Reading ~1,000 such lists back is nearly half of a near-empty write
 * task's CPU, and Chronon writes every table through at least 200 tasks. The lists
 * are provenance only: Configuration.getPropertySources and the configuration
 * dumps read them, nothing in Spark, Hive or Chronon does. So once the session
 * is built, the two configurations tasks are copied from (the context's and
 * the shared state's) forget them. MapReduce's JobConf is initialised first:
 * it adds mapred-default.xml and yarn-default.xml to every configuration, and
 * a configuration that reloads its resources records their sources again
 * (correct, only slower). Anything missing (another Hadoop) skips the step.
 *
 * When the master is not YARN, the properties whose only source is
 * yarn-default.xml (436 of the ~960) are dropped as well: JobConf loads that
 * file into every configuration, but only YARN's client reads yarn.* keys, and
 * every write task would otherwise deserialize and set them, twice (the
 * configuration and the JobConf made from it). A yarn.* property the user set
 * (spark.hadoop.yarn.*, a yarn-site.xml) has another source and stays. */
static void drop_yarn_defaults(JNIEnv *env, jobject conf, jobject sources)
{
    jclass mc = (*env)->FindClass(env, "java/util/Map");
    jclass ec = mc ? (*env)->FindClass(env, "java/util/Map$Entry") : NULL;
    jclass ic = ec ? (*env)->FindClass(env, "java/util/Iterator") : NULL;
    jclass sc = ic ? (*env)->FindClass(env, "java/util/Set") : NULL;
    jclass cc = sc ? (*env)->GetObjectClass(env, conf) : NULL;
    jmethodID entries = cc ? (*env)->GetMethodID(env, mc, "entrySet", "()Ljava/util/Set;") : NULL;
    jmethodID iter = entries ? (*env)->GetMethodID(env, sc, "iterator", "()Ljava/util/Iterator;") : NULL;
    jmethodID has_next = iter ? (*env)->GetMethodID(env, ic, "hasNext", "()Z") : NULL;
    jmethodID next = has_next ? (*env)->GetMethodID(env, ic, "next", "()Ljava/lang/Object;") : NULL;
    jmethodID key = next ? (*env)->GetMethodID(env, ec, "getKey", "()Ljava/lang/Object;") : NULL;
    jmethodID value = key ? (*env)->GetMethodID(env, ec, "getValue", "()Ljava/lang/Object;") : NULL;
    jmethodID unset = value ? (*env)->GetMethodID(env, cc, "unset", "(Ljava/lang/String;)V") : NULL;
    jobject set = unset ? (*env)->CallObjectMethod(env, sources, entries) : NULL;
    /* A copy of the entries: unset edits the map being walked. */
    jclass lc = set ? (*env)->FindClass(env, "java/util/ArrayList") : NULL;
    jmethodID list_new = lc ? (*env)->GetMethodID(env, lc, "<init>", "(Ljava/util/Collection;)V") : NULL;
    jmethodID list_iter = list_new ? (*env)->GetMethodID(env, lc, "iterator", "()Ljava/util/Iterator;") : NULL;
    jobject list = list_iter ? (*env)->NewObject(env, lc, list_new, set) : NULL;
    jobject it = list ? (*env)->CallObjectMethod(env, list, list_iter) : NULL;
    while (it && !(*env)->ExceptionCheck(env) && (*env)->CallBooleanMethod(env, it, has_next)) {
        if ((*env)->PushLocalFrame(env, 8) != 0)
            break;
        jobject e = (*env)->CallObjectMethod(env, it, next);
        jobject k = e ? (*env)->CallObjectMethod(env, e, key) : NULL;
        jobject v = k ? (*env)->CallObjectMethod(env, e, value) : NULL;
        bool only_yarn = false;
        if (v && !(*env)->ExceptionCheck(env) && (*env)->GetArrayLength(env, v) == 1) {
            jobject src = (*env)->GetObjectArrayElement(env, v, 0);
            const char *c = src ? (*env)->GetStringUTFChars(env, src, NULL) : NULL;
            only_yarn = c && strcmp(c, "yarn-default.xml") == 0;
            if (c)
                (*env)->ReleaseStringUTFChars(env, src, c);
        }
        if (only_yarn)
            (*env)->CallVoidMethod(env, conf, unset, k);
        (*env)->PopLocalFrame(env, NULL);
    }
    (*env)->ExceptionClear(env);
}

static void forget_task_conf_sources(JNIEnv *env, jobject spark, jobject sc, bool drop_yarn)
{
    (*env)->FindClass(env, "org/apache/hadoop/mapred/JobConf");
    (*env)->ExceptionClear(env);
    /* The shared state's first: making it (a lazy value) qualifies the
     * warehouse path through Hadoop's FileSystem, whose first use reloads
     * the context's configuration (its sources come back: tests/jvm/sql). */
    jobject confs[2] = {NULL, NULL};
    jclass ssc = (*env)->GetObjectClass(env, spark);
    jmethodID m = (*env)->GetMethodID(env, ssc, "sharedState", "()Lorg/apache/spark/sql/internal/SharedState;");
    jobject shared = m ? (*env)->CallObjectMethod(env, spark, m) : NULL;
    jclass shc = shared ? (*env)->GetObjectClass(env, shared) : NULL;
    m = shc ? (*env)->GetMethodID(env, shc, "hadoopConf", "()Lorg/apache/hadoop/conf/Configuration;") : NULL;
    confs[0] = m ? (*env)->CallObjectMethod(env, shared, m) : NULL;
    (*env)->ExceptionClear(env);
    jclass scc = (*env)->GetObjectClass(env, sc);
    m = (*env)->GetMethodID(env, scc, "hadoopConfiguration", "()Lorg/apache/hadoop/conf/Configuration;");
    confs[1] = m ? (*env)->CallObjectMethod(env, sc, m) : NULL;
    (*env)->ExceptionClear(env);

    jclass cc = (*env)->FindClass(env, "org/apache/hadoop/conf/Configuration");
    jmethodID size = cc ? (*env)->GetMethodID(env, cc, "size", "()I") : NULL;
    jfieldID field = size ? (*env)->GetFieldID(env, cc, "updatingResource", "Ljava/util/Map;") : NULL;
    jclass mc = field ? (*env)->FindClass(env, "java/util/Map") : NULL;
    jmethodID clear = mc ? (*env)->GetMethodID(env, mc, "clear", "()V") : NULL;
    for (int i = 0; clear && i < 2; i++) {
        if (!confs[i])
            continue;
        (*env)->CallIntMethod(env, confs[i], size); /* loads the resources now, recording their sources */
        jobject sources = (*env)->ExceptionCheck(env) ? NULL : (*env)->GetObjectField(env, confs[i], field);
        if (sources && drop_yarn)
            drop_yarn_defaults(env, confs[i], sources);
        if (sources)
            (*env)->CallVoidMethod(env, sources, clear);
        (*env)->ExceptionClear(env);
    }
    (*env)->ExceptionClear(env);
}

static crt_status build_spark(crt_session *s, JNIEnv *env, const crt_options *opt, crt_error *err)
{
    jclass ss = crt_find_class(env, "org/apache/spark/sql/SparkSession", SPARK_HINT, err);
    if (!ss)
        return CRT_ERR_CLASSPATH;
    jclass bc = crt_find_class(env, "org/apache/spark/sql/SparkSession$Builder", SPARK_HINT, err);
    if (!bc)
        return CRT_ERR_CLASSPATH;
    jmethodID m_builder = crt_static_method(env, ss, "builder", "()" BUILDER, err);
    jmethodID m_master = m_builder ? crt_method(env, bc, "master", "(Ljava/lang/String;)" BUILDER, err) : NULL;
    jmethodID m_app = m_master ? crt_method(env, bc, "appName", "(Ljava/lang/String;)" BUILDER, err) : NULL;
    jmethodID m_config =
        m_app ? crt_method(env, bc, "config", "(Ljava/lang/String;Ljava/lang/String;)" BUILDER, err) : NULL;
    jmethodID m_hive = m_config ? crt_method(env, bc, "enableHiveSupport", "()" BUILDER, err) : NULL;
    jmethodID m_get =
        m_hive ? crt_method(env, bc, "getOrCreate", "()Lorg/apache/spark/sql/SparkSession;", err) : NULL;
    jmethodID m_sc = m_get ? crt_method(env, ss, "sparkContext", "()Lorg/apache/spark/SparkContext;", err) : NULL;
    if (!m_sc)
        return CRT_ERR_CLASSPATH;
    jclass scc = crt_find_class(env, "org/apache/spark/SparkContext", SPARK_HINT, err);
    if (!scc)
        return CRT_ERR_CLASSPATH;
    s->cancel_all_jobs = crt_method(env, scc, "cancelAllJobs", "()V", err);
    if (!s->cancel_all_jobs)
        return CRT_ERR_CLASSPATH;

    /* Hive's classes (spark-hive and Hive itself) give the Derby metastore. */
    jclass h1 = (*env)->FindClass(env, "org/apache/spark/sql/hive/HiveSessionStateBuilder");
    (*env)->ExceptionClear(env);
    jclass h2 = h1 ? (*env)->FindClass(env, "org/apache/hadoop/hive/conf/HiveConf") : NULL;
    (*env)->ExceptionClear(env);
    s->hive = h1 && h2;

    const char *master = opt->master && *opt->master ? opt->master : "local[*]";
    const char *app = opt->app_name && *opt->app_name ? opt->app_name : "chronon";
    jobject b = (*env)->CallStaticObjectMethod(env, ss, m_builder);
    if (crt_check_exception(env, err, "SparkSession.builder"))
        return err->status;
    jstring jm = crt_jstr(env, master), ja = crt_jstr(env, app);
    if (!jm || !ja)
        return crt_check_exception(env, err, "strings") ? err->status : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    (*env)->CallObjectMethod(env, b, m_master, jm);
    (*env)->CallObjectMethod(env, b, m_app, ja);
    if (crt_check_exception(env, err, "SparkSession.builder"))
        return err->status;

    strv kv = {0};
    /* Our defaults as key, value pairs; the user's --conf come last and win. */
    bool ok = strv_push(&kv, crt_strdup("spark.sql.warehouse.dir")) && strv_pushf(&kv, "%s/spark-warehouse", s->warehouse);
    ok = ok && strv_push(&kv, crt_strdup("spark.ui.enabled")) && strv_push(&kv, crt_strdup("false"));
    ok = ok && strv_push(&kv, crt_strdup("spark.ui.showConsoleProgress")) && strv_push(&kv, crt_strdup("false"));
    if (strncmp(master, "local", 5) == 0) {
        ok = ok && strv_push(&kv, crt_strdup("spark.driver.host")) && strv_push(&kv, crt_strdup("localhost"));
        ok = ok && strv_push(&kv, crt_strdup("spark.driver.bindAddress")) && strv_push(&kv, crt_strdup("127.0.0.1"));
    }
    if (s->hive) {
        ok = ok && strv_push(&kv, crt_strdup("javax.jdo.option.ConnectionURL")) &&
             strv_pushf(&kv, "jdbc:derby:;databaseName=%s/metastore_db;create=true", s->warehouse);
        /* Hive's scratch folders (else /tmp/hive, /tmp/$USER, /tmp/UUID_resources) */
        ok = ok && strv_push(&kv, crt_strdup("spark.hadoop.hive.exec.scratchdir")) &&
             strv_pushf(&kv, "%s/hive-scratch", s->tmp_dir);
        ok = ok && strv_push(&kv, crt_strdup("spark.hadoop.hive.exec.local.scratchdir")) &&
             strv_pushf(&kv, "%s/hive-local", s->tmp_dir);
        ok = ok && strv_push(&kv, crt_strdup("spark.hadoop.hive.downloaded.resources.dir")) &&
             strv_pushf(&kv, "%s/hive-resources", s->tmp_dir);
    }
    ok = ok && strv_push(&kv, crt_strdup("spark.sql.catalogImplementation")) &&
         strv_push(&kv, crt_strdup(s->hive ? "hive" : "in-memory"));
    ok = ok && push_chronon_defaults(&kv, master, s->user_jars);
    for (size_t i = 0; ok && opt->conf && opt->conf[i]; i++) {
        const char *eq = strchr(opt->conf[i], '=');
        if (!eq || eq == opt->conf[i]) {
            strv_free(&kv);
            return crt_fail(err, CRT_ERR_USAGE, "--conf %s: expected KEY=VALUE", opt->conf[i]);
        }
        ok = strv_push(&kv, crt_strndup(opt->conf[i], (size_t)(eq - opt->conf[i]))) && strv_push(&kv, crt_strdup(eq + 1));
    }
    if (!ok) {
        strv_free(&kv);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    }
    if (s->hive) {
        (*env)->CallObjectMethod(env, b, m_hive);
        if (crt_check_exception(env, err, "SparkSession.builder.enableHiveSupport")) {
            strv_free(&kv);
            return err->status;
        }
    }
    for (size_t i = 0; i + 1 < kv.n; i += 2) {
        if (!builder_config(env, b, m_config, kv.v[i], kv.v[i + 1])) {
            strv_free(&kv);
            return crt_check_exception(env, err, "SparkSession.builder.config") ? err->status
                                                                                  : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        }
        if (strcmp(kv.v[i], "spark.sql.catalogImplementation") == 0)
            s->hive = strcmp(kv.v[i + 1], "hive") == 0;
    }
    strv_free(&kv);

    jobject spark = (*env)->CallObjectMethod(env, b, m_get);
    if (crt_check_exception(env, err, "SparkSession.builder.getOrCreate"))
        return err->status;
    jobject sc = (*env)->CallObjectMethod(env, spark, m_sc);
    if (crt_check_exception(env, err, "SparkSession.sparkContext"))
        return err->status;
    forget_task_conf_sources(env, spark, sc, strncmp(master, "yarn", 4) != 0);
    s->spark = (*env)->NewGlobalRef(env, spark);
    s->spark_context = (*env)->NewGlobalRef(env, sc);
    if (!s->spark || !s->spark_context)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI global references)");
    atomic_store(&s->sc_ready, true);
    return CRT_OK;
}

/* The user's JVM options, word by word: spark.driver.extraJavaOptions, then
 * CHRONON_JVM_OPTS. */
static bool user_jvm_options(const crt_options *opt, strv *words)
{
    const char *sources[2] = {conf_get(opt->conf, "spark.driver.extraJavaOptions"), getenv("CHRONON_JVM_OPTS")};
    for (int k = 0; k < 2; k++)
        for (const char *p = sources[k]; p && *p;) {
            p += strspn(p, " \t\n");
            size_t n = strcspn(p, " \t\n");
            if (n && !strv_push(words, crt_strndup(p, n)))
                return false;
            p += n;
        }
    return true;
}

/* Whether one of the options chooses a garbage collector (-XX:+UseSerialGC, ...). */
static bool names_gc(const strv *words)
{
    for (size_t i = 0; i < words->n; i++) {
        size_t n = strlen(words->v[i]);
        if (n > 10 && strncmp(words->v[i], "-XX:+Use", 8) == 0 && strcmp(words->v[i] + n - 2, "GC") == 0)
            return true;
    }
    return false;
}

/* Whether one of the options loads a JVMTI agent or starts Java Flight
 * Recorder. Either installs a class-file load hook, and this JDK (17.0.15)
 * crashes (SIGSEGV in KlassFactory::check_shared_class_file_load_hook) when
 * such a hook meets classes of a dynamic CDS archive: the archive is left out. */
static bool names_agent(const strv *words)
{
    static const char *const agents[] = {"-agentlib:", "-agentpath:", "-javaagent:", "-XX:StartFlightRecording",
                                         "-XX:+FlightRecorder"};
    for (size_t i = 0; i < words->n; i++)
        for (size_t k = 0; k < sizeof agents / sizeof agents[0]; k++)
            if (strncmp(words->v[i], agents[k], strlen(agents[k])) == 0)
                return true;
    return false;
}

static crt_status jvm_options(crt_session *s, const crt_options *opt, const char *home, const char *libjvm,
                              const char *classpath, strv *o, crt_error *err)
{
    strv user = {0};
    bool ok = user_jvm_options(opt, &user);
    ok = ok && strv_pushf(o, "-Djava.class.path=%s", classpath);
    ok = ok && strv_push(o, crt_strdup("-Xrs")); /* the JVM leaves SIGINT/SIGTERM to us */
    int version = s->java_version = crt_java_version(home);
    if (version != 8)
        for (size_t i = 0; ok && i < sizeof add_opens / sizeof add_opens[0]; i++)
            ok = strv_pushf(o, "--add-opens=java.base/%s=ALL-UNNAMED", add_opens[i]);
    ok = ok && strv_pushf(o, "-Dlog4j2.configurationFile=%s", s->log4j_conf);
    ok = ok && strv_pushf(o, "-Dlog4j.configurationFile=%s", s->log4j_conf);
    /* Spark's temporary folders (spark-*, blockmgr-*) in this run's
     * WAREHOUSE/tmp/PID, which crt_close removes even when Spark's shutdown
     * hooks do not run (Ctrl-C, or a caller that never calls crt_exit). */
    ok = ok && strv_pushf(o, "-Djava.io.tmpdir=%s", s->tmp_dir);
    ok = ok && strv_pushf(o, "-Dderby.system.home=%s", s->warehouse);
    ok = ok && strv_pushf(o, "-Dderby.stream.error.file=%s/logs/derby.log", s->warehouse);
    if (version == 0 || version >= 9) {
        /* The JVM's own warnings to stderr, not stdout where the tables go;
         * the CDS archive's chatter (classes it cannot store) to nowhere. */
        ok = ok && strv_push(o, crt_strdup("-Xlog:disable")) &&
             strv_push(o, crt_strdup("-Xlog:all=warning:stderr")) && strv_push(o, crt_strdup("-Xlog:cds*=off:stderr"));
        if (!names_agent(&user))
            crt_cds_prepare(libjvm, version, classpath, &s->cds);
        if (s->cds.option)
            ok = ok && strv_push(o, crt_strdup(s->cds.option));
    }
    /* Start-up speed: C2 doubles the CPU time of a short run (override with
     * CHRONON_JVM_OPTS=-XX:TieredStopAtLevel=4 for long local jobs). */
    ok = ok && strv_push(o, crt_strdup("-XX:TieredStopAtLevel=1"));
    /* The throughput collector: a Chronon job on the driver is a batch of
     * short-lived allocations (Spark deserializes every task's closure, ~250
     * KB with the Hadoop configuration), where G1's concurrent work and write
     * barriers only cost; bench/README.md has the measurements. A collector
     * the user names instead wins (the JVM refuses two). */
    if (!names_gc(&user))
        ok = ok && strv_push(o, crt_strdup("-XX:+UseParallelGC"));
    /* The driver's heap: spark.driver.memory, else Spark's own default (1g),
     * as spark-submit starts the JVM of the PySpark interface. Without it the
     * JVM takes a quarter of the machine and a small join grows to ~4 GB. */
    const char *mem = conf_get(opt->conf, "spark.driver.memory");
    ok = ok && strv_pushf(o, "-Xmx%s", mem && *mem ? mem : "1g");
    for (size_t i = 0; ok && i < user.n; i++) /* last: the user's word wins */
        ok = strv_push(o, crt_strdup(user.v[i]));
    strv_free(&user);
    return ok ? CRT_OK : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
}

static void session_free(crt_session *s)
{
    if (!s)
        return;
    JNIEnv *env = (s->spark || s->spark_context) ? crt_env() : NULL;
    if (env) {
        if (s->spark)
            (*env)->DeleteGlobalRef(env, s->spark);
        if (s->spark_context)
            (*env)->DeleteGlobalRef(env, s->spark_context);
    }
    if (s->log4j_conf)
        unlink(s->log4j_conf);
    if (s->tmp_dir) {
        remove_tree(s->tmp_dir);
        char *slash = strrchr(s->tmp_dir, '/');
        if (slash) {
            *slash = '\0';
            rmdir(s->tmp_dir); /* WAREHOUSE/tmp, when no other run uses it */
        }
        free(s->tmp_dir);
    }
    crt_cds_free(&s->cds);
    free(s->warehouse);
    free(s->log_file);
    free(s->user_jars);
    free(s->log4j_conf);
    free(s);
}

crt_status crt_open(const crt_options *opt, crt_session **out, crt_error *err)
{
    crt_error_clear(err);
    *out = NULL;
    crt_options none = {0};
    if (!opt)
        opt = &none;
    crt_session *s = calloc(1, sizeof *s);
    if (!s)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    atomic_init(&s->interrupted, false);
    atomic_init(&s->signal, 0);
    atomic_init(&s->stop_watcher, false);
    atomic_init(&s->sc_ready, false);
    s->quiet = opt->quiet;
    crt_status st;
    char *home = NULL, *libjvm = NULL, *classpath = NULL;
    strv o = {0};

    /* Java and the classpath first: the cheap checks, before touching any file. */
    if ((st = crt_find_java(opt->java_home, &home, &libjvm, err)) != CRT_OK)
        goto fail;
    if ((st = crt_find_classpath(opt->jars, opt->spark_home, &classpath, &s->user_jars, err)) != CRT_OK)
        goto fail;

    const char *wh = opt->warehouse && *opt->warehouse ? opt->warehouse : getenv("CHRONON_WAREHOUSE");
    if (!wh || !*wh)
        wh = "chronon_warehouse";
    if ((st = mkdirs(wh, err)) != CRT_OK)
        goto fail;
    s->warehouse = realpath(wh, NULL);
    if (!s->warehouse) {
        st = crt_fail(err, CRT_ERR_IO, "warehouse %s: %s", wh, strerror(errno));
        goto fail;
    }
    crt_str p = {0};
    if (!crt_str_addf(&p, "%s/logs", s->warehouse) || (st = mkdirs(p.p, err)) != CRT_OK) {
        crt_str_free(&p);
        st = st != CRT_OK ? st : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        goto fail;
    }
    crt_str_free(&p);
    if (crt_str_addf(&p, "%s/tmp", s->warehouse))
        sweep_stale(p.p);
    crt_str_free(&p);
    if (!crt_str_addf(&p, "%s/tmp/%ld", s->warehouse, (long)getpid()) || (st = mkdirs(p.p, err)) != CRT_OK) {
        crt_str_free(&p);
        st = st != CRT_OK ? st : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        goto fail;
    }
    s->tmp_dir = p.p;
    p = (crt_str){0};
    if (opt->log_file && *opt->log_file)
        s->log_file = absolute(opt->log_file);
    else if (crt_str_addf(&p, "%s/logs/%ld.log", s->warehouse, (long)getpid()))
        s->log_file = p.p;
    crt_str q = {0};
    if (crt_str_addf(&q, "%s/logs/log4j2-%ld.properties", s->warehouse, (long)getpid()))
        s->log4j_conf = q.p;
    if (!s->log_file || !s->log4j_conf) {
        st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        goto fail;
    }
    int fd = open(s->log_file, O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (fd < 0) {
        st = crt_fail(err, CRT_ERR_IO, "log file %s: %s", s->log_file, strerror(errno));
        goto fail;
    }
    close(fd);
    s->log_start = file_size(s->log_file);
    if ((st = write_log4j_conf(s, err)) != CRT_OK)
        goto fail;
    if ((st = jvm_options(s, opt, home, libjvm, classpath, &o, err)) != CRT_OK)
        goto fail;

    /* Spark would look the host name up (and warn that it is a loopback
     * address); a local master needs none of that. */
    if (!opt->master || !*opt->master || strncmp(opt->master, "local", 5) == 0)
        setenv("SPARK_LOCAL_IP", "127.0.0.1", 0);
    crt_watch_start(s);
    if ((st = crt_jvm_start(libjvm, (const char *const *)o.v, o.n, err)) != CRT_OK)
        goto fail;
    /* (the class-data archive's use: a run that writes it is slower, and
     * bench/engine.py warms the cache until runs map it) */
    crt_trace(s->cds.mode == CRT_CDS_MAP    ? "jvm started (class-data archive mapped)"
              : s->cds.mode == CRT_CDS_DUMP ? "jvm started (class-data archive written at exit)"
                                            : "jvm started (no class-data archive)");
    JNIEnv *env = crt_env();
    if (!env) {
        st = crt_fail(err, CRT_ERR_NO_JVM, "cannot attach this thread to the JVM");
        goto fail;
    }
    if ((*env)->PushLocalFrame(env, 64) != 0) {
        st = crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
        goto fail;
    }
    crt_str out_file = {0};
    if (!crt_str_addf(&out_file, "%s.stdout", s->log_file)) {
        (*env)->PopLocalFrame(env, NULL);
        st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        goto fail;
    }
    st = java_stdout_to_file(env, out_file.p, err);
    crt_str_free(&out_file);
    if (st == CRT_OK)
        st = build_spark(s, env, opt, err);
    (*env)->PopLocalFrame(env, NULL);
    st = crt_interrupted_or(s, st, err);
    if (st == CRT_ERR_JAVA && s->java_version > 17) {
        /* Spark 3.3's Hadoop needs the Security Manager's Subject API, gone in Java 23+. */
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n,
                 " (Spark 3.3 runs on Java 8, 11 and 17; this JVM is Java %d: pick a Java 17 with --java-home or "
                 "JAVA_HOME)",
                 s->java_version);
    }
    if (st != CRT_OK)
        goto fail;

    crt_trace("spark session ready");
    free(home);
    free(libjvm);
    free(classpath);
    strv_free(&o);
    *out = s;
    return CRT_OK;

fail:;
    int sig = crt_watch_stop(s);
    if (s->spark) {
        JNIEnv *e = crt_env();
        jclass ss = e ? (*e)->GetObjectClass(e, s->spark) : NULL;
        jmethodID stop = ss ? (*e)->GetMethodID(e, ss, "stop", "()V") : NULL;
        if (stop)
            (*e)->CallVoidMethod(e, s->spark, stop);
        if (e)
            (*e)->ExceptionClear(e);
    }
    echo_log(s->log_file, s->log_start, s->quiet);
    session_free(s);
    free(home);
    free(libjvm);
    free(classpath);
    strv_free(&o);
    crt_watch_deliver(sig); /* a SIGTERM taken meanwhile ends the process now */
    return st;
}

void crt_close(crt_session *s)
{
    if (!s)
        return;
    crt_trace("closing the spark session");
    int sig = crt_watch_stop(s);
    JNIEnv *env = crt_env();
    if (env && s->spark) {
        jclass ss = (*env)->GetObjectClass(env, s->spark);
        jmethodID stop = ss ? (*env)->GetMethodID(env, ss, "stop", "()V") : NULL;
        if (stop)
            (*env)->CallVoidMethod(env, s->spark, stop);
        (*env)->ExceptionClear(env);
        if (ss)
            (*env)->DeleteLocalRef(env, ss);
    }
    if (env)
        crt_cds_finish(env, &s->cds);
    fflush(stdout);
    echo_log(s->log_file, s->log_start, s->quiet);
    session_free(s);
    crt_watch_deliver(sig); /* a SIGTERM taken during the session ends the process now */
}

/* ---- SQL ------------------------------------------------------------------------------ */

crt_status crt_sql(crt_session *s, const char *statement, size_t limit, crt_table *out, crt_error *err)
{
    crt_error_clear(err);
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !statement)
        return crt_fail(err, CRT_ERR_USAGE, "crt_sql: no session or statement");
    if (atomic_load(&s->interrupted))
        return crt_interrupted_or(s, CRT_ERR_INTERRUPTED, err);
    JNIEnv *env = crt_env();
    if (!env)
        return crt_fail(err, CRT_ERR_NO_JVM, "cannot attach this thread to the JVM");
    if ((*env)->PushLocalFrame(env, 64) != 0)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
    crt_status st = CRT_OK;
    jclass ss = (*env)->GetObjectClass(env, s->spark);
    jmethodID m_sql = crt_method(env, ss, "sql", "(Ljava/lang/String;)Lorg/apache/spark/sql/Dataset;", err);
    jstring js = m_sql ? crt_jstr(env, statement) : NULL;
    if (!m_sql) {
        st = err->status;
    } else if (!js) {
        st = crt_check_exception(env, err, "spark.sql") ? err->status : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    } else {
        jobject df = (*env)->CallObjectMethod(env, s->spark, m_sql, js);
        if (crt_check_exception(env, err, "spark.sql"))
            st = err->status;
        else if (out)
            st = crt_collect_with_json(s, env, df, limit, out, err);
    }
    (*env)->PopLocalFrame(env, NULL);
    return crt_interrupted_or(s, st, err);
}

/* Free the rows collected so far on an error. */
static crt_status collect_fail(crt_table *t, crt_status st)
{
    crt_table_free(t);
    return st;
}

crt_status crt_collect(crt_session *s, JNIEnv *env, jobject df, size_t limit, crt_table *out, crt_error *err)
{
    (void)s;
    memset(out, 0, sizeof *out);
    if ((*env)->PushLocalFrame(env, 64) != 0)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
    crt_status st = CRT_OK;
    jclass dsc = (*env)->GetObjectClass(env, df);
    jmethodID m_columns = crt_method(env, dsc, "columns", "()[Ljava/lang/String;", err);
    jmethodID m_schema = m_columns ? crt_method(env, dsc, "schema", "()Lorg/apache/spark/sql/types/StructType;", err) : NULL;
    jmethodID m_todf =
        m_schema ? crt_method(env, dsc, "toDF", "([Ljava/lang/String;)Lorg/apache/spark/sql/Dataset;", err) : NULL;
    jmethodID m_select =
        m_todf ? crt_method(env, dsc, "selectExpr", "([Ljava/lang/String;)Lorg/apache/spark/sql/Dataset;", err) : NULL;
    jmethodID m_limit = m_select ? crt_method(env, dsc, "limit", "(I)Lorg/apache/spark/sql/Dataset;", err) : NULL;
    jmethodID m_collect = m_limit ? crt_method(env, dsc, "collect", "()Ljava/lang/Object;", err) : NULL;
    jclass rowc = m_collect ? crt_find_class(env, "org/apache/spark/sql/Row", SPARK_HINT, err) : NULL;
    jmethodID m_get = rowc ? crt_method(env, rowc, "get", "(I)Ljava/lang/Object;", err) : NULL;
    jclass stc = m_get ? crt_find_class(env, "org/apache/spark/sql/types/StructType", SPARK_HINT, err) : NULL;
    jmethodID m_fields = stc ? crt_method(env, stc, "fields", "()[Lorg/apache/spark/sql/types/StructField;", err) : NULL;
    jclass sfc = m_fields ? crt_find_class(env, "org/apache/spark/sql/types/StructField", SPARK_HINT, err) : NULL;
    jmethodID m_dtype = sfc ? crt_method(env, sfc, "dataType", "()Lorg/apache/spark/sql/types/DataType;", err) : NULL;
    jclass dtc = m_dtype ? crt_find_class(env, "org/apache/spark/sql/types/DataType", SPARK_HINT, err) : NULL;
    jmethodID m_simple = dtc ? crt_method(env, dtc, "simpleString", "()Ljava/lang/String;", err) : NULL;
    jclass strc = m_simple ? (*env)->FindClass(env, "java/lang/String") : NULL;
    if (!strc) {
        st = err->status != CRT_OK ? err->status : crt_fail(err, CRT_ERR_CLASSPATH, "java.lang.String not found");
        goto done;
    }

    jobjectArray cols = (*env)->CallObjectMethod(env, df, m_columns);
    if (crt_check_exception(env, err, "Dataset.columns")) {
        st = err->status;
        goto done;
    }
    jobject schema = (*env)->CallObjectMethod(env, df, m_schema);
    jobjectArray fields = schema ? (*env)->CallObjectMethod(env, schema, m_fields) : NULL;
    if (crt_check_exception(env, err, "Dataset.schema")) {
        st = err->status;
        goto done;
    }
    size_t ncols = (size_t)(*env)->GetArrayLength(env, cols);
    out->ncols = ncols;
    out->columns = calloc(ncols ? ncols : 1, sizeof *out->columns);
    out->types = calloc(ncols ? ncols : 1, sizeof *out->types);
    if (!out->columns || !out->types) {
        st = collect_fail(out, crt_fail(err, CRT_ERR_NOMEM, "out of memory"));
        goto done;
    }
    jobjectArray names = (*env)->NewObjectArray(env, (jsize)ncols, strc, NULL);
    jobjectArray exprs = (*env)->NewObjectArray(env, (jsize)ncols, strc, NULL);
    if (!names || !exprs) {
        st = collect_fail(out, crt_check_exception(env, err, "arrays") ? err->status : CRT_ERR_NOMEM);
        goto done;
    }
    for (size_t c = 0; c < ncols; c++) {
        jstring name = (*env)->GetObjectArrayElement(env, cols, (jsize)c);
        out->columns[c] = crt_cstr(env, name);
        (*env)->DeleteLocalRef(env, name);
        jobject field = fields ? (*env)->GetObjectArrayElement(env, fields, (jsize)c) : NULL;
        jobject dt = field ? (*env)->CallObjectMethod(env, field, m_dtype) : NULL;
        jstring ts = dt ? (*env)->CallObjectMethod(env, dt, m_simple) : NULL;
        if (crt_check_exception(env, err, "Dataset.schema")) {
            st = collect_fail(out, err->status);
            goto done;
        }
        out->types[c] = ts ? crt_cstr(env, ts) : crt_strdup("?");
        if (ts)
            (*env)->DeleteLocalRef(env, ts);
        if (dt)
            (*env)->DeleteLocalRef(env, dt);
        if (field)
            (*env)->DeleteLocalRef(env, field);
        if (!out->columns[c] || !out->types[c]) {
            st = collect_fail(out, crt_fail(err, CRT_ERR_NOMEM, "out of memory"));
            goto done;
        }
        /* Unique names first (a result may repeat one), then each cell as the
         * string show() prints: CAST AS STRING, binary as "[01 0A]". */
        char nm[32], ex[160];
        snprintf(nm, sizeof nm, "_crt_c%zu", c);
        if (strcmp(out->types[c], "binary") == 0)
            snprintf(ex, sizeof ex, "concat('[', regexp_replace(hex(%s), '(..)(?!$)', '$1 '), ']')", nm);
        else
            snprintf(ex, sizeof ex, "CAST(%s AS STRING)", nm);
        jstring jn = (*env)->NewStringUTF(env, nm), je = (*env)->NewStringUTF(env, ex);
        if (!jn || !je) {
            st = collect_fail(out, crt_check_exception(env, err, "strings") ? err->status : CRT_ERR_NOMEM);
            goto done;
        }
        (*env)->SetObjectArrayElement(env, names, (jsize)c, jn);
        (*env)->SetObjectArrayElement(env, exprs, (jsize)c, je);
        (*env)->DeleteLocalRef(env, jn);
        (*env)->DeleteLocalRef(env, je);
    }
    if (ncols == 0) /* a command's empty result: nothing to run */
        goto done;

    jobject d1 = (*env)->CallObjectMethod(env, df, m_todf, names);
    jobject d2 = d1 ? (*env)->CallObjectMethod(env, d1, m_select, exprs) : NULL;
    if (d2 && limit > 0 && limit < (size_t)INT_MAX)
        d2 = (*env)->CallObjectMethod(env, d2, m_limit, (jint)(limit + 1));
    jobjectArray rows = d2 ? (*env)->CallObjectMethod(env, d2, m_collect) : NULL;
    if (crt_check_exception(env, err, "Dataset.collect")) {
        st = collect_fail(out, err->status);
        goto done;
    }
    size_t n = rows ? (size_t)(*env)->GetArrayLength(env, rows) : 0;
    if (limit > 0 && n > limit) {
        out->more = true;
        n = limit;
    }
    out->rows = calloc(n ? n : 1, sizeof *out->rows);
    if (!out->rows) {
        st = collect_fail(out, crt_fail(err, CRT_ERR_NOMEM, "out of memory"));
        goto done;
    }
    for (size_t r = 0; r < n; r++) {
        jobject row = (*env)->GetObjectArrayElement(env, rows, (jsize)r);
        char **cells = calloc(ncols, sizeof *cells);
        if (!cells) {
            st = collect_fail(out, crt_fail(err, CRT_ERR_NOMEM, "out of memory"));
            goto done;
        }
        out->rows[r] = cells;
        out->nrows = r + 1;
        for (size_t c = 0; c < ncols; c++) {
            jstring v = (*env)->CallObjectMethod(env, row, m_get, (jint)c);
            if (crt_check_exception(env, err, "Row.get")) {
                st = collect_fail(out, err->status);
                goto done;
            }
            if (v) {
                cells[c] = crt_cstr(env, v);
                (*env)->DeleteLocalRef(env, v);
                if (!cells[c]) {
                    st = collect_fail(out, crt_fail(err, CRT_ERR_NOMEM, "out of memory"));
                    goto done;
                }
            }
        }
        (*env)->DeleteLocalRef(env, row);
    }
done:
    (*env)->PopLocalFrame(env, NULL);
    return st;
}
