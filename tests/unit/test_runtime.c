/* The runtime on Chronon's generated types: defaults, building values by hand,
 * exact bytes out, copy/equal/free, and the errors the writer reports. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronon_api.h"

static int passed, failed;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

static void expect_json(const tj_struct_desc *desc, const void *obj, const char *want, const char *what)
{
    tj_error err;
    size_t len = 0;
    char *got = tj_to_json(desc, obj, &len, &err);
    CHECK(got != NULL, "%s: to_json failed: %s: %s", what, err.path, err.message);
    if (got) {
        CHECK(strcmp(got, want) == 0 && len == strlen(want), "%s:\n got: %s\nwant: %s", what, got, want);
        free(got);
    }
}

static char *dup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

static void test_defaults(void)
{
    chronon_Query q;
    CHECK(chronon_Query_init(&q) == TJ_OK, "init");
    CHECK(q.has_setups && q.setups.len == 0 && q.setups.items == NULL, "setups default is []");
    CHECK(q.startPartition == NULL && !q.has_selects, "others unset");
    expect_json(&chronon_Query_desc, &q, "{\n  \"setups\": []\n}", "Query()");
    chronon_Query_free(&q);

    chronon_GroupBy g;
    CHECK(chronon_GroupBy_init(&g) == TJ_OK, "init");
    expect_json(&chronon_GroupBy_desc, &g, "{}", "GroupBy()");
    chronon_GroupBy_free(&g);

    /* reading starts from defaults, as chronon-ai's decoder does */
    tj_error err;
    CHECK(chronon_Query_from_json(&q, "{}", 2, 0, &err) == TJ_OK, "read {}");
    CHECK(q.has_setups && q.setups.len == 0, "default kept when absent");
    chronon_Query_free(&q);
    const char *with = "{\"setups\": [\"ADD JAR x\"]}";
    CHECK(chronon_Query_from_json(&q, with, strlen(with), 0, &err) == TJ_OK, "read setups");
    CHECK(q.setups.len == 1 && strcmp(q.setups.items[0], "ADD JAR x") == 0, "setups replaced");
    chronon_Query_free(&q);
}

/* A GroupBy built field by field through the typed API. */
static void build_group_by(chronon_GroupBy *g)
{
    if (chronon_GroupBy_init(g) != TJ_OK)
        abort();
    g->metaData = calloc(1, sizeof *g->metaData);
    if (!g->metaData || chronon_MetaData_init(g->metaData) != TJ_OK)
        abort();
    g->metaData->name = dup("team.purchases.v1");
    g->metaData->has_online = true;
    g->metaData->online = true;
    g->metaData->has_samplePercent = true;
    g->metaData->samplePercent = 100.0;

    g->has_keyColumns = true;
    g->keyColumns.len = 1;
    g->keyColumns.items = calloc(1, sizeof(char *));
    g->keyColumns.items[0] = dup("user_id");

    g->has_aggregations = true;
    g->aggregations.len = 1;
    g->aggregations.items = calloc(1, sizeof(chronon_Aggregation));
    chronon_Aggregation *a = &g->aggregations.items[0];
    if (chronon_Aggregation_init(a) != TJ_OK)
        abort();
    a->inputColumn = dup("price \"usd\" \xc3\xa9");
    a->has_operation = true;
    a->operation = chronon_Operation_SUM;
    a->has_windows = true;
    a->windows.len = 2;
    a->windows.items = calloc(2, sizeof(chronon_Window));
    for (int i = 0; i < 2; i++) {
        a->windows.items[i].has_length = a->windows.items[i].has_timeUnit = true;
        a->windows.items[i].length = i ? 7 : 1;
        a->windows.items[i].timeUnit = chronon_TimeUnit_DAYS;
    }
    g->has_accuracy = true;
    g->accuracy = chronon_Accuracy_SNAPSHOT;
}

static const char *group_by_json =
    "{\n"
    "  \"metaData\": {\n"
    "    \"name\": \"team.purchases.v1\",\n"
    "    \"online\": 1,\n"
    "    \"samplePercent\": 100.0\n"
    "  },\n"
    "  \"keyColumns\": [\n"
    "    \"user_id\"\n"
    "  ],\n"
    "  \"aggregations\": [\n"
    "    {\n"
    "      \"inputColumn\": \"price \\\"usd\\\" \\u00e9\",\n"
    "      \"operation\": 7,\n"
    "      \"windows\": [\n"
    "        {\n"
    "          \"length\": 1,\n"
    "          \"timeUnit\": 1\n"
    "        },\n"
    "        {\n"
    "          \"length\": 7,\n"
    "          \"timeUnit\": 1\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"accuracy\": 1\n"
    "}";

static void test_build_write_read(void)
{
    chronon_GroupBy g, copy, back;
    build_group_by(&g);
    expect_json(&chronon_GroupBy_desc, &g, group_by_json, "built GroupBy");

    CHECK(chronon_GroupBy_copy(&copy, &g) == TJ_OK, "copy");
    CHECK(chronon_GroupBy_equal(&g, &copy), "copy is equal");
    copy.aggregations.items[0].windows.items[1].length = 8;
    CHECK(!chronon_GroupBy_equal(&g, &copy), "changed copy differs");
    CHECK(g.aggregations.items[0].windows.items[1].length == 7, "copy is deep");

    tj_error err;
    CHECK(chronon_GroupBy_from_json(&back, group_by_json, strlen(group_by_json), 0, &err) == TJ_OK,
          "read back: %s: %s", err.path, err.message);
    CHECK(chronon_GroupBy_equal(&g, &back), "read back equals built");

    chronon_GroupBy_free(&g);
    chronon_GroupBy_free(&copy);
    chronon_GroupBy_free(&back);
}

static void test_doubles_and_errors(void)
{
    chronon_MetaData a, b;
    chronon_MetaData_init(&a);
    chronon_MetaData_init(&b);
    a.has_samplePercent = b.has_samplePercent = true;
    a.samplePercent = 0.0;
    b.samplePercent = -0.0;
    /* -0.0 and 0.0 write differently ("0.0" / "-0.0"), so they are not equal */
    CHECK(!chronon_MetaData_equal(&a, &b), "0.0 vs -0.0");
    expect_json(&chronon_MetaData_desc, &b, "{\n  \"samplePercent\": -0.0\n}", "-0.0");

    tj_error err;
    b.samplePercent = INFINITY;
    char *out = chronon_MetaData_to_json(&b, NULL, &err);
    CHECK(out == NULL && err.status == TJ_ERR_VALUE, "inf refused");
    CHECK(strcmp(err.path, "$.samplePercent") == 0, "path %s", err.path);
    CHECK(strcmp(err.message, "double inf has no JSON representation") == 0, "msg %s", err.message);
    free(out);
    b.samplePercent = 1.0;

    b.name = dup("bad \xff utf8");
    out = chronon_MetaData_to_json(&b, NULL, &err);
    CHECK(out == NULL && strcmp(err.path, "$.name") == 0 &&
              strcmp(err.message, "string is not valid UTF-8") == 0,
          "invalid UTF-8: %s: %s", err.path, err.message);
    free(out);
    chronon_MetaData_free(&a);
    chronon_MetaData_free(&b);

    /* a union with two members cannot be written */
    chronon_Source src;
    chronon_Source_init(&src);
    src.events = calloc(1, sizeof *src.events);
    src.entities = calloc(1, sizeof *src.entities);
    chronon_EventSource_init(src.events);
    chronon_EntitySource_init(src.entities);
    out = chronon_Source_to_json(&src, NULL, &err);
    CHECK(out == NULL && strcmp(err.message, "union Source has more than one member set") == 0,
          "union: %s: %s", err.path, err.message);
    free(out);
    CHECK(tj_union_member(&chronon_Source_desc, &src) == tj_field_by_name(&chronon_Source_desc, "events"),
          "first member");
    chronon_Source_free(&src);
    CHECK(src.events == NULL && src.entities == NULL, "free leaves zeroed");
}

static void test_reflection(void)
{
    CHECK(chronon_struct_by_name("GroupBy") == &chronon_GroupBy_desc, "by name");
    CHECK(chronon_struct_by_name("NoSuch") == NULL, "unknown name");
    const tj_field *f = tj_field_by_name(&chronon_Join_desc, "joinParts");
    CHECK(f && f->id == 3 && f->req == TJ_DEFAULT_REQ && f->type->kind == TJ_LIST, "Join.joinParts");
    CHECK(f && strcmp(f->type->idl_name, "list<JoinPart>") == 0, "idl name %s", f ? f->type->idl_name : "");
    CHECK(tj_field_by_id(&chronon_JoinPart_desc, 3) == NULL, "JoinPart id 3 is unused");
    CHECK(strcmp(tj_enum_name(&chronon_Operation_desc, 13), "LAST_K") == 0, "enum name");
    int32_t v = -1;
    CHECK(tj_enum_value_of(&chronon_Operation_desc, "APPROX_PERCENTILE", &v) && v == 12, "enum value");
    CHECK(chronon_Source_desc.is_union && !chronon_GroupBy_desc.is_union, "union flag");
    size_t fields = 0;
    for (size_t i = 0; i < chronon_struct_count; i++)
        fields += chronon_structs[i]->field_count;
    CHECK(chronon_struct_count == 26 && fields == 122, "%zu structs, %zu fields", chronon_struct_count, fields);
}

/* Error paths: indexes, quoted map keys, and a path too long to spell out. */
static void test_error_paths(void)
{
    tj_error err;
    const char *bad_value = "{\"tableProperties\": {\"ok\": \"x\", \"a \\\"b\\\"\": 1}}";
    chronon_MetaData md;
    chronon_MetaData_init(&md);
    tj_status st = chronon_MetaData_from_json(&md, bad_value, strlen(bad_value), 0, &err);
    CHECK(st != TJ_OK && strcmp(err.path, "$.tableProperties[\"a \\\"b\\\"\"]") == 0, "key path %s", err.path);
    chronon_MetaData_free(&md);

    const char *bad_item = "{\"joinParts\": [{}, {\"prefix\": 3}]}";
    chronon_Join join;
    chronon_Join_init(&join);
    st = chronon_Join_from_json(&join, bad_item, strlen(bad_item), 0, &err);
    CHECK(st != TJ_OK && strcmp(err.path, "$.joinParts[1].prefix") == 0, "index path %s", err.path);
    chronon_Join_free(&join);

    /* an unknown field whose name does not fit: the path ends in "..." */
    char text[1200], name[700];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    snprintf(text, sizeof text, "{\"metaData\": {\"%s\": 1}}", name);
    chronon_Join_init(&join);
    st = chronon_Join_from_json(&join, text, strlen(text), TJ_READ_STRICT, &err);
    CHECK(st != TJ_OK && strcmp(err.path, "$.metaData...") == 0, "long path %s", err.path);
    chronon_Join_free(&join);
}

int main(void)
{
    test_defaults();
    test_build_write_read();
    test_doubles_and_errors();
    test_reflection();
    test_error_paths();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
