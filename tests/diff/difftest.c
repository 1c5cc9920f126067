/*
 * difftest: the C half of the differential test against chronon-ai.
 *
 *   difftest gen   --type T --seed S --count N --out DIR
 *   difftest check --type T --seed S --count N --dir DIR
 *
 * gen builds N random objects of struct T (object i from a PRNG seeded with S
 * and i) by walking the reflection table generically, and writes for each
 *   DIR/<i>.c.json     our writer's output (chronon_T_to_json)
 *   DIR/<i>.spec.json  a neutral typed dump of the same object, written with
 *                      jansson (not with our writer), from which
 *                      tests/diff/oracle.py builds the chronon-ai object:
 *                        struct     {"<field id>": value, ...} (set fields only)
 *                        bool       true / false
 *                        byte, i16, i32, enum   JSON integer
 *                        i64        decimal string
 *                        double     "%a" hex float string
 *                        string     hex of the UTF-8 bytes
 *                        binary     hex of the bytes
 *                        list, set  array
 *                        map        array of [key, value] pairs, in order
 * oracle.py serializes each with chronon-ai into DIR/<i>.py.json and compares
 * bytes with <i>.c.json. check then rebuilds the same objects from the seed,
 * parses each <i>.py.json with our reader, requires the result to equal the
 * rebuilt object, and requires our writer to reproduce <i>.py.json byte for
 * byte (from the rebuilt object and from the parsed one).
 *
 * The two sides are independent: the C object is built here without our JSON
 * reader (no tj_init either: IDL defaults are parsed JSON), and Python builds
 * its object from the spec dump, not from our writer's output.
 *
 * What the generator produces, and why:
 *  - Every required field is set. An optional or default-requiredness field is
 *    set with a per-object probability (the "density": 25..100%), except that
 *    a field with an IDL default is always set (possibly to an empty list):
 *    reading JSON that omits it yields the default, so "unset" does not
 *    survive a round trip, in chronon-ai (Query() has setups=[]) as here.
 *  - A union gets exactly one member.
 *  - Recursive types (Source -> JoinSource -> Join -> JoinPart -> GroupBy,
 *    ExternalSource.offlineGroupBy -> GroupBy, TDataType -> DataField ->
 *    TDataType) are bounded: an optional struct is nested only while the depth
 *    is below MAX_DEPTH, the same struct appears at most MAX_SAME times on the
 *    path from the root, and the object's budget of structs and container
 *    elements is not spent.
 *  - Enums take values from their value tables only.
 *  - Integers: the extremes of their width, small values, random bit patterns.
 *    Doubles: zero, -0.0, the smallest subnormal, the smallest normal, the
 *    largest finite, values at repr's fixed/exponent switch (1e16, 1e-5, ...),
 *    short decimals, and random finite bit patterns.
 *  - Strings: ASCII including " \ /, the escapes \b \f \n \r \t, DEL, C1
 *    controls, Latin-1, other 2- and 3-byte code points, CJK, U+2028/U+2029,
 *    BOM, U+FFFF, astral code points (emoji, U+10FFFF), empty and long
 *    strings. No control characters other than \b \f \n \r \t: chronon-ai's
 *    TSimpleJSONProtocol writes them raw, and the json.loads inside its own
 *    thrift_simple_json then rejects the text, so there is no oracle for them.
 *    No NUL either (a C string cannot hold one), and no lone surrogates (not
 *    UTF-8).
 *  - Map keys are unique (json.loads in chronon-ai would merge duplicates).
 *    Set elements of scalar or string type are unique too. (Chronon's IDL has
 *    no sets; oracle.py hands chronon-ai a list so that order is kept.)
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronon_api.h"
#include "tjson.h"

/* ---- small utilities --------------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("difftest: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        die("out of memory");
    return p;
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* Whole file, NUL-terminated; NULL (errno set) if it cannot be read. */
static char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb)
                die("out of memory");
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static bool write_whole_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    return ok;
}

/* ---- PRNG: splitmix64 ---------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Object i of seed s gets its own stream, independent of the other objects. */
static rng rng_for(uint64_t seed, uint64_t index)
{
    rng a = { seed };
    uint64_t k = rng_next(&a);
    rng b = { k ^ (index * UINT64_C(0xD1B54A32D192ED03)) };
    rng_next(&b);
    return b;
}

/* Uniform in [0, n), n > 0. */
static uint32_t rng_below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static bool rng_percent(rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* ---- descriptor helpers ---------------------------------------------------------- */

static void *at(void *obj, size_t offset)
{
    return (char *)obj + offset;
}

static const void *cat(const void *obj, size_t offset)
{
    return (const char *)obj + offset;
}

static bool field_set(const tj_field *f, const void *obj)
{
    if (f->has_offset != TJ_NO_FLAG)
        return *(const bool *)cat(obj, f->has_offset);
    return *(void *const *)cat(obj, f->offset) != NULL;
}

/* Kinds whose values can be told apart by the comparison in same_key(). */
static bool keyable(tj_kind k)
{
    return k != TJ_STRUCT && k != TJ_LIST && k != TJ_SET && k != TJ_MAP;
}

static bool same_key(const tj_type *t, const void *a, const void *b)
{
    switch (t->kind) {
    case TJ_STRING:
        return strcmp(*(char *const *)a, *(char *const *)b) == 0;
    case TJ_BINARY: {
        const tj_binary *x = a, *y = b;
        return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
    }
    default:
        return memcmp(a, b, t->size) == 0;
    }
}

/* Free a key-like value that was generated and then rejected as a duplicate. */
static void free_keyable(const tj_type *t, void *slot)
{
    if (t->kind == TJ_STRING)
        free(*(char **)slot);
    else if (t->kind == TJ_BINARY)
        free(((tj_binary *)slot)->data);
    memset(slot, 0, t->size);
}

/* ---- the generator ------------------------------------------------------------ */

enum {
    MAX_DEPTH = 12,   /* optional structs are nested only below this depth */
    MAX_SAME = 2,     /* a struct appears at most this often on the root path */
    HARD_DEPTH = 64,  /* required fields that recurse deeper: an IDL we cannot fill */
    BUDGET = 160      /* structs + container elements per object */
};

typedef struct gen_ctx {
    rng r;
    unsigned density; /* percent: chance that an optional field is set */
    int budget;
    int depth;
    const tj_struct_desc *path[HARD_DEPTH];
} gen_ctx;

static bool can_nest(const gen_ctx *g, const tj_struct_desc *sd)
{
    if (g->depth >= MAX_DEPTH || g->budget <= 0)
        return false;
    int same = 0;
    for (int i = 0; i < g->depth; i++)
        same += g->path[i] == sd;
    return same < MAX_SAME;
}

static void gen_value(gen_ctx *g, const tj_type *t, void *slot, bool inline_struct);

static void gen_struct(gen_ctx *g, const tj_struct_desc *sd, void *obj);

static void utf8_put(char *out, size_t *n, uint32_t cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Code points, by weight. Controls other than \b \f \n \r \t are left out on
 * purpose (see the comment at the top of the file). */
static const struct cp_range {
    uint32_t lo, hi;
    unsigned weight;
} cp_ranges[] = {
    { 0x20, 0x7E, 48 },       /* printable ASCII, including " \ / */
    { '"', '"', 4 },
    { '\\', '\\', 4 },
    { '/', '/', 2 },
    { '\b', '\b', 1 },
    { '\f', '\f', 1 },
    { '\n', '\n', 2 },
    { '\r', '\r', 1 },
    { '\t', '\t', 2 },
    { 0x7F, 0x7F, 2 },        /* DEL */
    { 0x80, 0x9F, 2 },        /* C1 controls: valid, escaped by json.dumps */
    { 0xA0, 0xFF, 6 },        /* Latin-1 */
    { 0x100, 0x7FF, 3 },      /* the rest of the 2-byte range */
    { 0x800, 0xFFF, 1 },      /* first 3-byte code points */
    { 0x4E00, 0x9FFF, 6 },    /* CJK */
    { 0x2028, 0x2029, 2 },    /* line / paragraph separator */
    { 0xD7FF, 0xD7FF, 1 },    /* just below the surrogates */
    { 0xE000, 0xF8FF, 1 },    /* private use, just above them */
    { 0xFEFF, 0xFEFF, 1 },    /* BOM */
    { 0xFFFD, 0xFFFF, 1 },
    { 0x10000, 0x10000, 1 },  /* first astral */
    { 0x1D11E, 0x1D11E, 1 },  /* musical G clef */
    { 0x1F300, 0x1FAFF, 4 },  /* emoji */
    { 0x10FFFE, 0x10FFFF, 1 } /* last code points */
};

static uint32_t gen_code_point(gen_ctx *g)
{
    unsigned total = 0;
    for (size_t i = 0; i < sizeof cp_ranges / sizeof cp_ranges[0]; i++)
        total += cp_ranges[i].weight;
    unsigned pick = rng_below(&g->r, total);
    for (size_t i = 0; i < sizeof cp_ranges / sizeof cp_ranges[0]; i++) {
        if (pick < cp_ranges[i].weight) {
            const struct cp_range *c = &cp_ranges[i];
            return c->lo + rng_below(&g->r, c->hi - c->lo + 1);
        }
        pick -= cp_ranges[i].weight;
    }
    return 'x';
}

static char *gen_string(gen_ctx *g)
{
    static const char ident[] = "abcdefghijklmnopqrstuvwxyz_0123456789";
    uint32_t roll = rng_below(&g->r, 100), count;
    bool plain = false;
    if (roll < 10)
        count = 0;
    else if (roll < 14)
        count = 40 + rng_below(&g->r, 260);   /* long: past any small buffer */
    else if (roll < 30) {
        count = 1 + rng_below(&g->r, 16);      /* identifier-like, as in real configs */
        plain = true;
    } else
        count = 1 + rng_below(&g->r, 12);
    char *s = xmalloc((size_t)count * 4 + 1);
    size_t n = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (plain)
            s[n++] = ident[rng_below(&g->r, sizeof ident - 1)];
        else
            utf8_put(s, &n, gen_code_point(g));
    }
    s[n] = '\0';
    return s;
}

/* A signed integer of `bits` bits: extremes, small values, random patterns. */
static int64_t gen_int(gen_ctx *g, unsigned bits)
{
    int64_t max = bits == 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (bits - 1)) - 1);
    int64_t min = -max - 1;
    uint32_t roll = rng_below(&g->r, 100);
    if (roll < 35) {
        const int64_t special[] = { min, min + 1, -1, 0, 1, max - 1, max,
                                    (int64_t)1 << 53, ((int64_t)1 << 53) + 1,
                                    -((int64_t)1 << 53) - 1, 1000000007 };
        int64_t v = special[rng_below(&g->r, sizeof special / sizeof special[0])];
        return v < min || v > max ? max : v;
    }
    if (roll < 60)
        return (int64_t)rng_below(&g->r, 201) - 100;
    uint64_t u = rng_next(&g->r);
    if (bits == 64)
        return (int64_t)u;
    /* Sign-extend the low `bits` bits. */
    uint64_t m = UINT64_C(1) << (bits - 1);
    u &= (UINT64_C(1) << bits) - 1;
    return (int64_t)(u ^ m) - (int64_t)m;
}

static double gen_double(gen_ctx *g)
{
    static const double special[] = {
        0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
        1.7976931348623157e308, -1.7976931348623157e308, 1e16, -1e16, 9999999999999998.0,
        1e15, 123456789012345.67, 1e17, 1e22, 1e23, 1e-5, 1e-4, 0.0001, 0.00011, 9.999e-5,
        0.1, 0.2, 0.30000000000000004, 1.0 / 3.0, 2.0 / 3.0, 100.0, 1.0, -1.0, 0.5, 1.5,
        9007199254740992.0, 9007199254740994.0, 4.35, 123.456, 3.141592653589793,
        2.718281828459045, 1e-7, 1.2345678901234567e-300, 6.02214076e23, 0.01, 99.99
    };
    uint32_t roll = rng_below(&g->r, 100);
    if (roll < 40)
        return special[rng_below(&g->r, sizeof special / sizeof special[0])];
    if (roll < 55)   /* short decimals, like sample percentages */
        return (double)((int32_t)rng_below(&g->r, 200001) - 100000) / 1000.0;
    if (roll < 65)   /* integral values */
        return (double)gen_int(g, 64);
    for (;;) {       /* random finite bit patterns */
        uint64_t bits = rng_next(&g->r);
        double d;
        memcpy(&d, &bits, sizeof d);
        if (isfinite(d))
            return d;
    }
}

/* How many elements a container gets. */
static size_t gen_len(gen_ctx *g, const tj_type *elem)
{
    if (g->budget <= 0)
        return 0;
    if (elem->kind == TJ_STRUCT && !can_nest(g, elem->struct_desc))
        return 0;
    uint32_t roll = rng_below(&g->r, 100);
    if (roll < 15)
        return 0;
    if (roll < 45)
        return 1;
    if (roll < 70)
        return 2;
    if (roll < 85)
        return 3;
    return 4 + rng_below(&g->r, 4);
}

static void gen_container(gen_ctx *g, const tj_type *t, void *slot)
{
    if (t->kind == TJ_MAP) {
        tj_map *m = slot;
        size_t n = gen_len(g, t->elem);
        if (!keyable(t->key->kind))
            die("map<%s>: keys of this kind are not supported", t->key->idl_name);
        m->keys = xcalloc(n, t->key->size);
        m->values = xcalloc(n, t->elem->size);
        m->len = 0;
        for (size_t i = 0; i < n; i++) {
            void *k = at(m->keys, m->len * t->key->size);
            bool unique = false;
            for (int attempt = 0; attempt < 8 && !unique; attempt++) {
                gen_value(g, t->key, k, true);
                unique = true;
                for (size_t j = 0; j < m->len && unique; j++)
                    unique = !same_key(t->key, at(m->keys, j * t->key->size), k);
                if (!unique)
                    free_keyable(t->key, k);
            }
            if (!unique)
                continue;
            g->budget--;
            gen_value(g, t->elem, at(m->values, m->len * t->elem->size), true);
            m->len++;
        }
        return;
    }
    tj_list *l = slot;
    size_t n = gen_len(g, t->elem);
    bool dedupe = t->kind == TJ_SET && keyable(t->elem->kind);
    l->items = xcalloc(n, t->elem->size);
    l->len = 0;
    for (size_t i = 0; i < n; i++) {
        void *e = at(l->items, l->len * t->elem->size);
        gen_value(g, t->elem, e, true);
        if (dedupe) {
            bool unique = true;
            for (size_t j = 0; j < l->len && unique; j++)
                unique = !same_key(t->elem, at(l->items, j * t->elem->size), e);
            if (!unique) {
                free_keyable(t->elem, e);
                continue;
            }
        }
        g->budget--;
        l->len++;
    }
}

/* Fill one value of type t at slot (zeroed). A struct is stored inline when
 * inline_struct (container elements), else slot holds a pointer to it. */
static void gen_value(gen_ctx *g, const tj_type *t, void *slot, bool inline_struct)
{
    switch (t->kind) {
    case TJ_BOOL:
        *(bool *)slot = rng_next(&g->r) & 1;
        break;
    case TJ_BYTE: {
        int8_t v = (int8_t)gen_int(g, 8);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TJ_I16: {
        int16_t v = (int16_t)gen_int(g, 16);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TJ_I32: {
        int32_t v = (int32_t)gen_int(g, 32);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TJ_I64: {
        int64_t v = gen_int(g, 64);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TJ_DOUBLE: {
        double v = gen_double(g);
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TJ_ENUM: {
        const tj_enum_desc *ed = t->enum_desc;
        if (ed->count == 0)
            die("enum %s has no values", ed->name);
        int32_t v = ed->values[rng_below(&g->r, (uint32_t)ed->count)].value;
        memcpy(slot, &v, sizeof v);
        break;
    }
    case TJ_STRING:
        *(char **)slot = gen_string(g);
        break;
    case TJ_BINARY: {
        tj_binary *b = slot;
        b->len = rng_below(&g->r, 100) < 15 ? 0 : 1 + rng_below(&g->r, 24);
        b->data = xmalloc(b->len);
        for (size_t i = 0; i < b->len; i++)
            b->data[i] = (uint8_t)rng_next(&g->r);
        break;
    }
    case TJ_STRUCT:
        if (inline_struct) {
            gen_struct(g, t->struct_desc, slot);
        } else {
            void *p = xcalloc(1, t->struct_desc->size);
            gen_struct(g, t->struct_desc, p);
            *(void **)slot = p;
        }
        break;
    case TJ_LIST:
    case TJ_SET:
    case TJ_MAP:
        gen_container(g, t, slot);
        break;
    }
}

static void set_field(gen_ctx *g, const tj_field *f, void *obj)
{
    if (f->has_offset != TJ_NO_FLAG)
        *(bool *)at(obj, f->has_offset) = true;
    gen_value(g, f->type, at(obj, f->offset), false);
}

/* obj is zeroed memory of sd->size bytes: every field unset. */
static void gen_struct(gen_ctx *g, const tj_struct_desc *sd, void *obj)
{
    if (g->depth >= HARD_DEPTH)
        die("struct %s: required fields recurse without end", sd->name);
    g->path[g->depth++] = sd;
    g->budget--;
    if (sd->is_union) {
        if (sd->field_count == 0)
            die("union %s has no members", sd->name);
        /* Exactly one member. Past the nesting limits prefer one that is not
         * a struct, if there is such a member. */
        const tj_field *f = &sd->fields[rng_below(&g->r, (uint32_t)sd->field_count)];
        if (f->type->kind == TJ_STRUCT && !can_nest(g, f->type->struct_desc)) {
            for (size_t i = 0; i < sd->field_count; i++)
                if (sd->fields[i].type->kind != TJ_STRUCT) {
                    f = &sd->fields[i];
                    break;
                }
        }
        set_field(g, f, obj);
    } else {
        for (size_t i = 0; i < sd->field_count; i++) {
            const tj_field *f = &sd->fields[i];
            bool must = f->req == TJ_REQUIRED || f->default_json != NULL;
            if (!must) {
                if (!rng_percent(&g->r, g->density))
                    continue;
                if (f->type->kind == TJ_STRUCT && !can_nest(g, f->type->struct_desc))
                    continue;
            }
            set_field(g, f, obj);
        }
    }
    g->depth--;
}

/* Object `index` of `seed`: a calloc'd struct of sd, owned by the caller
 * (tj_free + free). */
static void *build_object(const tj_struct_desc *sd, uint64_t seed, uint64_t index)
{
    static const unsigned densities[] = { 25, 50, 70, 85, 100 };
    gen_ctx g;
    memset(&g, 0, sizeof g);
    g.r = rng_for(seed, index);
    g.density = densities[rng_below(&g.r, sizeof densities / sizeof densities[0])];
    g.budget = BUDGET;
    void *obj = xcalloc(1, sd->size);
    gen_struct(&g, sd, obj);
    return obj;
}

/* ---- the spec dump (jansson, independent of our writer) --------------------------- */

static json_t *hex_string(const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *h = xmalloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        h[2 * i] = digits[p[i] >> 4];
        h[2 * i + 1] = digits[p[i] & 15];
    }
    h[2 * n] = '\0';
    json_t *j = json_string(h);
    free(h);
    if (!j)
        die("jansson: out of memory");
    return j;
}

static json_t *dump_struct(const tj_struct_desc *sd, const void *obj);

static json_t *must(json_t *j)
{
    if (!j)
        die("jansson: out of memory");
    return j;
}

static json_t *dump_value(const tj_type *t, const void *slot, bool inline_struct)
{
    char text[64];
    switch (t->kind) {
    case TJ_BOOL:
        return must(json_boolean(*(const bool *)slot));
    case TJ_BYTE: {
        int8_t v;
        memcpy(&v, slot, sizeof v);
        return must(json_integer(v));
    }
    case TJ_I16: {
        int16_t v;
        memcpy(&v, slot, sizeof v);
        return must(json_integer(v));
    }
    case TJ_I32:
    case TJ_ENUM: {
        int32_t v;
        memcpy(&v, slot, sizeof v);
        return must(json_integer(v));
    }
    case TJ_I64: {
        int64_t v;
        memcpy(&v, slot, sizeof v);
        snprintf(text, sizeof text, "%" PRId64, v);
        return must(json_string(text));
    }
    case TJ_DOUBLE: {
        double v;
        memcpy(&v, slot, sizeof v);
        snprintf(text, sizeof text, "%a", v);
        return must(json_string(text));
    }
    case TJ_STRING: {
        const char *s = *(char *const *)slot;
        return hex_string((const uint8_t *)s, strlen(s));
    }
    case TJ_BINARY: {
        const tj_binary *b = slot;
        return hex_string(b->data, b->len);
    }
    case TJ_STRUCT:
        return dump_struct(t->struct_desc, inline_struct ? slot : *(void *const *)slot);
    case TJ_LIST:
    case TJ_SET: {
        const tj_list *l = slot;
        json_t *a = must(json_array());
        for (size_t i = 0; i < l->len; i++)
            json_array_append_new(a, dump_value(t->elem, cat(l->items, i * t->elem->size), true));
        return a;
    }
    case TJ_MAP: {
        const tj_map *m = slot;
        json_t *a = must(json_array());
        for (size_t i = 0; i < m->len; i++) {
            json_t *pair = must(json_array());
            json_array_append_new(pair, dump_value(t->key, cat(m->keys, i * t->key->size), true));
            json_array_append_new(pair,
                                  dump_value(t->elem, cat(m->values, i * t->elem->size), true));
            json_array_append_new(a, pair);
        }
        return a;
    }
    }
    die("unknown kind %d", (int)t->kind);
}

static json_t *dump_struct(const tj_struct_desc *sd, const void *obj)
{
    json_t *o = must(json_object());
    for (size_t i = 0; i < sd->field_count; i++) {
        const tj_field *f = &sd->fields[i];
        if (!field_set(f, obj))
            continue;
        char key[16];
        snprintf(key, sizeof key, "%d", (int)f->id);
        json_object_set_new(o, key, dump_value(f->type, cat(obj, f->offset), false));
    }
    return o;
}

/* ---- an independent structural diff, for diagnostics ------------------------------ */

/* Appends to a path buffer, truncating quietly. */
static void path_add(char *path, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void path_add(char *path, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(path);
    if (n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path + n, cap - n, fmt, ap);
    va_end(ap);
}

static bool diff_struct(const tj_struct_desc *sd, const void *a, const void *b, char *path,
                        size_t cap);

/* True if the values differ; path then names the first difference. Doubles
 * compare bit for bit, as tj_equal documents. */
static bool diff_value(const tj_type *t, const void *a, const void *b, bool inline_struct,
                       char *path, size_t cap)
{
    switch (t->kind) {
    case TJ_BOOL:
        if (*(const bool *)a != *(const bool *)b) {
            path_add(path, cap, " (bool %d vs %d)", *(const bool *)a, *(const bool *)b);
            return true;
        }
        return false;
    case TJ_BYTE:
    case TJ_I16:
    case TJ_I32:
    case TJ_I64:
    case TJ_DOUBLE:
    case TJ_ENUM:
        if (memcmp(a, b, t->size) != 0) {
            path_add(path, cap, " (%s differs)", t->idl_name);
            return true;
        }
        return false;
    case TJ_STRING:
        if (strcmp(*(char *const *)a, *(char *const *)b) != 0) {
            path_add(path, cap, " (string differs)");
            return true;
        }
        return false;
    case TJ_BINARY:
        if (!same_key(t, a, b)) {
            path_add(path, cap, " (binary differs)");
            return true;
        }
        return false;
    case TJ_STRUCT: {
        const void *x = inline_struct ? a : *(void *const *)a;
        const void *y = inline_struct ? b : *(void *const *)b;
        return diff_struct(t->struct_desc, x, y, path, cap);
    }
    case TJ_LIST:
    case TJ_SET: {
        const tj_list *x = a, *y = b;
        if (x->len != y->len) {
            path_add(path, cap, " (length %zu vs %zu)", x->len, y->len);
            return true;
        }
        for (size_t i = 0; i < x->len; i++) {
            size_t keep = strlen(path);
            path_add(path, cap, "[%zu]", i);
            if (diff_value(t->elem, cat(x->items, i * t->elem->size),
                           cat(y->items, i * t->elem->size), true, path, cap))
                return true;
            path[keep] = '\0';
        }
        return false;
    }
    case TJ_MAP: {
        const tj_map *x = a, *y = b;
        if (x->len != y->len) {
            path_add(path, cap, " (size %zu vs %zu)", x->len, y->len);
            return true;
        }
        for (size_t i = 0; i < x->len; i++) {
            size_t keep = strlen(path);
            path_add(path, cap, "{key %zu}", i);
            if (diff_value(t->key, cat(x->keys, i * t->key->size),
                           cat(y->keys, i * t->key->size), true, path, cap))
                return true;
            path[keep] = '\0';
            path_add(path, cap, "{value %zu}", i);
            if (diff_value(t->elem, cat(x->values, i * t->elem->size),
                           cat(y->values, i * t->elem->size), true, path, cap))
                return true;
            path[keep] = '\0';
        }
        return false;
    }
    }
    return true;
}

static bool diff_struct(const tj_struct_desc *sd, const void *a, const void *b, char *path,
                        size_t cap)
{
    for (size_t i = 0; i < sd->field_count; i++) {
        const tj_field *f = &sd->fields[i];
        bool sa = field_set(f, a), sb = field_set(f, b);
        size_t keep = strlen(path);
        path_add(path, cap, ".%s", f->name);
        if (sa != sb) {
            path_add(path, cap, " (set in %s only)", sa ? "expected" : "parsed");
            return true;
        }
        if (sa && diff_value(f->type, cat(a, f->offset), cat(b, f->offset), false, path, cap))
            return true;
        path[keep] = '\0';
    }
    return false;
}

/* ---- byte comparison reports ----------------------------------------------------- */

static void print_context(const char *label, const char *s, size_t len, size_t off)
{
    size_t from = off > 40 ? off - 40 : 0, to = off + 40 < len ? off + 40 : len;
    fprintf(stderr, "    %-9s ", label);
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i == off)
            fputs(">>>", stderr);
        if (c == '\n')
            fputs("\\n", stderr);
        else if (c == '\\')
            fputs("\\\\", stderr);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    if (off >= len)
        fputs(">>>(end)", stderr);
    fputc('\n', stderr);
}

/* False (with a report) if the two texts differ. */
static bool same_bytes(size_t index, const char *what, const char *la, const char *a,
                       size_t alen, const char *lb, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen, off = 0;
    while (off < n && a[off] == b[off])
        off++;
    if (off == n && alen == blen)
        return true;
    fprintf(stderr, "#%zu: %s: first difference at byte %zu (lengths %zu and %zu)\n", index,
            what, off, alen, blen);
    print_context(la, a, alen, off);
    print_context(lb, b, blen, off);
    return false;
}

/* ---- root types ------------------------------------------------------------------ */

/* The three Chronon roots go through their typed wrappers (chronon_T_to_json,
 * ..._from_json, ..._equal); any other struct goes through tj_* directly. */
typedef struct root_ops {
    const char *name;
    const tj_struct_desc *desc;
    char *(*to_json)(const tj_struct_desc *, const void *, size_t *, tj_error *);
    tj_status (*from_json)(const tj_struct_desc *, void *, const char *, size_t, unsigned,
                           tj_error *);
    bool (*equal)(const tj_struct_desc *, const void *, const void *);
} root_ops;

#define TYPED_OPS(T)                                                                          \
    static char *T##_to_json_op(const tj_struct_desc *d, const void *x, size_t *n,            \
                                tj_error *e)                                                  \
    {                                                                                         \
        (void)d;                                                                              \
        return chronon_##T##_to_json(x, n, e);                                                \
    }                                                                                         \
    static tj_status T##_from_json_op(const tj_struct_desc *d, void *x, const char *s,        \
                                      size_t n, unsigned fl, tj_error *e)                     \
    {                                                                                         \
        (void)d;                                                                              \
        return chronon_##T##_from_json(x, s, n, fl, e);                                       \
    }                                                                                         \
    static bool T##_equal_op(const tj_struct_desc *d, const void *a, const void *b)           \
    {                                                                                         \
        (void)d;                                                                              \
        return chronon_##T##_equal(a, b);                                                     \
    }

TYPED_OPS(GroupBy)
TYPED_OPS(Join)
TYPED_OPS(StagingQuery)

static char *generic_to_json(const tj_struct_desc *d, const void *x, size_t *n, tj_error *e)
{
    return tj_to_json(d, x, n, e);
}

static tj_status generic_from_json(const tj_struct_desc *d, void *x, const char *s, size_t n,
                                   unsigned fl, tj_error *e)
{
    return tj_from_json(d, x, s, n, fl, e);
}

static bool generic_equal(const tj_struct_desc *d, const void *a, const void *b)
{
    return tj_equal(d, a, b);
}

static root_ops find_root(const char *name)
{
#define ROOT(T) { #T, &chronon_##T##_desc, T##_to_json_op, T##_from_json_op, T##_equal_op }
    const root_ops typed[] = { ROOT(GroupBy), ROOT(Join), ROOT(StagingQuery) };
#undef ROOT
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++)
        if (strcmp(typed[i].name, name) == 0)
            return typed[i];
    const tj_struct_desc *d = chronon_struct_by_name(name);
    if (!d)
        die("no struct named '%s'", name);
    root_ops any = { name, d, generic_to_json, generic_from_json, generic_equal };
    return any;
}

static void free_object(const tj_struct_desc *sd, void *obj)
{
    if (obj) {
        tj_free(sd, obj);
        free(obj);
    }
}

/* ---- commands -------------------------------------------------------------------- */

typedef struct options {
    const char *cmd, *type, *dir;
    uint64_t seed;
    size_t count;
} options;

static int usage(void)
{
    fputs("usage: difftest gen   --type T --seed S --count N --out DIR\n"
          "       difftest check --type T --seed S --count N --dir DIR\n",
          stderr);
    return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return false;
    *out = v;
    return true;
}

static int cmd_gen(const options *o)
{
    root_ops ops = find_root(o->type);
    size_t failed = 0, bytes = 0;
    char path[4096];
    for (size_t i = 0; i < o->count; i++) {
        void *obj = build_object(ops.desc, o->seed, i);
        tj_error err;
        size_t len = 0;
        char *text = ops.to_json(ops.desc, obj, &len, &err);
        if (!text) {
            char msg[1200];
            fprintf(stderr, "#%zu: to_json failed: %s\n", i, tj_error_format(&err, msg, sizeof msg));
            failed++;
        } else {
            snprintf(path, sizeof path, "%s/%zu.c.json", o->dir, i);
            if (!write_whole_file(path, text, len))
                die("cannot write %s: %s", path, strerror(errno));
            bytes += len;
        }
        json_t *spec = dump_struct(ops.desc, obj);
        snprintf(path, sizeof path, "%s/%zu.spec.json", o->dir, i);
        if (json_dump_file(spec, path, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
            die("cannot write %s", path);
        json_decref(spec);
        free(text);
        free_object(ops.desc, obj);
    }
    printf("gen %s seed %" PRIu64 ": %zu objects, %zu bytes of JSON, %zu failed\n", o->type,
           o->seed, o->count, bytes, failed);
    return failed ? 1 : 0;
}

/* One object of check; true if it passes. */
static bool check_one(const root_ops *ops, const options *o, size_t i)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%zu.py.json", o->dir, i);
    size_t plen;
    char *py = read_whole_file(path, &plen);
    if (!py) {
        fprintf(stderr, "#%zu: cannot read %s: %s\n", i, path, strerror(errno));
        return false;
    }
    bool ok = true;
    char msg[1200];
    tj_error err;
    void *expected = build_object(ops->desc, o->seed, i);

    /* Our writer on the rebuilt object must produce chronon-ai's bytes. */
    size_t mlen = 0;
    char *mine = ops->to_json(ops->desc, expected, &mlen, &err);
    if (!mine) {
        fprintf(stderr, "#%zu: to_json(rebuilt) failed: %s\n", i, tj_error_format(&err, msg, sizeof msg));
        ok = false;
    } else {
        ok = same_bytes(i, "writer(rebuilt) vs chronon-ai", "ours", mine, mlen, "chronon-ai", py,
                        plen) && ok;
    }

    /* Our reader on chronon-ai's bytes must give back the same object... */
    void *parsed = xcalloc(1, ops->desc->size);
    if (ops->from_json(ops->desc, parsed, py, plen, TJ_READ_STRICT, &err) != TJ_OK) {
        fprintf(stderr, "#%zu: from_json(%s) failed: %s\n", i, path,
                tj_error_format(&err, msg, sizeof msg));
        ok = false;
    } else {
        char where[1024] = "$";
        bool differs = diff_struct(ops->desc, expected, parsed, where, sizeof where);
        bool equal = ops->equal(ops->desc, expected, parsed);
        if (!equal || differs) {
            fprintf(stderr, "#%zu: parsed chronon-ai JSON %s the original: %s\n", i,
                    equal ? "is tj_equal to, yet differs from," : "is not equal to",
                    differs ? where : "(no differing field found by difftest)");
            ok = false;
        }
        /* ...which our writer turns back into the same bytes. */
        size_t rlen = 0;
        char *again = ops->to_json(ops->desc, parsed, &rlen, &err);
        if (!again) {
            fprintf(stderr, "#%zu: to_json(parsed) failed: %s\n", i,
                    tj_error_format(&err, msg, sizeof msg));
            ok = false;
        } else {
            ok = same_bytes(i, "writer(parsed) vs chronon-ai", "ours", again, rlen, "chronon-ai",
                            py, plen) && ok;
        }
        free(again);
    }
    free(mine);
    free_object(ops->desc, parsed);
    free_object(ops->desc, expected);
    free(py);
    return ok;
}

static int cmd_check(const options *o)
{
    root_ops ops = find_root(o->type);
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < o->count; i++) {
        if (check_one(&ops, o, i))
            passed++;
        else
            failed++;
    }
    printf("check %s seed %" PRIu64 ": %zu passed, %zu failed\n", o->type, o->seed, passed,
           failed);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    options o = { argv[1], NULL, NULL, 0, 0 };
    bool gen = strcmp(o.cmd, "gen") == 0, check = strcmp(o.cmd, "check") == 0;
    bool have_seed = false, have_count = false;
    if (!gen && !check)
        return usage();
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val)
            return usage();
        uint64_t n;
        if (strcmp(opt, "--type") == 0)
            o.type = val;
        else if (strcmp(opt, gen ? "--out" : "--dir") == 0)
            o.dir = val;
        else if (strcmp(opt, "--seed") == 0 && parse_u64(val, &o.seed))
            have_seed = true;
        else if (strcmp(opt, "--count") == 0 && parse_u64(val, &n) && n <= SIZE_MAX) {
            o.count = (size_t)n;
            have_count = true;
        } else
            return usage();
        i++;
    }
    if (!o.type || !o.dir || !have_seed || !have_count)
        return usage();
    return gen ? cmd_gen(&o) : cmd_check(&o);
}
