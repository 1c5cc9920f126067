/* Unit test of codegen/dsl/diag.c and arena.c: positions in characters,
 * the order diagnostics print in, the source line with its caret and
 * tildes (tabs, wide characters, ranges over several lines), colors, long
 * outputs, the record of error reports, and the arena's alignment and big
 * blocks. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

static int failures;

#define FAIL(...)                                                   \
    do {                                                            \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);             \
        fprintf(stderr, __VA_ARGS__);                               \
        fputc('\n', stderr);                                        \
        failures++;                                                 \
    } while (0)

static source_file *file(const char *path, const char *text)
{
    size_t n = strlen(text);
    char *copy = malloc(n);   /* source_file_new must add the NUL itself */
    if (!copy) {
        perror("malloc");
        exit(2);
    }
    memcpy(copy, text, n);
    source_file *f = source_file_new(path, copy, n);
    if (!f) {
        perror("source_file_new");
        exit(2);
    }
    return f;
}

static src_loc at(const source_file *f, int l1, int c1, int l2, int c2)
{
    return (src_loc){f, l1, c1, l2, c2};
}

/* Everything diag_print writes. */
static char *printed(const diag_set *d, bool color)
{
    FILE *out = tmpfile();
    if (!out) {
        perror("tmpfile");
        exit(2);
    }
    diag_print(d, out, color);
    long n = ftell(out);
    rewind(out);
    char *buf = calloc(1, (size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, out) != (size_t)n) {
        perror("read back");
        exit(2);
    }
    fclose(out);
    return buf;
}

static void expect_print(int line, const diag_set *d, bool color, const char *want)
{
    char *got = printed(d, color);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s:%d: printed\n[%s]\nwanted\n[%s]\n", __FILE__, line, got, want);
        failures++;
    }
    free(got);
}

static void test_positions(void)
{
    /* "é" is two bytes and one column; the tab is one column too. */
    source_file *f = file("p.py", "ab\n\xC3\xA9x\t=\n\nlast");
    if (f->line_count != 4 || f->line_starts[1] != 3 || f->line_starts[3] != 10)
        FAIL("line starts: %zu lines", f->line_count);
    if (f->text[f->len] != '\0')
        FAIL("text not NUL-terminated");
    static const struct { size_t off; int line, col; } cases[] = {
        {0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {6, 2, 3}, {7, 2, 4},
        {9, 3, 1}, {10, 4, 1}, {14, 4, 5}, {99, 4, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int line, col;
        source_position(f, cases[i].off, &line, &col);
        if (line != cases[i].line || col != cases[i].col)
            FAIL("offset %zu: %d:%d, wanted %d:%d", cases[i].off, line, col, cases[i].line, cases[i].col);
    }
    source_file_free(f);

    /* A byte order mark is not a column. */
    f = file("bom.py", "\xEF\xBB\xBFx = 1\n");
    int line, col;
    source_position(f, 3, &line, &col);
    if (line != 1 || col != 1)
        FAIL("after the BOM: %d:%d", line, col);
    source_file_free(f);

    /* Empty file: one empty line. */
    f = file("empty.py", "");
    if (f->line_count != 1)
        FAIL("empty file has %zu lines", f->line_count);
    source_file_free(f);
}

static void test_utf8(void)
{
    static const struct { const char *s; size_t n, want; } cases[] = {
        {"a", 1, 1},
        {"\xC3\xA9", 2, 2},
        {"\xE2\x82\xAC", 3, 3},
        {"\xF0\x9F\x98\x80", 4, 4},
        {"\xC3", 1, 1},              /* truncated */
        {"\xC0\x80", 2, 1},          /* overlong */
        {"\xE0\x80\x80", 3, 1},      /* overlong */
        {"\xED\xA0\x80", 3, 1},      /* surrogate */
        {"\xF4\x90\x80\x80", 4, 1},  /* beyond U+10FFFF */
        {"\x80", 1, 1},              /* continuation byte alone */
        {"\xFF", 1, 1},
        {"\xE2\x82" "a", 3, 1},      /* broken sequence */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t got = utf8_char_len(cases[i].s, cases[i].s + cases[i].n);
        if (got != cases[i].want)
            FAIL("utf8_char_len case %zu: %zu, wanted %zu", i, got, cases[i].want);
    }
}

static void test_order_and_notes(void)
{
    source_file *a = file("a.py", "x = 1\ny = f(x,\n      z)\n");
    source_file *b = file("b.py", "first\n");
    diag_set d;
    diag_init(&d);
    diag_error(&d, at(b, 1, 1, 1, 5), "in b");
    diag_note(&d, at(a, 1, 1, 1, 1), "note of b's error, %d", 1);
    diag_add(&d, DIAG_WARNING, at(a, 2, 5, 2, 8), "a warning");
    diag_error(&d, at(a, 2, 1, 3, 8), "over two lines");
    diag_note(&d, at(a, 3, 7, 3, 7), "first note");
    diag_note(&d, (src_loc){0}, "second note, about no place");
    diag_error(&d, (src_loc){0}, "about no file");
    diag_error(&d, at(a, 0, 0, 0, 0), "about the whole file");
    if (d.errors != 4 || d.len != 8)
        FAIL("counted %zu errors, %zu diagnostics", d.errors, d.len);
    expect_print(__LINE__, &d, false,
                 "error: about no file\n"
                 "a.py: error: about the whole file\n"
                 "a.py:2:1: error: over two lines\n"
                 "    2 | y = f(x,\n"
                 "      | ^\n"
                 "a.py:3:7: note: first note\n"
                 "    3 |       z)\n"
                 "      |       ^\n"
                 "note: second note, about no place\n"
                 "a.py:2:5: warning: a warning\n"
                 "    2 | y = f(x,\n"
                 "      |     ^~~~\n"
                 "b.py:1:1: error: in b\n"
                 "    1 | first\n"
                 "      | ^~~~~\n"
                 "a.py:1:1: note: note of b's error, 1\n"
                 "    1 | x = 1\n"
                 "      | ^\n");
    diag_free(&d);
    if (d.len || d.items)
        FAIL("diag_free left items");
    source_file_free(a);
    source_file_free(b);
}

static void test_snippets(void)
{
    /* Tabs are expanded to multiples of 8 in the line and under it alike;
     * a wide character takes one column of the caret line. */
    source_file *f = file("t.py", "\tx = [1,\t2]\r\n\xC3\xA9t\xC3\xA9 = 1\nend");
    diag_set d;
    diag_init(&d);
    diag_error(&d, at(f, 1, 9, 1, 10), "over a tab");
    diag_error(&d, at(f, 2, 3, 2, 3), "after a wide character");
    diag_error(&d, at(f, 3, 4, 3, 3), "empty range at the end");
    diag_error(&d, at(f, 3, 2, 3, 9), "range past the end");
    expect_print(__LINE__, &d, false,
                 "t.py:1:9: error: over a tab\n"
                 "    1 |         x = [1, 2]\n"
                 "      |                ^~\n"
                 "t.py:2:3: error: after a wide character\n"
                 "    2 | \xC3\xA9t\xC3\xA9 = 1\n"
                 "      |   ^\n"
                 "t.py:3:2: error: range past the end\n"
                 "    3 | end\n"
                 "      |  ^~~~~~~~\n"
                 "t.py:3:4: error: empty range at the end\n"
                 "    3 | end\n"
                 "      |    ^\n");
    diag_free(&d);
    source_file_free(f);

    /* Line numbers wider than four digits widen the gutter. */
    size_t lines = 12345;
    char *text = malloc(lines * 2);
    for (size_t i = 0; i < lines; i++) {
        text[2 * i] = 'x';
        text[2 * i + 1] = '\n';
    }
    source_file *big = source_file_new("big.py", text, lines * 2);
    diag_init(&d);
    diag_error(&d, at(big, 12345, 1, 12345, 1), "deep");
    diag_error(&d, at(big, 999999, 1, 999999, 1), "no such line");
    expect_print(__LINE__, &d, false,
                 "big.py:12345:1: error: deep\n"
                 " 12345 | x\n"
                 "       | ^\n"
                 "big.py:999999:1: error: no such line\n");
    diag_free(&d);
    source_file_free(big);
}

static void test_color(void)
{
    source_file *f = file("c.py", "x = $\n");
    diag_set d;
    diag_init(&d);
    diag_error(&d, at(f, 1, 5, 1, 5), "bad");
    diag_add(&d, DIAG_WARNING, at(f, 1, 1, 1, 1), "meh");
    diag_note(&d, (src_loc){0}, "fyi");
    expect_print(__LINE__, &d, true,
                 "\033[1mc.py:1:1: \033[0;1;35mwarning: \033[0m\033[1mmeh\033[0m\n"
                 "    1 | x = $\n"
                 "      | \033[0;1;32m^\033[0m\n"
                 "\033[1m\033[0;1;30mnote: \033[0m\033[1mfyi\033[0m\n"
                 "\033[1mc.py:1:5: \033[0;1;31merror: \033[0m\033[1mbad\033[0m\n"
                 "    1 | x = $\n"
                 "      | \033[0;1;32m    ^\033[0m\n");
    diag_free(&d);
    source_file_free(f);
}

static void test_arena(void)
{
    arena a;
    arena_init(&a);
    /* Every allocation is aligned for pointers, 64-bit integers and doubles
     * (arena.h) and zeroed, whatever the sizes before it. */
    for (size_t size = 0; size < 300; size++) {
        unsigned char *p = arena_alloc(&a, size);
        if (!p) {
            FAIL("arena_alloc(%zu) failed", size);
            break;
        }
        if ((uintptr_t)p % alignof(void *) || (uintptr_t)p % alignof(int64_t) || (uintptr_t)p % alignof(double))
            FAIL("arena_alloc(%zu) misaligned", size);
        for (size_t i = 0; i < size; i++)
            if (p[i])
                FAIL("arena_alloc(%zu) not zeroed", size);
        memset(p, 0xAB, size);
    }
    /* A big allocation gets its own block and does not disturb the rest. */
    char *small = arena_alloc(&a, 16);
    char *big = arena_alloc(&a, 1 << 20);
    char *after = arena_alloc(&a, 16);
    if (!small || !big || !after || (uintptr_t)big % alignof(max_align_t))
        FAIL("big allocation");
    else {
        memset(big, 1, 1 << 20);
        size_t step = (16 + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t);
        if (after != small + step)
            FAIL("a big allocation moved the small ones away");
    }
    char *s = arena_strndup(&a, "hello world", 5);
    if (!s || strcmp(s, "hello") != 0)
        FAIL("arena_strndup: %s", s ? s : "(null)");
    char *t = arena_sprintf(&a, "%s-%d-%.1f", "x", 42, 2.5);
    if (!t || strcmp(t, "x-42-2.5") != 0)
        FAIL("arena_sprintf: %s", t ? t : "(null)");
    if (a.total < (1 << 20))
        FAIL("total %zu", a.total);
    if (arena_alloc(&a, SIZE_MAX - 4) != NULL)
        FAIL("an impossible size succeeded");
    arena_free(&a);
    if (a.head || a.total)
        FAIL("arena_free left state");
    /* A freed arena is ready for use again; a first allocation may be big. */
    if (!arena_alloc(&a, 1 << 18) || !arena_alloc(&a, 8))
        FAIL("reuse after free");
    arena_free(&a);
}

/* diag_error_report_loc: every error report in order, duplicates included
 * (the loader finds a failed module's first error with it). */
static void test_error_reports(void)
{
    source_file *a = file("a.py", "x = 1\ny = 2\n");
    diag_set d;
    diag_init(&d);
    diag_error(&d, at(a, 1, 1, 1, 1), "one");
    diag_add(&d, DIAG_WARNING, at(a, 1, 5, 1, 5), "not an error");
    diag_error(&d, at(a, 2, 1, 2, 1), "two");
    diag_error(&d, at(a, 1, 1, 1, 1), "one"); /* a duplicate: not kept, still a report */
    for (int i = 0; i < 40; i++)              /* past the first growth of the record */
        diag_error(&d, at(a, 2, 5, 2, 5), "three");
    if (d.errors != 3 || d.error_reports != 43)
        FAIL("%zu errors, %zu reports", d.errors, d.error_reports);
    int lines[] = {1, 2, 1, 2};
    for (size_t n = 0; n < 4; n++) {
        src_loc l = diag_error_report_loc(&d, n == 3 ? 42 : n);
        if (l.file != a || l.first_line != lines[n])
            FAIL("report %zu at line %d", n, l.first_line);
    }
    if (diag_error_report_loc(&d, 43).file)
        FAIL("a report past the last one has a place");
    diag_free(&d);
    source_file_free(a);
}

/* Many diagnostics: printed in pieces (whole diagnostics each), the text the
 * same as one by one. */
static void test_long_print(void)
{
    source_file *a = file("a.py", "value = compute(1, 2)\n");
    diag_set d;
    diag_init(&d);
    size_t n = 3000, cap = n * 256, len = 0;
    char *want = malloc(cap);
    if (!want) {
        perror("malloc");
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        diag_error(&d, at(a, 1, 9, 1, 15), "problem number %05zu", i);
        diag_note(&d, at(a, 1, 1, 1, 5), "note %05zu", i);
        len += (size_t)snprintf(want + len, cap - len,
                                "a.py:1:9: error: problem number %05zu\n"
                                "    1 | value = compute(1, 2)\n"
                                "      |         ^~~~~~~\n"
                                "a.py:1:1: note: note %05zu\n"
                                "    1 | value = compute(1, 2)\n"
                                "      | ^~~~~\n", i, i);
    }
    if (len < 3 * 65536)
        FAIL("the test prints only %zu bytes", len);
    expect_print(__LINE__, &d, false, want);
    free(want);
    diag_free(&d);
    source_file_free(a);
}

/* Everything diag_print_styled writes. */
static char *printed_styled(const diag_set *d, const diag_style *style)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) {
        perror("open_memstream");
        exit(2);
    }
    diag_print_styled(d, out, style);
    fclose(out);
    return buf;
}

static void expect_styled(int line, const diag_set *d, const diag_style *style, const char *want)
{
    char *got = printed_styled(d, style);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "%s:%d: printed\n%s\nexpected\n%s\n", __FILE__, line, got, want), failures++;
    free(got);
}

/* Hostile lines: a long one is a window around the caret, controls, bidi
 * overrides and bytes that are not UTF-8 are escaped, in the line and in
 * the message. */
static void test_hostile_lines(void)
{
    size_t n = 200000;
    char *text = malloc(n + 2);
    memset(text, 'a', n);
    memcpy(text + 100000, "BAD", 3);
    text[n] = '\n';
    text[n + 1] = 'x';
    source_file *f = source_file_new("long.py", text, n + 2);
    diag_set d;
    diag_init(&d);
    diag_error(&d, at(f, 1, 100001, 1, 100003), "here");
    diag_error(&d, at(f, 1, 3, 1, 3), "near the start");
    diag_error(&d, at(f, 1, 199999, 1, 200001), "past the end");
    diag_style style = {.format = DIAG_FORMAT_TEXT, .width = 50};
    expect_styled(__LINE__, &d, &style,
                  "long.py:1:3: error: near the start\n"
                  "    1 | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\n"
                  "      |   ^\n"
                  "long.py:1:100001: error: here\n"
                  "    1 | ...aaaaaaaaaaaaaaaaaBADaaaaaaaaaaaaaaaa...\n"
                  "      |                     ^~~\n"
                  "long.py:1:199999: error: past the end\n"
                  "    1 | ...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                  "      |                                        ^~~\n");
    style.width = 0; /* no limit: the whole line */
    char *whole = printed_styled(&d, &style);
    if (strlen(whole) < 3 * n)
        FAIL("without a width the line is not whole: %zu bytes", strlen(whole));
    free(whole);
    diag_free(&d);
    source_file_free(f);

    /* a range wider than the window: its start shown, after what precedes it */
    char wide[320] = "x = ";
    memset(wide + 4, 'n', 300);
    wide[304] = '\0';
    f = file("wide.py", wide);
    diag_init(&d);
    diag_error(&d, at(f, 1, 5, 1, 304), "wide");
    style.width = 50;
    expect_styled(__LINE__, &d, &style,
                  "wide.py:1:5: error: wide\n"
                  "    1 | x = nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...\n"
                  "      |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
    diag_free(&d);
    /* a message quoting something huge keeps its start and end in text, all in JSON */
    diag_init(&d);
    char *huge = malloc(5001);
    memset(huge, 'm', 5000);
    huge[0] = 'A';
    huge[4999] = 'Z';
    huge[5000] = '\0';
    diag_error(&d, (src_loc){0}, "%s", huge);
    char *text_out = printed_styled(&d, &style);
    char want_head[64];
    snprintf(want_head, sizeof want_head, "error: Am");
    if (strncmp(text_out, want_head, strlen(want_head)) != 0 || !strstr(text_out, " ... [2000 characters not shown] ... ") ||
        strlen(text_out) != strlen("error: ") + 2000 + strlen(" ... [2000 characters not shown] ... ") + 1000 + 1 ||
        strcmp(text_out + strlen(text_out) - 3, "mZ\n") != 0)
        FAIL("a huge message in text: %zu bytes", strlen(text_out));
    free(text_out);
    style.format = DIAG_FORMAT_JSON;
    char *json_out = printed_styled(&d, &style);
    if (strlen(json_out) < 5000)
        FAIL("a huge message in JSON is cut: %zu bytes", strlen(json_out));
    free(json_out);
    style.format = DIAG_FORMAT_TEXT;
    free(huge);
    diag_free(&d);
    source_file_free(f);

    f = file("ctl.py", "s = \"\x1b[2J\x07\" + \xE2\x80\xAE\"x\" + \xFF + \xC2\x85 + y\n");
    diag_init(&d);
    diag_error(&d, at(f, 1, 30, 1, 30), "bad \x1b[31m name \xFF");
    style.width = 200;
    expect_styled(__LINE__, &d, &style,
                  "ctl.py:1:30: error: bad <U+001B>[31m name <FF>\n"
                  "    1 | s = \"<U+001B>[2J<U+0007>\" + <U+202E>\"x\" + <FF> + <U+0085> + y\n"
                  "      |                                                             ^\n");
    style.format = DIAG_FORMAT_JSON;
    expect_styled(__LINE__, &d, &style,
                  "{\"file\":\"ctl.py\",\"line\":1,\"column\":30,\"end_line\":1,\"end_column\":30,"
                  "\"severity\":\"error\",\"message\":\"bad \\u001b[31m name \\ufffd\",\"notes\":[],\"fixits\":[]}\n");
    diag_free(&d);
    source_file_free(f);
}

/* JSON lines: notes inside their error, "did you mean" as a fix-it when its
 * range is a name; a diagnostic about no file has no position keys. */
static void test_json(void)
{
    source_file *f = file("g.py", "Aggregation(input_colum=1)\n");
    diag_set d;
    diag_init(&d);
    diag_error(&d, at(f, 1, 13, 1, 23), "unexpected keyword argument 'input_colum'");
    diag_note(&d, at(f, 1, 13, 1, 23), "did you mean 'input_column'?");
    diag_note(&d, at(f, 1, 1, 1, 26), "the team is the folder under x/: did you mean 'shop'?");
    diag_add(&d, DIAG_WARNING, (src_loc){0}, "no \"file\"");
    diag_style style = {.format = DIAG_FORMAT_JSON};
    expect_styled(__LINE__, &d, &style,
                  "{\"severity\":\"warning\",\"message\":\"no \\\"file\\\"\",\"notes\":[],\"fixits\":[]}\n"
                  "{\"file\":\"g.py\",\"line\":1,\"column\":13,\"end_line\":1,\"end_column\":23,\"severity\":\"error\","
                  "\"message\":\"unexpected keyword argument 'input_colum'\",\"notes\":["
                  "{\"file\":\"g.py\",\"line\":1,\"column\":13,\"end_line\":1,\"end_column\":23,"
                  "\"message\":\"did you mean 'input_column'?\"},"
                  "{\"file\":\"g.py\",\"line\":1,\"column\":1,\"end_line\":1,\"end_column\":26,"
                  "\"message\":\"the team is the folder under x/: did you mean 'shop'?\"}],"
                  "\"fixits\":[{\"file\":\"g.py\",\"line\":1,\"column\":13,\"end_line\":1,\"end_column\":23,"
                  "\"replacement\":\"input_column\"}]}\n");
    diag_free(&d);
    /* SARIF with nothing to say is still a log */
    diag_init(&d);
    style.format = DIAG_FORMAT_SARIF;
    char *empty = printed_styled(&d, &style);
    if (!strstr(empty, "\"version\": \"2.1.0\"") || !strstr(empty, "\"results\": []"))
        FAIL("an empty SARIF log: %s", empty);
    free(empty);
    diag_free(&d);
    source_file_free(f);
}

int main(void)
{
    test_error_reports();
    test_long_print();
    test_hostile_lines();
    test_json();
    test_positions();
    test_utf8();
    test_order_and_notes();
    test_snippets();
    test_color();
    test_arena();
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
