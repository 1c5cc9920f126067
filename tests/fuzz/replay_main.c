/* Replay mode of a fuzz harness, for compilers without libFuzzer:
 *
 *   fuzz_NAME FILE|DIR...
 *
 * runs LLVMFuzzerTestOneInput once on each file (a folder: on each file in
 * it, in name order) and prints "ok FILE" after each, so a crash or a
 * sanitizer report names the input it came from. Exit 0 when every input ran;
 * 2 when a file cannot be read. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 2;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            fprintf(stderr, "replay: out of memory\n");
            return 2;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *bigger = realloc(buf, cap * 2);
        if (!bigger)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 2;
    }
    /* an exact-size copy, so that reading past the input is caught as libFuzzer would */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return 2;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    printf("ok %s\n", path);
    fflush(stdout);
    return 0;
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot open %s\n", dir);
        return 2;
    }
    char **names = NULL;
    size_t len = 0, cap = 0;
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) {
                status = 2;
                break;
            }
            names = bigger;
        }
        size_t plen = strlen(dir) + strlen(e->d_name) + 2;
        names[len] = malloc(plen);
        if (!names[len]) {
            status = 2;
            break;
        }
        snprintf(names[len++], plen, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, len, sizeof *names, cmp_name);
    for (size_t i = 0; i < len; i++) {
        struct stat st;
        if (status == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            status = run_file(names[i]);
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    int status = 0;
    for (int i = 1; i < argc && status == 0; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            status = run_dir(argv[i]);
        else
            status = run_file(argv[i]);
    }
    return status;
}
