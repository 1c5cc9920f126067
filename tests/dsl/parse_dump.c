/* Test driver for the definition-file parser.
 *
 *   dsl_parse_dump [--color] FILE       diagnostics, then the tree if no errors
 *   dsl_parse_dump --summary FILE...    one line per file: counts of diagnostics
 *                                       (everything is also printed, to /dev/null)
 *   dsl_parse_dump --batch DIR FILE...  for each FILE, what the first form prints
 *                                       into DIR/NAME.out, its exit status into DIR/NAME.rc
 *   dsl_parse_dump --fuzz N SEED FILE...
 *                                       parse N byte-level mutations of FILEs
 *
 * Everything goes to stdout. Exit status: 0 no errors, 1 errors found
 * (except with --batch, --summary and --fuzz, where only a crash or a
 * misuse fails), 2 misuse. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Parse one source; print what was asked. Returns the number of errors,
 * or -1 if out of memory. */
static long parse_one(const char *path, char *text, size_t len, FILE *dump, FILE *diags_out, bool color,
                      size_t *warnings)
{
    source_file *f = source_file_new(path, text, len);
    if (!f)
        return -1;
    arena a;
    arena_init(&a);
    diag_set d;
    diag_init(&d);
    module_ast *m = parse_module(f, &a, &d);
    long errors = m ? (long)d.errors : -1;
    if (diags_out)
        diag_print(&d, diags_out, color);
    if (m && dump && d.errors == 0)
        ast_dump(m, dump);
    if (warnings)
        *warnings = d.len - d.errors;
    diag_free(&d);
    arena_free(&a);
    source_file_free(f);
    return errors;
}

static int one(const char *path, bool color, FILE *out)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        fprintf(stderr, "dsl_parse_dump: cannot read %s\n", path);
        return 2;
    }
    long errors = parse_one(path, text, len, out, out, color, NULL);
    if (errors < 0) {
        fprintf(stderr, "dsl_parse_dump: out of memory\n");
        return 2;
    }
    return errors ? 1 : 0;
}

/* Each FILE's output to DIR/NAME.out and its exit status to DIR/NAME.rc,
 * NAME being FILE's base name without ".py": the golden cases in one
 * process, which valgrind starts once. */
static int batch(const char *dir, int n, char **paths)
{
    for (int i = 0; i < n; i++) {
        const char *base = strrchr(paths[i], '/');
        base = base ? base + 1 : paths[i];
        size_t blen = strlen(base);
        if (blen > 3 && strcmp(base + blen - 3, ".py") == 0)
            blen -= 3;
        char out_path[4096], rc_path[4096];
        snprintf(out_path, sizeof out_path, "%s/%.*s.out", dir, (int)blen, base);
        snprintf(rc_path, sizeof rc_path, "%s/%.*s.rc", dir, (int)blen, base);
        FILE *out = fopen(out_path, "w");
        FILE *rc = fopen(rc_path, "w");
        if (!out || !rc) {
            fprintf(stderr, "dsl_parse_dump: cannot write in %s\n", dir);
            if (out)
                fclose(out);
            if (rc)
                fclose(rc);
            return 2;
        }
        fprintf(rc, "%d\n", one(paths[i], false, out));
        fclose(out);
        fclose(rc);
    }
    return 0;
}

static int summary(int n, char **paths)
{
    /* The printers run too, into a sink, so that they see real-world trees
     * and diagnostics in the same process (one valgrind start-up). */
    FILE *sink = fopen("/dev/null", "w");
    if (!sink)
        return 2;
    int status = 0;
    for (int i = 0; i < n; i++) {
        size_t len, warnings = 0;
        char *text = read_file(paths[i], &len);
        if (!text) {
            fprintf(stderr, "dsl_parse_dump: cannot read %s\n", paths[i]);
            status = 2;
            continue;
        }
        long errors = parse_one(paths[i], text, len, sink, sink, false, &warnings);
        if (errors < 0) {
            fprintf(stderr, "dsl_parse_dump: out of memory\n");
            status = 2;
            break;
        }
        printf("%s: %ld error%s, %zu warning%s\n", paths[i], errors, errors == 1 ? "" : "s", warnings,
               warnings == 1 ? "" : "s");
    }
    fclose(sink);
    return status;
}

/* xorshift64*: the same mutations on every machine. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

/* Bytes that matter to the scanner and the parser more than random ones. */
static const char interesting[] = "()[]{}'\"\\\n\t :,.=#*fbr0x9_!{}\r\f\xC3\xA9\xFF\x80\0";

static char *mutate(const char *src, size_t len, size_t *out_len, uint64_t *rnd)
{
    size_t cap = len + 64;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    memcpy(buf, src, len);
    size_t n = len;
    int edits = 1 + (int)(next_random(rnd) % 4);
    for (int e = 0; e < edits; e++) {
        size_t at = n ? (size_t)(next_random(rnd) % n) : 0;
        char c = interesting[next_random(rnd) % (sizeof interesting - 1)];
        switch (next_random(rnd) % 6) {
        case 0:   /* replace a byte */
            if (n)
                buf[at] = c;
            break;
        case 1:   /* insert a byte */
            if (n + 1 < cap) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = c;
                n++;
            }
            break;
        case 2: { /* delete a run */
            size_t k = 1 + (size_t)(next_random(rnd) % 8);
            if (at + k > n)
                k = n - at;
            memmove(buf + at, buf + at + k, n - at - k);
            n -= k;
            break;
        }
        case 3:   /* flip a bit */
            if (n)
                buf[at] ^= (char)(1u << (next_random(rnd) % 8));
            break;
        case 4: { /* duplicate a run */
            size_t k = 1 + (size_t)(next_random(rnd) % 16);
            if (at + k > n)
                k = n - at;
            if (n + k < cap) {
                memmove(buf + at + k, buf + at, n - at);
                n += k;
            }
            break;
        }
        default: { /* swap two bytes */
            size_t other = n ? (size_t)(next_random(rnd) % n) : 0;
            if (n) {
                char t = buf[at];
                buf[at] = buf[other];
                buf[other] = t;
            }
            break;
        }
        }
    }
    *out_len = n;
    return buf;
}

static int fuzz(long count, uint64_t seed, int n, char **paths)
{
    char **texts = calloc((size_t)n, sizeof *texts);
    size_t *lens = calloc((size_t)n, sizeof *lens);
    FILE *sink = fopen("/dev/null", "w");
    int status = 0;
    if (!texts || !lens || !sink) {
        status = 2;
        goto done;
    }
    for (int i = 0; i < n; i++) {
        texts[i] = read_file(paths[i], &lens[i]);
        if (!texts[i]) {
            fprintf(stderr, "dsl_parse_dump: cannot read %s\n", paths[i]);
            status = 2;
            goto done;
        }
    }
    uint64_t rnd = seed ? seed : 1;
    long clean = 0, failed = 0;
    for (long k = 0; k < count; k++) {
        int which = (int)(next_random(&rnd) % (uint64_t)n);
        size_t len;
        char *text = mutate(texts[which], lens[which], &len, &rnd);
        if (!text) {
            status = 2;
            break;
        }
        /* Print into the sink so that the printers run on broken trees too. */
        long errors = parse_one(paths[which], text, len, sink, sink, k % 2 == 0, NULL);
        if (errors < 0) {
            status = 2;
            break;
        }
        if (errors)
            failed++;
        else
            clean++;
    }
    printf("%ld mutations: %ld parsed cleanly, %ld with errors\n", count, clean, failed);
done:
    if (texts)
        for (int i = 0; i < n; i++)
            free(texts[i]);
    free(texts);
    free(lens);
    if (sink)
        fclose(sink);
    return status;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--summary") == 0)
        return summary(argc - 2, argv + 2);
    if (argc >= 5 && strcmp(argv[1], "--fuzz") == 0)
        return fuzz(strtol(argv[2], NULL, 10), strtoull(argv[3], NULL, 10), argc - 4, argv + 4);
    if (argc >= 4 && strcmp(argv[1], "--batch") == 0)
        return batch(argv[2], argc - 3, argv + 3);
    if (argc == 3 && strcmp(argv[1], "--color") == 0)
        return one(argv[2], true, stdout);
    if (argc == 2)
        return one(argv[1], false, stdout);
    fprintf(stderr, "usage: dsl_parse_dump [--color] FILE | --batch DIR FILE... | --summary FILE... |"
                    " --fuzz N SEED FILE...\n");
    return 2;
}
