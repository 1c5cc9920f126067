/* chronon_runtime: find the Java home, its libjvm, and the classpath. */
/* realpath */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crt_internal.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static char *path_join(const char *a, const char *b)
{
    size_t na = strlen(a);
    while (na > 1 && a[na - 1] == '/')
        na--;
    size_t nb = strlen(b);
    char *p = malloc(na + nb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, na);
    p[na] = '/';
    memcpy(p + na + 1, b, nb + 1);
    return p;
}

/* libjvm inside a Java home: Java 9+ (lib/server), or Java 8 (jre/lib/amd64/server). */
static char *libjvm_in(const char *home)
{
    static const char *const rel[] = {
        "lib/server/libjvm.so",
        "jre/lib/server/libjvm.so",
        "lib/amd64/server/libjvm.so",
        "jre/lib/amd64/server/libjvm.so",
        "lib/client/libjvm.so",
    };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char *p = path_join(home, rel[i]);
        if (p && is_file(p))
            return p;
        free(p);
    }
    return NULL;
}

static crt_status home_from(const char *what, const char *home, char **out_home, char **out_lib, crt_error *err)
{
    if (!is_dir(home))
        return crt_fail(err, CRT_ERR_NO_JVM, "%s%s: no such folder; point it at a JDK or JRE home (e.g. /usr/lib/jvm/java-17-openjdk-amd64)",
                        what, home);
    char *lib = libjvm_in(home);
    if (!lib)
        return crt_fail(err, CRT_ERR_NO_JVM,
                        "%s%s is not a JDK or JRE home: it has no lib/server/libjvm.so; point it at one (e.g. /usr/lib/jvm/java-17-openjdk-amd64)",
                        what, home);
    *out_home = crt_strdup(home);
    *out_lib = lib;
    if (!*out_home) {
        free(lib);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    }
    return CRT_OK;
}

/* `java` on PATH, resolved through symlinks; NULL if none. */
static char *java_on_path(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return NULL;
    const char *p = path;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char *dir = n ? crt_strndup(p, n) : crt_strdup(".");
        char *cand = dir ? path_join(dir, "java") : NULL;
        free(dir);
        if (cand && is_file(cand) && access(cand, X_OK) == 0) {
            char *real = realpath(cand, NULL);
            free(cand);
            if (real)
                return real;
        } else {
            free(cand);
        }
        if (!colon)
            return NULL;
        p = colon + 1;
    }
}

crt_status crt_find_java(const char *java_home_opt, char **home, char **libjvm, crt_error *err)
{
    *home = *libjvm = NULL;
    if (java_home_opt && *java_home_opt)
        return home_from("--java-home ", java_home_opt, home, libjvm, err);
    const char *env = getenv("JAVA_HOME");
    if (env && *env)
        return home_from("JAVA_HOME=", env, home, libjvm, err);
    char *java = java_on_path();
    if (!java)
        return crt_fail(err, CRT_ERR_NO_JVM,
                        "no Java found: tried --java-home (not given), JAVA_HOME (not set) and `java` on PATH (none); "
                        "install a JDK (Java 17 runs Spark 3.3) or pass --java-home DIR");
    /* .../bin/java -> ... */
    char *h = crt_strdup(java);
    if (!h) {
        free(java);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < 2; i++) {
        char *slash = strrchr(h, '/');
        if (slash && slash != h)
            *slash = '\0';
    }
    char *lib = libjvm_in(h);
    if (!lib) {
        crt_fail(err, CRT_ERR_NO_JVM,
                 "no usable Java found: tried --java-home (not given), JAVA_HOME (not set) and `java` on PATH (%s, "
                 "whose home %s has no lib/server/libjvm.so); install a JDK or pass --java-home DIR",
                 java, h);
        free(java);
        free(h);
        return CRT_ERR_NO_JVM;
    }
    free(java);
    *home = h;
    *libjvm = lib;
    return CRT_OK;
}

/* The Java feature version from <home>/release (JAVA_VERSION="17.0.9" -> 17,
 * "1.8.0_392" -> 8); 0 if unknown. */
int crt_java_version(const char *home)
{
    crt_str p = {0};
    if (!crt_str_addf(&p, "%s/release", home))
        return 0;
    FILE *f = fopen(p.p, "r");
    crt_str_free(&p);
    if (!f)
        return 0;
    char line[512];
    int v = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "JAVA_VERSION=\"", 14) != 0)
            continue;
        v = atoi(line + 14);
        if (v == 1)
            v = atoi(line + 16);
        break;
    }
    fclose(f);
    return v;
}

/* ---- classpath -------------------------------------------------------------- */

typedef struct jar_list {
    char **v;
    size_t n, cap;
} jar_list;

static bool jars_push(jar_list *l, char *jar)
{
    if (!jar)
        return false;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            free(jar);
            return false;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = jar;
    return true;
}

static void jars_free(jar_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Every *.jar of a folder, in name order. */
static crt_status add_dir(jar_list *l, const char *dir, const char *what, crt_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return crt_fail(err, CRT_ERR_CLASSPATH, "%s%s: %s", what, dir, strerror(errno));
    size_t first = l->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!ends_with(e->d_name, ".jar"))
            continue;
        if (!jars_push(l, path_join(dir, e->d_name))) {
            closedir(d);
            return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        }
    }
    closedir(d);
    qsort(l->v + first, l->n - first, sizeof *l->v, cmp_str);
    return CRT_OK;
}

/* A ':'-separated list of jars, folders, or folder/\* wildcards. */
static crt_status add_list(jar_list *l, const char *list, const char *what, crt_error *err)
{
    const char *p = list;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        if (n > 0) {
            char *item = crt_strndup(p, n);
            if (!item)
                return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
            size_t k = strlen(item);
            if (k >= 2 && strcmp(item + k - 2, "/*") == 0)
                item[k - 2] = '\0';
            crt_status st = CRT_OK;
            if (is_dir(item))
                st = add_dir(l, item, what, err);
            else if (is_file(item))
                st = jars_push(l, crt_strdup(item)) ? CRT_OK : crt_fail(err, CRT_ERR_NOMEM, "out of memory");
            else
                st = crt_fail(err, CRT_ERR_CLASSPATH, "%s%s: no such jar or folder", what, item);
            free(item);
            if (st != CRT_OK)
                return st;
        }
        if (!colon)
            break;
        p = colon + 1;
    }
    return CRT_OK;
}

static bool has_spark(const jar_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const char *base = strrchr(l->v[i], '/');
        base = base ? base + 1 : l->v[i];
        if (strncmp(base, "spark-sql_", 10) == 0)
            return true;
    }
    return false;
}

char *crt_jar_cache_dir(void)
{
    const char *dir = getenv("CHRONON_JAR_DIR");
    if (dir && *dir)
        return crt_strdup(dir);
    crt_str p = {0};
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    bool ok = xdg && *xdg ? crt_str_addf(&p, "%s/chronon-c/jars", xdg)
              : home && *home ? crt_str_addf(&p, "%s/.cache/chronon-c/jars", home)
                              : false;
    if (!ok) {
        crt_str_free(&p);
        return NULL;
    }
    return p.p;
}

/* pyspark's package folder, asked of python3 (or $PYSPARK_PYTHON). */
static char *pyspark_dir(void)
{
    FILE *p = popen("\"${PYSPARK_PYTHON:-python3}\" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))' "
                    "2>/dev/null </dev/null",
                    "r");
    if (!p)
        return NULL;
    char line[PATH_MAX + 2];
    char *got = fgets(line, sizeof line, p);
    int rc = pclose(p);
    if (!got || rc != 0)
        return NULL;
    line[strcspn(line, "\r\n")] = '\0';
    return line[0] ? crt_strdup(line) : NULL;
}

crt_status crt_find_classpath(const char *jars_opt, const char *spark_home_opt, char **classpath, char **user_jars,
                              crt_error *err)
{
    *classpath = *user_jars = NULL;
    jar_list l = {0};    /* Spark's jars, then the user's */
    jar_list user = {0}; /* --jars / CHRONON_JARS */
    crt_status st = CRT_OK;
    const char *list = jars_opt;
    const char *what = "--jars ";
    if (!list || !*list) {
        list = getenv("CHRONON_JARS");
        what = "CHRONON_JARS: ";
    }
    if (list && *list && (st = add_list(&user, list, what, err)) != CRT_OK)
        goto out;
    if (!list || !*list) {
        /* Neither given: the jars of chronon-c's jar cache, which
         * runtime/jvm/fetch_chronon_jar.sh (`make chronon-jar`) fills; no cache
         * is no error here (PySparkUtils' absence is reported when it is called). */
        char *cache = crt_jar_cache_dir();
        if (cache && is_dir(cache))
            st = add_dir(&user, cache, "jar cache ", err);
        free(cache);
        if (st != CRT_OK)
            goto out;
    }

    /* Spark's jars first, as spark-submit loads them before --jars. */
    if (!has_spark(&user)) {
        const char *spark_home = spark_home_opt && *spark_home_opt ? spark_home_opt : getenv("SPARK_HOME");
        if (spark_home && *spark_home) {
            char *jars = path_join(spark_home, "jars");
            if (!jars) {
                st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
                goto out;
            }
            if (!is_dir(jars)) {
                st = crt_fail(err, CRT_ERR_CLASSPATH, "SPARK_HOME=%s has no jars/ folder; point it at a Spark distribution",
                              spark_home);
                free(jars);
                goto out;
            }
            st = add_dir(&l, jars, "SPARK_HOME: ", err);
            free(jars);
            if (st != CRT_OK)
                goto out;
        } else {
            char *dir = pyspark_dir();
            char *jars = dir ? path_join(dir, "jars") : NULL;
            free(dir);
            if (!jars || !is_dir(jars)) {
                free(jars);
                st = crt_fail(err, CRT_ERR_CLASSPATH,
                              "no Spark jars found: --jars/CHRONON_JARS hold no spark-sql jar, SPARK_HOME is not set, "
                              "and python3 cannot import pyspark; pip install pyspark==3.3.1 or set SPARK_HOME");
                goto out;
            }
            st = add_dir(&l, jars, "pyspark jars: ", err);
            free(jars);
            if (st != CRT_OK)
                goto out;
        }
    }
    crt_str uj = {0}; /* the user's jars, ','-joined as spark.jars takes them */
    for (size_t i = 0; i < user.n; i++) {
        if ((i && !crt_str_add(&uj, ",", 1)) || !crt_str_adds(&uj, user.v[i])) {
            crt_str_free(&uj);
            st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    *user_jars = uj.p ? uj.p : crt_strdup("");
    for (size_t i = 0; i < user.n; i++) {
        if (!jars_push(&l, user.v[i])) {
            user.v[i] = NULL;
            st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
            goto out;
        }
        user.v[i] = NULL;
    }
    if (l.n == 0) {
        st = crt_fail(err, CRT_ERR_CLASSPATH, "the classpath is empty: no jars found");
        goto out;
    }
    crt_str cp = {0};
    for (size_t i = 0; i < l.n; i++) {
        if ((i && !crt_str_add(&cp, ":", 1)) || !crt_str_adds(&cp, l.v[i])) {
            crt_str_free(&cp);
            st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    *classpath = cp.p;
out:
    if (st != CRT_OK) {
        free(*user_jars);
        *user_jars = NULL;
    }
    jars_free(&l);
    jars_free(&user);
    return st;
}
