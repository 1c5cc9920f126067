/*
 * The C half of the differential test of everything.thrift (see
 * generate.test.sh): reads the manifest everything_cases.py wrote and checks
 * every line against the code thrift-cgen generated, through the typed
 * wrappers and through the reflection tables.
 *
 * usage: everything_roundtrip CASEDIR
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "everything.h"

static int failures;

static void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures++;
}

#define CHECK(cond)                                                     \
    do {                                                                \
        if (!(cond))                                                    \
            failf("%s:%d: check failed: %s", __FILE__, __LINE__, #cond); \
    } while (0)

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *grown = realloc(data, cap * 2);
            if (!grown) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (data) {
        data[n] = '\0';
        *len = n;
    }
    return data;
}

/* Report where two texts part, with some context from each. */
static void compare(const char *what, const char *want, size_t want_len, const char *got,
                    size_t got_len)
{
    if (got_len == want_len && memcmp(got, want, want_len) == 0)
        return;
    size_t at = 0;
    while (at < want_len && at < got_len && want[at] == got[at])
        at++;
    size_t from = at > 60 ? at - 60 : 0;
    failf("%s: differs at byte %zu (want %zu bytes, got %zu)\n  want: ...%.*s\n  got:  ...%.*s",
          what, at, want_len, got_len, (int)(want_len - from < 160 ? want_len - from : 160),
          want + from, (int)(got_len - from < 160 ? got_len - from : 160), got + from);
}

static void report(const char *what, const tj_error *err)
{
    char buf[1200];
    failf("%s: %s", what, tj_error_format(err, buf, sizeof buf));
}

/* The checks, once per struct through its typed wrappers. */
#define ROUNDTRIP_FUNCTIONS(S)                                                              \
    static void roundtrip_##S(const char *what, const char *text, size_t len)               \
    {                                                                                       \
        ev_##S x, copy;                                                                     \
        tj_error err;                                                                       \
        if (ev_##S##_from_json(&x, text, len, TJ_READ_STRICT, &err) != TJ_OK) {            \
            report(what, &err);                                                             \
            return;                                                                         \
        }                                                                                   \
        size_t out_len = 0;                                                                 \
        char *out = ev_##S##_to_json(&x, &out_len, &err);                                   \
        if (!out)                                                                           \
            report(what, &err);                                                             \
        else                                                                                \
            compare(what, text, len, out, out_len);                                         \
        free(out);                                                                          \
        if (ev_##S##_copy(&copy, &x) != TJ_OK) {                                            \
            failf("%s: copy failed", what);                                                 \
        } else {                                                                            \
            if (!ev_##S##_equal(&x, &copy) || !ev_##S##_equal(&copy, &x))                   \
                failf("%s: a copy is not equal to its original", what);                     \
            char *again = ev_##S##_to_json(&copy, &out_len, &err);                          \
            if (!again)                                                                     \
                report(what, &err);                                                         \
            else                                                                            \
                compare(what, text, len, again, out_len);                                   \
            free(again);                                                                    \
            ev_##S##_free(&copy);                                                           \
        }                                                                                   \
        ev_##S##_free(&x);                                                                  \
    }                                                                                       \
    static void default_##S(const char *what, const char *want, size_t want_len,            \
                            const char *unset_required)                                     \
    {                                                                                       \
        ev_##S x;                                                                           \
        tj_error err;                                                                       \
        if (ev_##S##_init(&x) != TJ_OK) {                                                   \
            failf("%s: init failed", what);                                                 \
            return;                                                                         \
        }                                                                                   \
        size_t out_len = 0;                                                                 \
        char *out = ev_##S##_to_json(&x, &out_len, &err);                                   \
        if (unset_required) {                                                               \
            if (out)                                                                        \
                failf("%s: wrote JSON though required %s is unset", what, unset_required);  \
            else if (!strstr(err.path, unset_required) && !strstr(err.message, unset_required)) \
                failf("%s: error does not name %s: %s: %s", what, unset_required, err.path,  \
                      err.message);                                                         \
        } else if (!out) {                                                                  \
            report(what, &err);                                                             \
        } else {                                                                            \
            compare(what, want, want_len, out, out_len);                                    \
        }                                                                                   \
        free(out);                                                                          \
        ev_##S##_free(&x);                                                                  \
    }

#define EVERY_STRUCT(X) \
    X(Leaf) X(Scalars) X(Requiredness) X(Defaults) X(Keys) X(Nested) X(Choice) X(Tree) X(Forest) \
    X(OutOfOrder) X(Empty) X(Failure)

EVERY_STRUCT(ROUNDTRIP_FUNCTIONS)

typedef struct by_name {
    const char *name;
    void (*roundtrip)(const char *, const char *, size_t);
    void (*init_default)(const char *, const char *, size_t, const char *);
} by_name;

#define TABLE_ENTRY(S) {#S, roundtrip_##S, default_##S},
static const by_name table[] = {EVERY_STRUCT(TABLE_ENTRY)};
#define TABLE_SIZE (sizeof table / sizeof table[0])

/* The same round trip again, through the reflection tables only. */
static void roundtrip_reflected(const char *what, const char *name, const char *text, size_t len)
{
    const tj_struct_desc *desc = ev_struct_by_name(name);
    if (!desc) {
        failf("%s: ev_struct_by_name(\"%s\") is NULL", what, name);
        return;
    }
    void *obj = malloc(desc->size);
    tj_error err;
    if (!obj || tj_from_json(desc, obj, text, len, 0, &err) != TJ_OK) {
        if (obj)
            report(what, &err);
        free(obj);
        return;
    }
    size_t out_len = 0;
    char *out = tj_to_json(desc, obj, &out_len, &err);
    if (!out)
        report(what, &err);
    else
        compare(what, text, len, out, out_len);
    free(out);
    tj_free(desc, obj);
    free(obj);
}

static void run_manifest(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        failf("cannot open %s", path);
        return;
    }
    char line[4096];
    int checks = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char kind[32], name[128], arg[3000];
        if (sscanf(line, "%31s %127s %2999s", kind, name, arg) != 3) {
            failf("bad manifest line: %s", line);
            continue;
        }
        const by_name *s = NULL;
        for (size_t i = 0; i < TABLE_SIZE && !s; i++)
            if (strcmp(table[i].name, name) == 0)
                s = &table[i];
        if (!s) {
            failf("%s: struct %s is not in EVERY_STRUCT", line, name);
            continue;
        }
        checks++;
        if (strcmp(kind, "default-fails") == 0) {
            s->init_default(line, NULL, 0, arg);
            continue;
        }
        size_t len = 0;
        char *text = read_file(arg, &len);
        if (!text) {
            failf("cannot read %s", arg);
            continue;
        }
        if (strcmp(kind, "roundtrip") == 0) {
            s->roundtrip(line, text, len);
            roundtrip_reflected(line, name, text, len);
        } else if (strcmp(kind, "default") == 0) {
            s->init_default(line, text, len, NULL);
        } else {
            failf("unknown check: %s", line);
        }
        free(text);
    }
    fclose(f);
    printf("%d manifest checks\n", checks);
}

/* What the generated tables say, beyond the bytes. */
static void check_tables(void)
{
    CHECK(ev_struct_count == TABLE_SIZE);
    for (size_t i = 0; i < ev_struct_count; i++) {
        const tj_struct_desc *d = ev_structs[i];
        CHECK(ev_struct_by_name(d->name) == d);
        for (size_t k = 1; k < d->field_count; k++)
            CHECK(d->fields[k - 1].id < d->fields[k].id);
    }
    CHECK(ev_struct_by_name("Nope") == NULL);
    CHECK(strcmp(ev_structs[0]->name, "Leaf") == 0);
    CHECK(ev_Choice_desc.is_union && !ev_Tree_desc.is_union);
    CHECK(ev_Empty_desc.field_count == 0);

    CHECK(ev_enum_count == 2 && ev_enums[0] == &ev_Color_desc && ev_enums[1] == &ev_Sign_desc);
    CHECK(ev_Sign_LOWEST == INT32_MIN && ev_Sign_HIGHEST == INT32_MAX && ev_Color_BLUE == 7);
    CHECK(strcmp(tj_enum_name(&ev_Color_desc, 7), "BLUE") == 0);
    CHECK(tj_enum_name(&ev_Color_desc, 3) == NULL);
    CHECK(ev_Color_type.kind == TJ_ENUM && ev_Color_type.enum_desc == &ev_Color_desc);

    /* ids in id order, whatever order the IDL declares them in */
    const tj_struct_desc *o = &ev_OutOfOrder_desc;
    CHECK(o->field_count == 6 && o->fields[0].id == 1 && o->fields[5].id == 10);
    /* C keywords: the JSON name stays, the member gets an underscore */
    const tj_field *f = tj_field_by_name(o, "auto");
    CHECK(f && f->offset == offsetof(ev_OutOfOrder, auto_) &&
          f->has_offset == offsetof(ev_OutOfOrder, has_auto_));
    f = tj_field_by_name(o, "int");
    CHECK(f && f->offset == offsetof(ev_OutOfOrder, int_) && f->has_offset == TJ_NO_FLAG);

    /* container types, named and spelled as docs/generated-c.md says */
    CHECK(strcmp(ev_map_string_list_map_i32_string_type.idl_name, "map<string,list<map<i32,string>>>") == 0);
    CHECK(ev_map_string_list_map_i32_string_type.kind == TJ_MAP);
    CHECK(ev_map_string_list_map_i32_string_type.key == &tj_type_string);
    CHECK(ev_map_string_list_map_i32_string_type.elem == &ev_list_map_i32_string_type);
    CHECK(ev_list_set_Color_type.elem == &ev_set_Color_type && ev_set_Color_type.kind == TJ_SET);
    CHECK(ev_set_Color_type.elem == &ev_Color_type);
    CHECK(ev_map_Color_Sign_type.key == &ev_Color_type && ev_map_Color_Sign_type.elem == &ev_Sign_type);
    CHECK(ev_list_list_list_Leaf_type.size == sizeof(ev_list_list_list_Leaf));
    CHECK(ev_list_Leaf_type.elem == &ev_Leaf_type && ev_Leaf_type.size == sizeof(ev_Leaf));
    CHECK(ev_map_byte_bool_type.key == &tj_type_byte);
    /* typedefs resolve: Index is map<string, list<string>>; Paint is Color,
     * which thrift's JSON reports as i32, and without (c.enum) it stays one */
    CHECK(tj_field_by_name(&ev_Nested_desc, "index")->type == &ev_map_string_list_string_type);
    CHECK(tj_field_by_name(&ev_Scalars_desc, "paint")->type == &tj_type_i32);
    CHECK(tj_field_by_name(&ev_Scalars_desc, "color")->type == &ev_Color_type);
    CHECK(tj_field_by_name(&ev_Scalars_desc, "stamp")->type == &tj_type_i64);
    CHECK(tj_field_by_name(&ev_Scalars_desc, "leaf")->type == &ev_Leaf_type);

    const tj_field *req = ev_Requiredness_desc.fields;
    CHECK(req[0].req == TJ_REQUIRED && req[2].req == TJ_OPTIONAL && req[3].req == TJ_DEFAULT_REQ);
}

/* The typed view of the defaults, beyond their JSON. */
static void check_default_values(void)
{
    ev_Defaults d;
    CHECK(ev_Defaults_init(&d) == TJ_OK);
    CHECK(d.has_on && d.on && d.has_off && !d.off);
    CHECK(d.b == -128 && d.tiny == 127 && d.small == -32768 && d.medium == -7);
    CHECK(d.large == INT64_C(9007199254740993) && d.lowest == INT64_MIN);
    CHECK(d.real == 2.5 && d.whole == 3.0 && d.tiny_d == 1.5e-7 && d.huge == 2.5e300);
    CHECK(d.greeting && strcmp(d.greeting, "tab\tquote\"backslash\\ newline\n \xc3\xa9 \xe2\x98\x83 ?\?= */ "
                                           "\xf0\x9f\x8e\x89") == 0);
    CHECK(d.empty && d.empty[0] == '\0');
    CHECK(d.has_blob && d.blob.len == 6 && memcmp(d.blob.data, "bytes\n", 6) == 0);
    CHECK(d.color == ev_Color_BLUE && d.sign == ev_Sign_LOWEST && d.paint == ev_Color_RED);
    CHECK(d.names.len == 2 && strcmp(d.names.items[0], "b") == 0);
    CHECK(d.primes.len == 1 && d.primes.items[0] == 2);
    CHECK(d.colors.len == 2 && d.colors.items[0] == ev_Color_BLUE);
    CHECK(d.signs.len == 1 && d.signs.keys[0] == ev_Color_GREEN && d.signs.values[0] == ev_Sign_MINUS);
    CHECK(d.scaled.len == 1 && d.scaled.keys[0] == INT64_C(10000000000) && d.scaled.values[0] == 0.5);
    CHECK(d.deep.len == 2 && d.deep.items[0].len == 1 && d.deep.items[0].values[0].items[0] == 1);
    CHECK(d.has_leaves && d.leaves.len == 0 && d.must == 5);
    CHECK(!d.unset && d.blobs.len == 2 && d.blobs.items[1].len == 0);
    ev_Defaults_free(&d);
    CHECK(!d.has_on && !d.greeting && d.names.len == 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: everything_roundtrip CASEDIR\n");
        return 2;
    }
    check_tables();
    check_default_values();
    run_manifest(argv[1]);
    if (failures) {
        fprintf(stderr, "everything_roundtrip: %d failure(s)\n", failures);
        return 1;
    }
    printf("everything_roundtrip: ok\n");
    return 0;
}
