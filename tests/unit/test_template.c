/* Unit test of codegen/common/template.c: rendering rules, standalone lines
 * and the position carried by each kind of error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "template.h"

static int failures;

#define FAIL(...)                                                   \
    do {                                                            \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);             \
        fprintf(stderr, __VA_ARGS__);                               \
        fputc('\n', stderr);                                        \
        failures++;                                                 \
    } while (0)

/* Render text with the JSON context; compare with want. */
static void expect_render(int line, const char *text, const char *context_json, const char *want)
{
    json_error_t jerr;
    json_t *ctx = json_loads(context_json, 0, &jerr);
    if (!ctx) {
        fprintf(stderr, "line %d: bad test context: %s\n", line, jerr.text);
        failures++;
        return;
    }
    tmpl_error err;
    tmpl *t = tmpl_parse("t.tmpl", text, strlen(text), &err);
    if (!t) {
        fprintf(stderr, "line %d: parse failed: %s\n", line, err.message);
        failures++;
        json_decref(ctx);
        return;
    }
    size_t len = 0;
    char *got = tmpl_render(t, ctx, &len, &err);
    if (!got) {
        fprintf(stderr, "line %d: render failed: %s\n", line, err.message);
        failures++;
    } else if (strcmp(got, want) != 0 || len != strlen(want)) {
        fprintf(stderr, "line %d: rendered\n[%s]\nwanted\n[%s]\n", line, got, want);
        failures++;
    }
    free(got);
    tmpl_free(t);
    json_decref(ctx);
}

/* Parse (and, if that works, render) text; expect an error at line:column
 * whose message contains want. */
static void expect_error(int line, const char *text, const char *context_json, int err_line,
                         int err_column, const char *want)
{
    json_t *ctx = json_loads(context_json, 0, NULL);
    tmpl_error err = {0};
    tmpl *t = tmpl_parse("t.tmpl", text, strlen(text), &err);
    char *got = NULL;
    if (t)
        got = tmpl_render(t, ctx, NULL, &err);
    if (got) {
        fprintf(stderr, "line %d: expected an error, rendered [%s]\n", line, got);
        failures++;
    } else if (err.line != err_line || err.column != err_column || !strstr(err.message, want)) {
        fprintf(stderr, "line %d: error %d:%d \"%s\", wanted %d:%d containing \"%s\"\n", line,
                err.line, err.column, err.message, err_line, err_column, want);
        failures++;
    }
    free(got);
    tmpl_free(t);
    json_decref(ctx);
}

#define RENDERS(text, ctx, want) expect_render(__LINE__, text, ctx, want)
#define FAILS(text, ctx, l, c, want) expect_error(__LINE__, text, ctx, l, c, want)

static void test_variables(void)
{
    RENDERS("", "{}", "");
    RENDERS("plain text, no tags\n", "{}", "plain text, no tags\n");
    RENDERS("Hello {{name}}!", "{\"name\": \"world\"}", "Hello world!");
    RENDERS("{{ name }}", "{\"name\": \"spaces allowed\"}", "spaces allowed");
    RENDERS("{{i}} {{neg}} {{r}} {{t}} {{f}} [{{n}}]",
            "{\"i\": 42, \"neg\": -7, \"r\": 0.1, \"t\": true, \"f\": false, \"n\": null}",
            "42 -7 0.1 true false []");
    RENDERS("{{big}}", "{\"big\": 9223372036854775807}", "9223372036854775807");
    RENDERS("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", "deep");
    /* no HTML escaping: we emit C */
    RENDERS("{{s}}", "{\"s\": \"<a href=\\\"x\\\">&amp;</a>\"}", "<a href=\"x\">&amp;</a>");
    /* a value that itself contains tags is not expanded again */
    RENDERS("{{s}}", "{\"s\": \"{{s}}\"}", "{{s}}");
    RENDERS("{{! a comment }}x{{!another}}", "{}", "x");
    RENDERS("a {single} brace } and { stay", "{}", "a {single} brace } and { stay");
}

static void test_sections(void)
{
    RENDERS("{{#xs}}[{{.}}]{{/xs}}", "{\"xs\": [1, \"two\", 3.5]}", "[1][two][3.5]");
    RENDERS("{{#xs}}<{{name}}>{{/xs}}", "{\"xs\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}",
            "<a><b>");
    RENDERS("{{#o}}{{k}}{{/o}}", "{\"o\": {\"k\": \"inside\"}}", "inside");
    RENDERS("{{#o}}{{/o}}.", "{\"o\": {}}", ".");
    /* truthy scalars render once; the value is the context */
    RENDERS("{{#t}}T{{/t}}{{#s}}S={{.}}{{/s}}{{#n}}N{{/n}}", "{\"t\": true, \"s\": \"x\", \"n\": 3}",
            "TS=xN");
    /* falsy values render nothing */
    RENDERS("{{#f}}F{{/f}}{{#z}}Z{{/z}}{{#e}}E{{/e}}{{#a}}A{{/a}}{{#nul}}N{{/nul}}{{#missing}}M{{/missing}}.",
            "{\"f\": false, \"z\": 0, \"e\": \"\", \"a\": [], \"nul\": null}", ".");
    RENDERS("{{#r}}R{{/r}}{{#r0}}R0{{/r0}}", "{\"r\": 0.5, \"r0\": 0.0}", "R");
    /* inverted is the exact opposite */
    RENDERS("{{^f}}F{{/f}}{{^z}}Z{{/z}}{{^e}}E{{/e}}{{^a}}A{{/a}}{{^nul}}N{{/nul}}{{^missing}}M{{/missing}}",
            "{\"f\": false, \"z\": 0, \"e\": \"\", \"a\": [], \"nul\": null}", "FZEANM");
    RENDERS("{{^t}}T{{/t}}{{^xs}}X{{/xs}}{{^o}}O{{/o}}.", "{\"t\": true, \"xs\": [1], \"o\": {}}", ".");
    /* lookup walks outwards through the context stack */
    RENDERS("{{#structs}}{{#fields}}{{prefix}}{{sname}}.{{name}} {{/fields}}{{/structs}}",
            "{\"prefix\": \"p_\", \"structs\": [{\"sname\": \"S\", \"fields\": [{\"name\": \"a\"},"
            " {\"name\": \"b\"}]}, {\"sname\": \"T\", \"fields\": [{\"name\": \"c\"}]}]}",
            "p_S.a p_S.b p_T.c ");
    /* inner names shadow outer ones */
    RENDERS("{{#inner}}{{name}}{{/inner}} {{name}}", "{\"name\": \"outer\", \"inner\": {\"name\": \"in\"}}",
            "in outer");
    /* the same section name nested in itself */
    RENDERS("{{#xs}}({{#xs}}{{.}}{{/xs}}){{/xs}}", "{\"xs\": [{\"xs\": [1, 2]}, {\"xs\": []}]}",
            "(12)()");
    /* dotted section names */
    RENDERS("{{#a.b}}{{c}}{{/a.b}}", "{\"a\": {\"b\": {\"c\": \"yes\"}}}", "yes");
    /* separators between elements, the usual trick with a per-element flag */
    RENDERS("{{#xs}}{{v}}{{^last}}, {{/last}}{{/xs}}",
            "{\"xs\": [{\"v\": 1, \"last\": false}, {\"v\": 2, \"last\": true}]}", "1, 2");
}

static void test_standalone(void)
{
    /* control tags alone on their line take the whole line with them */
    RENDERS("begin\n{{#xs}}\n  item {{.}}\n{{/xs}}\nend\n", "{\"xs\": [1, 2]}",
            "begin\n  item 1\n  item 2\nend\n");
    RENDERS("begin\n    {{#xs}}   \n\titem\n\t{{/xs}}\t\nend\n", "{\"xs\": [1]}", "begin\n\titem\nend\n");
    RENDERS("a\n{{! a whole-line comment }}\nb\n", "{}", "a\nb\n");
    RENDERS("a\n{{^xs}}\nnone\n{{/xs}}\nb\n", "{\"xs\": []}", "a\nnone\nb\n");
    /* CRLF line ends, and a tag on the last line without a newline */
    RENDERS("a\r\n{{#t}}\r\nb\r\n{{/t}}", "{\"t\": true}", "a\r\nb\r\n");
    RENDERS("{{#t}}\nfirst line\n{{/t}}\n", "{\"t\": true}", "first line\n");
    /* not alone: the line stays */
    RENDERS("x {{#t}}\ny\n{{/t}} z\n", "{\"t\": true}", "x \ny\n z\n");
    RENDERS("{{#t}}{{/t}}\nnext\n", "{\"t\": true}", "\nnext\n");
    /* variables never make a line standalone */
    RENDERS("a\n{{v}}\nb\n", "{\"v\": \"\"}", "a\n\nb\n");
    RENDERS("a\n  {{v}}\nb\n", "{\"v\": \"V\"}", "a\n  V\nb\n");
    /* a section whose lines vanish leaves the surrounding lines intact */
    RENDERS("int x;\n{{#none}}\nnever\n{{/none}}\nint y;\n", "{}", "int x;\nint y;\n");
    /* nested standalone sections, indented */
    RENDERS("{\n    {{#a}}\n    {{#b}}\n    x{{.}};\n    {{/b}}\n    {{/a}}\n}\n",
            "{\"a\": [{\"b\": [1, 2]}, {\"b\": [3]}]}", "{\n    x1;\n    x2;\n    x3;\n}\n");
}

static void test_errors(void)
{
    FAILS("line one\n  {{nmae}}", "{\"name\": 1}", 2, 3, "t.tmpl:2:3: unknown variable 'nmae'");
    FAILS("{{a.b.c}}", "{\"a\": {\"b\": {}}}", 1, 1, "unknown variable 'a.b.c'");
    FAILS("{{#xs}}{{x}}{{/xs}}", "{\"xs\": [{\"y\": 1}]}", 1, 8, "unknown variable 'x'");
    FAILS("a\n\n  {{#sec}}\nbody\n", "{}", 3, 3, "section {{#sec}} is never closed");
    FAILS("{{#a}}{{^b}}{{/b}}", "{}", 1, 1, "section {{#a}} is never closed");
    FAILS("{{#a}}\n{{/b}}", "{}", 2, 1, "{{/b}} does not close {{#a}} (line 1, column 1)");
    FAILS("{{#a.b}}{{/a.c}}", "{}", 1, 9, "{{/a.c}} does not close {{#a.b}}");
    FAILS("x\n y {{/a}}", "{}", 2, 4, "{{/a}} closes no open section");
    FAILS("ok {{ oops", "{}", 1, 4, "tag is not closed");
    FAILS("{{}}", "{}", 1, 1, "tag without a name");
    FAILS("{{#  }}{{/}}", "{}", 1, 1, "tag without a name");
    FAILS("{{a b}}", "{}", 1, 1, "bad character ' '");
    FAILS("{{a..b}}", "{}", 1, 1, "empty segment in dotted name 'a..b'");
    FAILS("{{.a}}", "{}", 1, 1, "empty segment");
    FAILS("x{{o}}", "{\"o\": {}}", 1, 2, "'o' is an object, not a value to print");
    FAILS("{{xs}}", "{\"xs\": []}", 1, 1, "'xs' is an array");
    /* errors in sections that this context never renders are still found */
    FAILS("{{#never}}{{/wrong}}", "{}", 1, 11, "does not close");

    tmpl_error err;
    if (tmpl_parse("nul.tmpl", "a\0b", 3, &err) || !strstr(err.message, "NUL"))
        FAIL("a NUL byte in a template must be rejected");
    if (tmpl_load("/nonexistent/dir/x.tmpl", &err) ||
        strcmp(err.message, "/nonexistent/dir/x.tmpl: No such file or directory") != 0)
        FAIL("missing file: got \"%s\"", err.message);
}

static void test_load_and_reuse(void)
{
    char path[] = "/tmp/test_template_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        FAIL("mkstemp failed");
        return;
    }
    const char *text = "{{#xs}}\n{{.}}\n{{/xs}}\n";
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    tmpl_error err;
    tmpl *t = tmpl_load(path, &err);
    remove(path);
    if (!t) {
        FAIL("tmpl_load: %s", err.message);
        return;
    }
    /* one compiled template, rendered with several contexts */
    const char *contexts[] = {"{\"xs\": [1, 2]}", "{\"xs\": []}", "{\"xs\": [\"a\"]}"};
    const char *wants[] = {"1\n2\n", "", "a\n"};
    for (int i = 0; i < 3; i++) {
        json_t *ctx = json_loads(contexts[i], 0, NULL);
        char *got = tmpl_render(t, ctx, NULL, &err);
        if (!got || strcmp(got, wants[i]) != 0)
            FAIL("render %d: [%s]", i, got ? got : err.message);
        free(got);
        json_decref(ctx);
    }
    /* an error message names the file it came from */
    json_t *empty = json_object();
    tmpl *bad = tmpl_parse("templates/x.tmpl", "\n\n   {{oops}}", 13, &err);
    char *out = bad ? tmpl_render(bad, empty, NULL, &err) : NULL;
    if (out || strcmp(err.message, "templates/x.tmpl:3:4: unknown variable 'oops'") != 0)
        FAIL("got \"%s\"", err.message);
    free(out);
    tmpl_free(bad);
    json_decref(empty);
    tmpl_free(t);
}

static void test_large_output(void)
{
    /* growth of the output buffer well past its first allocation */
    json_t *xs = json_array();
    for (int i = 0; i < 20000; i++)
        json_array_append_new(xs, json_integer(i));
    json_t *ctx = json_pack("{so}", "xs", xs);
    tmpl_error err;
    const char *text = "{{#xs}}{{.}},{{/xs}}";
    tmpl *t = tmpl_parse("big", text, strlen(text), &err);
    size_t len = 0;
    char *out = t ? tmpl_render(t, ctx, &len, &err) : NULL;
    if (!out || len != strlen(out) || strncmp(out, "0,1,2,", 6) != 0 ||
        strcmp(out + len - 6, "19999,") != 0)
        FAIL("large render wrong");
    free(out);
    tmpl_free(t);
    json_decref(ctx);
}

int main(void)
{
    test_variables();
    test_sections();
    test_standalone();
    test_errors();
    test_load_and_reuse();
    test_large_output();
    if (failures) {
        fprintf(stderr, "test_template: %d failure(s)\n", failures);
        return 1;
    }
    printf("test_template: ok\n");
    return 0;
}
