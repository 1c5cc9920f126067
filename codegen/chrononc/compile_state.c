/* A re-run with nothing changed, answered without compiling: see
 * compile_state.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "compile_state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_write.h"
#include "read_file.h"

#define STATE_MAGIC "chrononc-compile-state 1"
/* A file whose mtime is this close to the walk could be changed again within
 * the same timestamp tick without its stat changing: no record then. */
#define RACY_NS 200000000LL

typedef struct walk_sum {
    uint64_t h1, h2;
    int64_t newest_ns; /* the newest mtime seen */
    size_t entries;
    bool failed;
} walk_sum;

static void mix(walk_sum *w, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        w->h1 = (w->h1 ^ p[i]) * 0x100000001b3ULL;           /* FNV-1a */
        w->h2 = (w->h2 + p[i] + 1) * 0x9E3779B97F4A7C15ULL;  /* a second, unrelated */
        w->h2 ^= w->h2 >> 29;
    }
}

static void mix_u64(walk_sum *w, uint64_t v) { mix(w, &v, sizeof v); }

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every entry below dir (rel: its name in the sum), in name order: path,
 * type, and for files size, mtime and inode. Hidden names are skipped (no
 * stage of compile reads them; temporary files are hidden). */
static void walk(walk_sum *w, int fd_of_dir, const char *rel, int depth)
{
    if (depth > 64) {
        w->failed = true;
        return;
    }
    DIR *d = fdopendir(fd_of_dir);
    if (!d) {
        close(fd_of_dir);
        w->failed = true;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                w->failed = true;
                break;
            }
            names = grown;
        }
        if (!(names[n] = strdup(de->d_name))) {
            w->failed = true;
            break;
        }
        n++;
    }
    if (n) /* qsort with a null array is undefined even for 0 items (UBSan says so) */
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        size_t len = strlen(rel) + strlen(names[i]) + 2;
        char *child = malloc(len);
        if (!child || fstatat(dirfd(d), names[i], &st, 0) != 0) {
            /* a dangling link or a race: part of the state, as a marker */
            if (child)
                snprintf(child, len, "%s/%s", rel, names[i]);
            mix(w, child ? child : names[i], strlen(child ? child : names[i]) + 1);
            mix_u64(w, 0);
            free(child);
            continue;
        }
        snprintf(child, len, "%s/%s", rel, names[i]);
        mix(w, child, len);
        mix_u64(w, (uint64_t)(st.st_mode & S_IFMT));
        w->entries++;
        if (S_ISDIR(st.st_mode)) {
            int fd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0)
                w->failed = true;
            else
                walk(w, fd, child, depth + 1);
        } else {
            int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
            int64_t ctime = (int64_t)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
            mix_u64(w, (uint64_t)st.st_size);
            mix_u64(w, (uint64_t)mtime);
            mix_u64(w, (uint64_t)ctime);
            mix_u64(w, (uint64_t)st.st_ino);
            mix_u64(w, (uint64_t)st.st_mode);
            if (mtime > w->newest_ns)
                w->newest_ns = mtime;
            if (ctime > w->newest_ns)
                w->newest_ns = ctime;
        }
        free(child);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
}

static void walk_path(walk_sum *w, const char *path, const char *tag)
{
    mix(w, tag, strlen(tag) + 1);
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            w->failed = true;
        mix_u64(w, 1); /* absent */
        return;
    }
    walk(w, fd, "", 0);
}

static bool inside(const char *outer, const char *inner)
{
    char *o = realpath(outer, NULL), *i = realpath(inner, NULL);
    size_t n = o ? strlen(o) : 0;
    bool in = o && i && strncmp(o, i, n) == 0 && (i[n] == '/' || i[n] == '\0');
    free(o);
    free(i);
    return in;
}

bool compile_state_init(compile_state *s, const compile_state_key *k)
{
    memset(s, 0, sizeof *s);
    const char *slash = strrchr(k->output_dir, '/');
    const char *base = slash ? slash + 1 : k->output_dir;
    int dirlen = slash ? (int)(slash - k->output_dir) : 1;
    const char *dir = slash ? k->output_dir : ".";
    if (slash == k->output_dir)
        dirlen = 0; /* "/production": its parent is / */
    int n = snprintf(s->path, sizeof s->path, "%.*s/.%s.chrononc-state", dirlen, dir, base);
    if (n < 0 || (size_t)n >= sizeof s->path || !*base)
        return false;

    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    walk_sum w = {.h1 = 0xcbf29ce484222325ULL, .h2 = 0x84222325cbf29ce4ULL, .newest_ns = INT64_MIN};
    /* the compiler itself, and the options that change what it writes */
    struct stat exe;
    if (stat("/proc/self/exe", &exe) != 0)
        return false;
    mix_u64(&w, (uint64_t)exe.st_size);
    mix_u64(&w, (uint64_t)exe.st_mtim.tv_sec * 1000000000ULL + (uint64_t)exe.st_mtim.tv_nsec);
    mix_u64(&w, (uint64_t)exe.st_ino);
    mix(&w, k->options, strlen(k->options) + 1);
    char *real_root = realpath(k->root, NULL);
    if (!real_root)
        return false;
    mix(&w, real_root, strlen(real_root) + 1);
    free(real_root);
    /* every file compile can read: the root (definitions, teams.json, the
     * output root when it is inside) and the output root */
    walk_path(&w, k->root, "root");
    if (!inside(k->root, k->output_dir))
        walk_path(&w, k->output_dir, "output");
    if (w.failed)
        return false;
    int64_t now_ns = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
    s->racy = w.newest_ns > now_ns - RACY_NS;
    snprintf(s->sum, sizeof s->sum, "%016llx%016llx %zu", (unsigned long long)w.h1, (unsigned long long)w.h2,
             w.entries);
    s->valid = true;
    return true;
}

bool compile_state_matches(const compile_state *s, compile_state_counts *counts)
{
    if (!s->valid)
        return false;
    char why[64];
    size_t len;
    char *text = read_file(s->path, &len, why, sizeof why);
    if (!text)
        return false;
    char magic[64], sum[80];
    compile_state_counts c;
    bool ok = sscanf(text, "%63[^\n]\nsum %79[^\n]\ncounts %zu %zu %zu\n", magic, sum, &c.unchanged, &c.skipped,
                     &c.files) == 5 &&
              strcmp(magic, STATE_MAGIC) == 0 && strcmp(sum, s->sum) == 0;
    free(text);
    if (ok)
        *counts = c;
    return ok;
}

void compile_state_save(const compile_state *s, const compile_state_counts *counts)
{
    if (!s->valid || s->racy) {
        unlink(s->path);
        return;
    }
    char text[512];
    int n = snprintf(text, sizeof text, STATE_MAGIC "\nsum %s\ncounts %zu %zu %zu\n", s->sum, counts->unchanged,
                     counts->skipped, counts->files);
    char err[256];
    if (n < 0 || (size_t)n >= sizeof text || !atomic_write(s->path, text, (size_t)n, ATOMIC_NO_SYNC, err, sizeof err))
        unlink(s->path); /* a record is an optimization: without one the next run compiles */
}

void compile_state_forget(const compile_state *s) { unlink(s->path); }
