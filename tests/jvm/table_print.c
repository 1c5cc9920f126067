/* chronon_runtime without a JVM: tables printed as Spark's show() does (the
 * expected bytes were checked against pyspark 3.3.1's show()), CSV and JSON
 * lines files, crt_error_print, and crt_open's errors when there is no Java.
 * Linked against libchronon_runtime.so by tests/jvm/table.test.sh.
 *
 * usage: table_print OUT-DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jvm/chronon_runtime.h"

static char *dup(const char *s)
{
    if (!s)
        return NULL;
    char *p = malloc(strlen(s) + 1);
    if (!p)
        abort();
    return strcpy(p, s);
}

/* A table from NULL-terminated column and type lists and rows of strings. */
static crt_table make(const char *const *cols, const char *const *types, size_t nrows, const char *const *cells)
{
    crt_table t = {0};
    while (cols[t.ncols])
        t.ncols++;
    t.columns = calloc(t.ncols, sizeof *t.columns);
    t.types = calloc(t.ncols, sizeof *t.types);
    t.rows = calloc(nrows ? nrows : 1, sizeof *t.rows);
    if (!t.columns || !t.types || !t.rows)
        abort();
    for (size_t c = 0; c < t.ncols; c++) {
        t.columns[c] = dup(cols[c]);
        t.types[c] = dup(types[c]);
    }
    for (size_t r = 0; r < nrows; r++) {
        t.rows[r] = calloc(t.ncols, sizeof **t.rows);
        if (!t.rows[r])
            abort();
        for (size_t c = 0; c < t.ncols; c++)
            t.rows[r][c] = dup(cells[r * t.ncols + c]);
        t.nrows++;
    }
    return t;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: table_print OUT-DIR\n");
        return 2;
    }
    int status = 0;
    static const char *const cols[] = {"id", "name", "score", "tags", "raw", "ok", "日本", NULL};
    static const char *const types[] = {"int", "string", "double", "array<string>", "binary", "boolean", "string"};
    static const char *const cells[] = {
        "1", "alice", "10.5", "[a, b]", "[01 0A]", "true", "語",
        "2", NULL, NULL, NULL, NULL, NULL, NULL,
        "3", "abcdefghijklmnopqrstuvwxyz", "NaN", "[]", "[]", "false", "",
        "-4", "tab\there\nnewline", "1.0E10", "[x]", "[FF]", "true", "日本語のテキストはここにあります。長い",
        "5", "quote \"q\", comma", "0.001", "[\U0001F600]", "[00]", "false", "\U0001F600\U0001F600",
    };
    crt_table t = make(cols, types, 5, cells);
    crt_table_print(&t, stdout);

    /* a result cut at the limit: show()'s footer */
    crt_table cut = t;
    cut.nrows = 1;
    cut.more = true;
    crt_table_print(&cut, stdout);

    /* no rows; no columns (a command's empty result, as show() prints it) */
    crt_table none = make(cols, types, 0, NULL);
    crt_table_print(&none, stdout);
    crt_table empty = {0};
    crt_table_print(&empty, stdout);

    char path[4096];
    crt_error err;
    snprintf(path, sizeof path, "%s/t.csv", argv[1]);
    if (!crt_table_write_csv(&t, path, &err)) {
        crt_error_print(&err, stderr);
        status = 1;
    }
    snprintf(path, sizeof path, "%s/t.jsonl", argv[1]);
    if (!crt_table_write_jsonl(&t, path, &err)) {
        crt_error_print(&err, stderr);
        status = 1;
    }
    /* a folder that does not exist: an error, no file */
    snprintf(path, sizeof path, "%s/no/such/t.csv", argv[1]);
    if (crt_table_write_csv(&t, path, &err)) {
        fprintf(stderr, "writing into a missing folder succeeded\n");
        status = 1;
    } else {
        printf("status %d: ", (int)err.status);
        crt_error_print(&err, stdout);
    }
    crt_table_free(&t);
    crt_table_free(&none);

    /* Arrays, maps and structs as crt_call_pyspark_utils returns them: the
     * cells show() prints, and their JSON (pyspark 3.3.1's show() and
     * to_json(col, map('ignoreNullFields', 'false')) of the same rows). */
    static const char *const jcols[] = {"id", "prices", "counts", "info", "nested", NULL};
    static const char *const jtypes[] = {"int", "array<double>", "map<string,bigint>",
                                         "struct<id:string,note:string,tags:array<string>>",
                                         "array<map<string,array<double>>>"};
    static const char *const jcells[] = {
        "1", "[7.5, 12.5]", "{a -> 1, b -> null}", "{u1, null, [x,y, q\"uote]}", "[{k -> [1.5]}]",
        "2", NULL, NULL, NULL, NULL,
        "3", "[null, 1.0E10]", "{a -> 1, b -> 2}", "{u3, \u00e9\ttab, [z]}", "[{k -> [null]}]",
    };
    static const char *const jjson[] = {
        NULL, "[7.5,12.5]", "{\"a\":1,\"b\":null}", "{\"id\":\"u1\",\"note\":null,\"tags\":[\"x,y\",\"q\\\"uote\"]}",
        "[{\"k\":[1.5]}]",
        NULL, NULL, NULL, NULL, NULL,
        NULL, "[null,1.0E10]", "{\"a\":1,\"b\":2}", "{\"id\":\"u3\",\"note\":\"\u00e9\\ttab\",\"tags\":[\"z\"]}",
        "[{\"k\":[null]}]",
    };
    crt_table j = make(jcols, jtypes, 3, jcells);
    j.json = calloc(j.nrows, sizeof *j.json);
    if (!j.json)
        abort();
    for (size_t r = 0; r < j.nrows; r++) {
        if (!(j.json[r] = calloc(j.ncols, sizeof **j.json)))
            abort();
        for (size_t c = 0; c < j.ncols; c++)
            j.json[r][c] = dup(jjson[r * j.ncols + c]);
    }
    crt_table_print(&j, stdout);
    snprintf(path, sizeof path, "%s/j.csv", argv[1]);
    if (!crt_table_write_csv(&j, path, &err)) {
        crt_error_print(&err, stderr);
        status = 1;
    }
    snprintf(path, sizeof path, "%s/j.jsonl", argv[1]);
    if (!crt_table_write_jsonl(&j, path, &err)) {
        crt_error_print(&err, stderr);
        status = 1;
    }
    crt_table_free(&j);

    /* crt_error_print: a Java exception with its causes */
    crt_error je = {.status = CRT_ERR_JAVA};
    strcpy(je.java_class, "org.apache.spark.SparkException");
    strcpy(je.message, "Job aborted.");
    strcpy(je.cause, "java.io.IOException: disk full\njava.lang.RuntimeException: inner");
    crt_error_print(&je, stdout);

    /* no JVM: crt_open fails cleanly, crt_exit returns */
    crt_options opt = {.java_home = "/nonexistent", .quiet = true};
    crt_session *s = NULL;
    crt_status st = crt_open(&opt, &s, &err);
    printf("crt_open: status %d, session %s\n", (int)st, s ? "set" : "NULL");
    crt_error_print(&err, stdout);
    printf("crt_exit without a JVM returns %d\n", crt_exit(7));
    return status;
}
