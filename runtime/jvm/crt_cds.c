/* chronon_runtime: the class-data sharing (CDS) cache.
 *
 * Most of a short run's CPU goes to loading and linking Spark's ~16,000
 * classes. A CDS archive of them, mapped at start-up, halves that. One archive
 * per JDK + classpath (the key hashes the libjvm, the classpath and every
 * jar's size and time) lives in $CHRONON_CDS_DIR, default
 * $XDG_CACHE_HOME/chronon-c/cds or ~/.cache/chronon-c/cds.
 *
 * Java 13 and later (older ones: no archive):
 *   - KEY.jsa exists: map it (-XX:SharedArchiveFile).
 *   - else this run writes KEY.PID.tmp as it exits (-XX:ArchiveClassesAtExit,
 *     through crt_exit), and crt_close records how many classes the run had
 *     loaded in KEY.PID.n; a later run, seeing PID gone, adopts the file as
 *     KEY.jsa (and KEY.n) when it holds more classes than the archive it has.
 *   - only the CRT_CDS_KEEP archives used last are kept (each is ~150 MB).
 *   - a run that maps KEY.jsa but loads many more classes than it holds (the
 *     archive came from a small run, say a parse error) leaves KEY.redump, so
 *     the next run writes a fuller archive.
 * The JVM checks an archive against the classpath and ignores one that does
 * not match (-Xshare:auto), so a stale or broken file costs speed, not runs.
 * CHRONON_CDS_DIR=off turns all of this off. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Archives kept in the cache: the ones used last. */
#define CRT_CDS_KEEP 3

#include "crt_internal.h"

static void fnv(unsigned long long *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        *h ^= p[i];
        *h *= 1099511628211ULL;
    }
}

static void fnv_stat(unsigned long long *h, const char *path)
{
    struct stat st;
    long long v[3] = {0, 0, 0};
    if (stat(path, &st) == 0) {
        v[0] = (long long)st.st_size;
        v[1] = (long long)st.st_mtime;
        v[2] = (long long)st.st_ino;
    }
    fnv(h, path, strlen(path) + 1);
    fnv(h, v, sizeof v);
}

static bool mkdirs(const char *path)
{
    char *p = crt_strdup(path);
    if (!p)
        return false;
    for (char *q = p + 1;; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                free(p);
                return false;
            }
            *q = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return true;
}

static char *cache_dir(void)
{
    const char *d = getenv("CHRONON_CDS_DIR");
    if (d && (strcmp(d, "off") == 0 || strcmp(d, "0") == 0 || strcmp(d, "none") == 0))
        return NULL;
    crt_str s = {0};
    bool ok;
    if (d && *d)
        ok = crt_str_adds(&s, d);
    else if ((d = getenv("XDG_CACHE_HOME")) != NULL && *d)
        ok = crt_str_addf(&s, "%s/chronon-c/cds", d);
    else if ((d = getenv("HOME")) != NULL && *d)
        ok = crt_str_addf(&s, "%s/.cache/chronon-c/cds", d);
    else
        ok = false;
    if (!ok || !mkdirs(s.p) || access(s.p, W_OK) != 0) {
        crt_str_free(&s);
        return NULL;
    }
    return s.p;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

static char *path_of(const char *dir, const char *key, const char *suffix)
{
    crt_str p = {0};
    if (!crt_str_addf(&p, "%s/%s%s", dir, key, suffix)) {
        crt_str_free(&p);
        return NULL;
    }
    return p.p;
}

static long read_count(const char *path)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    long n = 0;
    if (f) {
        if (fscanf(f, "%ld", &n) != 1)
            n = 0;
        fclose(f);
    }
    return n;
}

static void write_count(const char *path, long n)
{
    crt_str s = {0};
    if (path && crt_str_addf(&s, "%ld\n", n))
        crt_write_atomic(path, s.p, s.len, NULL);
    crt_str_free(&s);
}

static bool alive(long pid)
{
    return pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* KEY.PID.tmp, written by a run that is gone: adopt it as KEY.jsa (and its
 * class count KEY.PID.n as KEY.n) if it holds more classes than KEY.jsa. */
static void adopt(const char *dir, const char *key, long pid)
{
    crt_str tmp = {0}, tmp_n = {0}, final = {0}, final_n = {0};
    if (crt_str_addf(&tmp, "%s/%s.%ld.tmp", dir, key, pid) && crt_str_addf(&tmp_n, "%s/%s.%ld.n", dir, key, pid) &&
        crt_str_addf(&final, "%s/%s.jsa", dir, key) && crt_str_addf(&final_n, "%s/%s.n", dir, key)) {
        long have = exists(final.p) ? read_count(final_n.p) : -1;
        long got = exists(tmp.p) ? read_count(tmp_n.p) : -1;
        if (got > have && rename(tmp.p, final.p) == 0)
            write_count(final_n.p, got);
        else
            unlink(tmp.p);
        unlink(tmp_n.p);
    }
    crt_str_free(&tmp);
    crt_str_free(&tmp_n);
    crt_str_free(&final);
    crt_str_free(&final_n);
}

typedef struct archive {
    char *key;
    time_t used;
} archive;

static int newest_first(const void *a, const void *b)
{
    time_t x = ((const archive *)a)->used, y = ((const archive *)b)->used;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Adopt finished archives (of every key), drop what their runs left, and keep
 * the CRT_CDS_KEEP archives used last (each is ~150 MB). */
static void tidy(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    archive *arch = NULL;
    size_t narch = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        const char *dot = strchr(name, '.');
        if (strncmp(name, "spark-", 6) != 0 || !dot)
            continue;
        char *key = crt_strndup(name, (size_t)(dot - name));
        if (!key)
            break;
        char *end;
        long pid = strtol(dot + 1, &end, 10);
        if (strcmp(dot, ".jsa") == 0) {
            crt_str p = {0};
            struct stat st;
            if (crt_str_addf(&p, "%s/%s", dir, name) && stat(p.p, &st) == 0) {
                if (narch == cap) {
                    size_t nc = cap ? cap * 2 : 8;
                    archive *a = realloc(arch, nc * sizeof *a);
                    if (a) {
                        arch = a;
                        cap = nc;
                    }
                }
                if (narch < cap) {
                    arch[narch].key = key;
                    arch[narch++].used = st.st_mtime;
                    key = NULL;
                }
            }
            crt_str_free(&p);
        } else if (end != dot + 1 && pid > 0 && (strcmp(end, ".tmp") == 0 || strcmp(end, ".n") == 0) && !alive(pid)) {
            adopt(dir, key, pid); /* also clears a .n whose .tmp never came */
        }
        free(key);
    }
    closedir(d);
    if (narch > CRT_CDS_KEEP) {
        qsort(arch, narch, sizeof *arch, newest_first);
        static const char *const suffix[] = {".jsa", ".n", ".redump"};
        for (size_t i = CRT_CDS_KEEP; i < narch; i++)
            for (size_t k = 0; k < 3; k++) {
                crt_str p = {0};
                if (crt_str_addf(&p, "%s/%s%s", dir, arch[i].key, suffix[k]))
                    unlink(p.p);
                crt_str_free(&p);
            }
    }
    for (size_t i = 0; i < narch; i++)
        free(arch[i].key);
    free(arch);
}

/* An exclusive lock on DIR/.lock (fcntl, released by close); -1 if none. */
static int lock_dir(const char *dir)
{
    crt_str p = {0};
    int fd = crt_str_addf(&p, "%s/.lock", dir) ? open(p.p, O_RDWR | O_CREAT, 0666) : -1;
    crt_str_free(&p);
    if (fd < 0)
        return -1;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    while (fcntl(fd, F_SETLKW, &fl) != 0) {
        if (errno != EINTR) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

void crt_cds_prepare(const char *libjvm, int java_version, const char *classpath, crt_cds *c)
{
    memset(c, 0, sizeof *c);
    if (java_version != 0 && java_version < 13)
        return;
    char *dir = cache_dir();
    if (!dir)
        return;
    unsigned long long h = 14695981039346656037ULL;
    fnv_stat(&h, libjvm);
    fnv(&h, classpath, strlen(classpath) + 1);
    for (const char *p = classpath; *p;) {
        size_t n = strcspn(p, ":");
        char *jar = crt_strndup(p, n);
        if (jar)
            fnv_stat(&h, jar);
        free(jar);
        p += n + (p[n] == ':');
    }
    char key[40], pid[32];
    snprintf(key, sizeof key, "spark-%016llx", h);
    snprintf(pid, sizeof pid, ".%ld", (long)getpid());
    c->final = path_of(dir, key, ".jsa");
    c->final_n = path_of(dir, key, ".n");
    c->redump = path_of(dir, key, ".redump");
    crt_str tmp = {0}, tmp_n = {0}, o = {0};
    int lock = -1;
    if (!c->final || !c->final_n || !c->redump || !crt_str_addf(&tmp, "%s/%s%s.tmp", dir, key, pid) ||
        !crt_str_addf(&tmp_n, "%s/%s%s.n", dir, key, pid))
        goto fail;
    /* Runs starting at once (tests run in parallel) take turns here. */
    lock = lock_dir(dir);
    tidy(dir);
    if (exists(c->final) && unlink(c->redump) != 0) { /* unlink: this run claims a re-dump */
        if (!crt_str_addf(&o, "-XX:SharedArchiveFile=%s", c->final))
            goto fail;
        utimensat(AT_FDCWD, c->final, NULL, 0); /* used now: kept by tidy() */
        c->mode = CRT_CDS_MAP;
        c->classes = read_count(c->final_n);
    } else {
        if (!crt_str_addf(&o, "-XX:ArchiveClassesAtExit=%s", tmp.p))
            goto fail;
        c->mode = CRT_CDS_DUMP;
        c->tmp_n = tmp_n.p;
        tmp_n = (crt_str){0};
    }
    c->option = o.p;
    if (lock >= 0)
        close(lock);
    crt_str_free(&tmp);
    crt_str_free(&tmp_n);
    free(dir);
    return;
fail:
    if (lock >= 0)
        close(lock);
    crt_str_free(&tmp);
    crt_str_free(&tmp_n);
    crt_str_free(&o);
    free(dir);
    crt_cds_free(c);
}

/* The number of classes the JVM has loaded so far; 0 if unknown. */
static long loaded_classes(JNIEnv *env)
{
    jclass mf = (*env)->FindClass(env, "java/lang/management/ManagementFactory");
    jmethodID get = mf ? (*env)->GetStaticMethodID(env, mf, "getClassLoadingMXBean",
                                                   "()Ljava/lang/management/ClassLoadingMXBean;")
                       : NULL;
    jobject bean = get ? (*env)->CallStaticObjectMethod(env, mf, get) : NULL;
    jclass bc = bean ? (*env)->FindClass(env, "java/lang/management/ClassLoadingMXBean") : NULL;
    jmethodID count = bc ? (*env)->GetMethodID(env, bc, "getLoadedClassCount", "()I") : NULL;
    long n = count ? (long)(*env)->CallIntMethod(env, bean, count) : 0;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        n = 0;
    }
    if (bc)
        (*env)->DeleteLocalRef(env, bc);
    if (bean)
        (*env)->DeleteLocalRef(env, bean);
    if (mf)
        (*env)->DeleteLocalRef(env, mf);
    return n;
}

void crt_cds_finish(JNIEnv *env, const crt_cds *c)
{
    if (!env || c->mode == CRT_CDS_OFF)
        return;
    long n = loaded_classes(env);
    if (c->mode == CRT_CDS_DUMP) {
        write_count(c->tmp_n, n);
    } else if (n > c->classes + c->classes / 10 + 500) {
        int fd = open(c->redump, O_WRONLY | O_CREAT, 0666);
        if (fd >= 0)
            close(fd);
        crt_trace("the class-data archive holds too few of this run's classes: the next run writes a fuller one");
    }
}

void crt_cds_free(crt_cds *c)
{
    free(c->final);
    free(c->final_n);
    free(c->redump);
    free(c->tmp_n);
    free(c->option);
    memset(c, 0, sizeof *c);
}
