/* The file system's floor for `chrononc compile`: write the files of an
 * output tree the way compile does, and nothing else.
 *
 *   floor SRC_TREE DST_ROOT
 *
 * Reads every file under SRC_TREE (an output tree chrononc wrote) into
 * memory, then, timed, writes each one to the same relative path under
 * DST_ROOT as compile writes a config: its folder made on first use (mkdir),
 * a hidden temporary file beside it created with its final mode
 * (O_CREAT|O_EXCL, 0666 under the umask), one write(), close(), rename() over
 * the target. No fsync, as compile's ATOMIC_NO_SYNC. Prints the timed part's
 * wall seconds, the counts and the untimed reading's seconds on one line:
 *
 *   floor: FILES files BYTES bytes DIRS dirs WALL s CPU cpu-s (reading them first: SECONDS s)
 *
 * (CPU: user+sys of the timed part, CLOCK_PROCESS_CPUTIME_ID.)
 *
 * bench/shapes.py takes the floor as this process's wall time less the
 * reading: process start and exit count for it as they do for chrononc.
 * A C11 program on its own (bench/shapes.py compiles it with cc -O2). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct file {
    char *rel;
    char *data;
    size_t len;
} file;

typedef struct files {
    file *items;
    size_t len, cap;
} files;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void load(files *fs, const char *root, const char *rel)
{
    char path[8200];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        die("cannot open", path);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char child[4096], full[8200];
        snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        snprintf(full, sizeof full, "%s/%s", root, child);
        struct stat st;
        if (stat(full, &st) != 0)
            die("cannot stat", full);
        if (S_ISDIR(st.st_mode)) {
            load(fs, root, child);
            continue;
        }
        if (fs->len == fs->cap) {
            fs->cap = fs->cap ? 2 * fs->cap : 1024;
            fs->items = realloc(fs->items, fs->cap * sizeof *fs->items);
            if (!fs->items)
                die("out of memory at", full);
        }
        file *f = &fs->items[fs->len++];
        f->rel = strdup(child);
        f->len = (size_t)st.st_size;
        f->data = malloc(f->len ? f->len : 1);
        int fd = open(full, O_RDONLY);
        if (!f->rel || !f->data || fd < 0 || read(fd, f->data, f->len) != (ssize_t)f->len)
            die("cannot read", full);
        close(fd);
    }
    closedir(d);
}

static int cmp_file(const void *a, const void *b) { return strcmp(((const file *)a)->rel, ((const file *)b)->rel); }

/* mkdir -p of path's folder; only when it differs from the last one made */
static size_t make_parent(const char *path, char *last, size_t *made)
{
    const char *slash = strrchr(path, '/');
    size_t n = (size_t)(slash - path);
    if (strlen(last) == n && strncmp(last, path, n) == 0)
        return 0;
    char dir[8200];
    memcpy(dir, path, n);
    dir[n] = '\0';
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0777) == 0)
                (*made)++;
            *p = '/';
        }
    if (mkdir(dir, 0777) == 0)
        (*made)++;
    else if (errno != EEXIST)
        die("cannot create", dir);
    memcpy(last, dir, n + 1);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor SRC_TREE DST_ROOT\n");
        return 2;
    }
    files fs = {0};
    struct timespec l0, l1;
    clock_gettime(CLOCK_MONOTONIC, &l0);
    load(&fs, argv[1], "");
    clock_gettime(CLOCK_MONOTONIC, &l1);
    qsort(fs.items, fs.len, sizeof *fs.items, cmp_file); /* compile writes a folder's files together */
    long pid = (long)getpid();
    size_t bytes = 0, dirs = 0;
    char last[8200] = "";
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < fs.len; i++) {
        const file *f = &fs.items[i];
        char path[8200], tmp[16500];
        snprintf(path, sizeof path, "%s/%s", argv[2], f->rel);
        make_parent(path, last, &dirs);
        const char *base = strrchr(path, '/') + 1;
        snprintf(tmp, sizeof tmp, "%.*s.%s.tmp-%ld-0-0", (int)(base - path), path, base, pid);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0)
            die("cannot create", tmp);
        if (write(fd, f->data, f->len) != (ssize_t)f->len)
            die("cannot write", tmp);
        if (close(fd) != 0)
            die("cannot close", tmp);
        if (rename(tmp, path) != 0)
            die("cannot rename", tmp);
        bytes += f->len;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double load_s = (double)(l1.tv_sec - l0.tv_sec) + (double)(l1.tv_nsec - l0.tv_nsec) / 1e9;
    printf("floor: %zu files %zu bytes %zu dirs %.6f s %.6f cpu-s (reading them first: %.6f s)\n", fs.len, bytes, dirs,
           s, cpu, load_s);
    for (size_t i = 0; i < fs.len; i++) {
        free(fs.items[i].rel);
        free(fs.items[i].data);
    }
    free(fs.items);
    return 0;
}
