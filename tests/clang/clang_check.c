/*
 * clang_check: check a generated header against its IDL with libclang.
 *
 *   clang_check IDL HEADER --prefix P [-I DIR]...
 *
 * Loads IDL through Thrift's JSON generator (idl_load), parses HEADER as C11
 * with libclang and confirms that the header declares what docs/generated-c.md
 * promises for every IDL struct, union, field, enum constant and container:
 * names, C types (as spelled), has_ flags, the per-struct functions and the
 * reflection objects.
 *
 * The IDL -> C type mapping is stated here on its own, from the document, and
 * not taken from the generator: this program is a check of the generator.
 * Three rules the document does not (yet) state are taken from what
 * tests/codegen/everything.thrift and templates/types.h.tmpl say: a field or
 * type name that is a C keyword gets a trailing underscore (has_ flag
 * included: has_auto_), (c.key_enum = "E") makes i32 map keys enum E, and an
 * IDL struct without fields is a C struct with the one member `char unused_`.
 *
 * Prints one line per problem ("clang_check: WHERE: WHAT"), then a summary;
 * exits 0 when there is no problem, 1 when there is one, 2 on a usage or
 * loading error.
 */
#include <clang-c/Index.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_thrift.h"

/* ---- Small utilities -------------------------------------------------------- */

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "clang_check: out of memory\n");
        exit(2);
    }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "clang_check: out of memory\n");
        exit(2);
    }
    return q;
}

/* Every string made here lives until the end of main: they are kept in one
 * pool and freed together. */
static char **pool;
static size_t pool_len, pool_cap;

static char *keep(char *s)
{
    if (pool_len == pool_cap) {
        pool_cap = pool_cap ? pool_cap * 2 : 256;
        pool = xrealloc(pool, pool_cap * sizeof *pool);
    }
    pool[pool_len++] = s;
    return s;
}

static void pool_free(void)
{
    for (size_t i = 0; i < pool_len; i++)
        free(pool[i]);
    free(pool);
    pool = NULL;
    pool_len = pool_cap = 0;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0) {
        fprintf(stderr, "clang_check: bad format\n");
        exit(2);
    }
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return keep(s);
}

/* A CXString as a pooled C string; the CXString is disposed. */
static char *take(CXString cx)
{
    const char *c = clang_getCString(cx);
    char *s = fmt("%s", c ? c : "");
    clang_disposeString(cx);
    return s;
}

static bool is_ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The spelling of a type as clang prints it, with `_Bool` (what the `bool`
 * macro of <stdbool.h> expands to) written back as `bool`. */
static char *type_str(CXType t)
{
    char *s = take(clang_getTypeSpelling(t));
    char *out = xmalloc(strlen(s) + 1);
    size_t o = 0;
    for (size_t i = 0; s[i];) {
        if (strncmp(s + i, "_Bool", 5) == 0 && (i == 0 || !is_ident_char(s[i - 1])) &&
            !is_ident_char(s[i + 5])) {
            memcpy(out + o, "bool", 4);
            o += 4;
            i += 5;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return keep(out);
}

static int problems;

static void problem(const char *where, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void problem(const char *where, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    printf("clang_check: %s: ", where);
    vprintf(f, ap);
    printf("\n");
    va_end(ap);
    problems++;
}

/* ---- What the header declares (top level of the main file) ------------------ */

typedef struct decl {
    enum CXCursorKind kind;
    const char *name;
    CXCursor cursor;
} decl;

static decl *decls;
static size_t decl_len, decl_cap;

static enum CXChildVisitResult collect_top(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    (void)data;
    if (!clang_Location_isFromMainFile(clang_getCursorLocation(c)))
        return CXChildVisit_Continue;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k != CXCursor_TypedefDecl && k != CXCursor_StructDecl && k != CXCursor_UnionDecl &&
        k != CXCursor_EnumDecl && k != CXCursor_FunctionDecl && k != CXCursor_VarDecl)
        return CXChildVisit_Continue;
    if (decl_len == decl_cap) {
        decl_cap = decl_cap ? decl_cap * 2 : 256;
        decls = xrealloc(decls, decl_cap * sizeof *decls);
    }
    decls[decl_len].kind = k;
    decls[decl_len].name = take(clang_getCursorSpelling(c));
    decls[decl_len].cursor = c;
    decl_len++;
    return CXChildVisit_Continue;
}

/* The first top-level declaration of that kind and name; for a struct, union
 * or enum, its definition if the header has one. */
static const decl *find_decl(enum CXCursorKind kind, const char *name)
{
    const decl *first = NULL;
    for (size_t i = 0; i < decl_len; i++) {
        if (decls[i].kind != kind || strcmp(decls[i].name, name) != 0)
            continue;
        if (kind != CXCursor_StructDecl && kind != CXCursor_UnionDecl && kind != CXCursor_EnumDecl)
            return &decls[i];
        if (clang_isCursorDefinition(decls[i].cursor))
            return &decls[i];
        if (!first)
            first = &decls[i];
    }
    return first;
}

/* The members of a struct definition, in order. */
typedef struct member {
    const char *name;
    const char *type;
    bool used;
} member;

typedef struct members {
    member *v;
    size_t len, cap;
} members;

static enum CXChildVisitResult collect_member(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    members *m = data;
    if (clang_getCursorKind(c) != CXCursor_FieldDecl)
        return CXChildVisit_Continue;
    if (m->len == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = xrealloc(m->v, m->cap * sizeof *m->v);
    }
    const char *name = take(clang_getCursorSpelling(c));
    m->v[m->len].name = name[0] ? name : "(anonymous)";
    m->v[m->len].type = type_str(clang_getCursorType(c));
    m->v[m->len].used = false;
    m->len++;
    return CXChildVisit_Continue;
}

/* ---- The mapping IDL -> C, from docs/generated-c.md ------------------------- */

static const char *prefix;

/* A C spelling for an IDL name: a name that cannot be an identifier in C gets
 * a trailing underscore ("auto" -> "auto_"). That is a C11 keyword, a C23
 * keyword (so the header survives a newer -std) or a macro of the standard
 * headers the runtime includes (<stdbool.h>, <stddef.h>). */
static const char *const c_reserved[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
    "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
    "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
    "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
    "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary",
    "_Noreturn", "_Static_assert", "_Thread_local",
    "alignas", "alignof", "bool", "constexpr", "false", "nullptr", "static_assert",
    "thread_local", "true", "typeof", "typeof_unqual",
    "NULL", "offsetof",
};

static const char *c_name(const char *idl_name)
{
    for (size_t i = 0; i < sizeof c_reserved / sizeof c_reserved[0]; i++)
        if (strcmp(idl_name, c_reserved[i]) == 0)
            return fmt("%s_", idl_name);
    return idl_name;
}

/* The C name of an IDL struct, union or enum: prefixed, then made an
 * identifier (which matters only with an empty prefix). */
static const char *type_name(const char *idl_name)
{
    return c_name(fmt("%s%s", prefix, idl_name));
}

/* One IDL type as Thrift's JSON generator writes it: a typeId and, for
 * containers and structs, a type object. `enum_name` is the enum an i32 at
 * this position stands for, from the field's (c.enum = "E") annotation, or
 * for a map key from (c.key_enum = "E"); `key_enum` is the latter, carried to
 * the map keys inside. */
typedef struct idl_type {
    const char *id;
    json_t *type;
    const char *enum_name;
    const char *key_enum;
} idl_type;

/* A container the header must define. */
typedef struct container {
    const char *name;      /* full C name, e.g. chronon_map_string_list_string */
    const char *idl;       /* IDL spelling, for messages */
    bool is_map;
    const char *key_ptr;   /* expected type of `keys` (maps) */
    const char *elem_ptr;  /* expected type of `items` / `values` */
} container;

static container *containers;
static size_t container_len, container_cap;

static const char *struct_class(json_t *type)
{
    const char *cls = json_string_value(json_object_get(type, "class"));
    if (!cls)
        return NULL;
    const char *dot = strrchr(cls, '.'); /* "module.Name" for included IDLs */
    return dot ? dot + 1 : cls;
}

static bool is_struct_id(const char *id)
{
    return strcmp(id, "struct") == 0 || strcmp(id, "union") == 0 ||
           strcmp(id, "exception") == 0;
}

static idl_type sub_type(json_t *type, const char *which, const char *enum_name,
                         const char *key_enum)
{
    idl_type t;
    t.id = json_string_value(json_object_get(type, fmt("%sTypeId", which)));
    t.type = json_object_get(type, fmt("%sType", which));
    t.enum_name = enum_name;
    t.key_enum = key_enum;
    if (!t.id)
        t.id = "?";
    return t;
}

/* (c.enum = "E") applies to an i32 field, to the elements of a list or set
 * field and to the values of a map field, and on down through nested elements
 * and values; never to map keys. (c.key_enum = "E") applies to the keys of the
 * maps met on that same path (a key itself is never a container). */
static idl_type elem_of(idl_type t) { return sub_type(t.type, "elem", t.enum_name, t.key_enum); }
static idl_type key_of(idl_type t) { return sub_type(t.type, "key", t.key_enum, NULL); }
static idl_type value_of(idl_type t) { return sub_type(t.type, "value", t.enum_name, t.key_enum); }

static bool is_i32_enum(idl_type t) { return strcmp(t.id, "i32") == 0 && t.enum_name; }

/* The name of a type inside a container name: "string", "Window",
 * "map_string_list_string" (no prefix). */
static const char *frag(idl_type t)
{
    if (is_i32_enum(t))
        return t.enum_name;
    if (strcmp(t.id, "i8") == 0 || strcmp(t.id, "byte") == 0)
        return "byte";
    if (is_struct_id(t.id)) {
        const char *cls = struct_class(t.type);
        return cls ? cls : "?";
    }
    if (strcmp(t.id, "list") == 0 || strcmp(t.id, "set") == 0)
        return fmt("%s_%s", t.id, frag(elem_of(t)));
    if (strcmp(t.id, "map") == 0)
        return fmt("map_%s_%s", frag(key_of(t)), frag(value_of(t)));
    return t.id; /* bool, i16, i32, i64, double, string, binary */
}

/* The IDL spelling of a type, for messages: "map<string,list<string>>". */
static const char *idl_str(idl_type t)
{
    if (is_i32_enum(t))
        return fmt("i32 (c.enum %s)", t.enum_name);
    if (is_struct_id(t.id)) {
        const char *cls = struct_class(t.type);
        return cls ? cls : "?";
    }
    if (strcmp(t.id, "list") == 0 || strcmp(t.id, "set") == 0)
        return fmt("%s<%s>", t.id, idl_str(elem_of(t)));
    if (strcmp(t.id, "map") == 0)
        return fmt("map<%s,%s>", idl_str(key_of(t)), idl_str(value_of(t)));
    return t.id;
}

static const char *pointer_to(const char *t)
{
    size_t n = strlen(t);
    return n && t[n - 1] == '*' ? fmt("%s*", t) : fmt("%s *", t);
}

static const char *c_type(idl_type t, bool in_container);

static void note_container(idl_type t, const char *name)
{
    for (size_t i = 0; i < container_len; i++)
        if (strcmp(containers[i].name, name) == 0)
            return;
    container c;
    c.name = name;
    c.idl = idl_str(t);
    c.is_map = strcmp(t.id, "map") == 0;
    if (c.is_map) {
        c.key_ptr = pointer_to(c_type(key_of(t), true));
        c.elem_ptr = pointer_to(c_type(value_of(t), true));
    } else {
        c.key_ptr = NULL;
        c.elem_ptr = pointer_to(c_type(elem_of(t), true));
    }
    if (container_len == container_cap) {
        container_cap = container_cap ? container_cap * 2 : 32;
        containers = xrealloc(containers, container_cap * sizeof *containers);
    }
    containers[container_len++] = c;
}

/* The C type of a value of IDL type t: in a struct field, or stored in a
 * container (where a struct is inline, not a pointer). Containers met on the
 * way are noted, nested ones included. */
static const char *c_type(idl_type t, bool in_container)
{
    if (is_i32_enum(t))
        return type_name(t.enum_name);
    if (strcmp(t.id, "bool") == 0)
        return "bool";
    if (strcmp(t.id, "i8") == 0 || strcmp(t.id, "byte") == 0)
        return "int8_t";
    if (strcmp(t.id, "i16") == 0)
        return "int16_t";
    if (strcmp(t.id, "i32") == 0)
        return "int32_t";
    if (strcmp(t.id, "i64") == 0)
        return "int64_t";
    if (strcmp(t.id, "double") == 0)
        return "double";
    if (strcmp(t.id, "string") == 0)
        return "char *";
    if (strcmp(t.id, "binary") == 0)
        return "tj_binary";
    if (is_struct_id(t.id)) {
        const char *cls = struct_class(t.type);
        const char *name = type_name(cls ? cls : "?");
        return in_container ? name : fmt("%s *", name);
    }
    if (strcmp(t.id, "list") == 0 || strcmp(t.id, "set") == 0 || strcmp(t.id, "map") == 0) {
        const char *name = fmt("%s%s", prefix, frag(t));
        note_container(t, name);
        return name;
    }
    return fmt("(unknown IDL type %s)", t.id);
}

/* ---- Checks ------------------------------------------------------------------ */

static size_t n_structs, n_fields, n_enums, n_constants, n_containers, n_functions, n_objects;

/* A typedef `name` whose canonical type is the record/enum declared by
 * `target` (a definition cursor). */
static void check_typedef_to(const char *name, CXCursor target, const char *what)
{
    const decl *td = find_decl(CXCursor_TypedefDecl, name);
    if (!td) {
        problem(name, "missing typedef (typedef %s %s %s;)", what, name, name);
        return;
    }
    CXType under = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(td->cursor));
    CXType want = clang_getCanonicalType(clang_getCursorType(target));
    if (!clang_equalTypes(under, want))
        problem(name, "typedef names %s, expected %s %s", type_str(under), what, name);
}

/* The definition of the record behind typedef `name`, or a null cursor (and
 * a problem reported). Used for containers (IDL spelling `idl`), whose struct
 * may be anonymous. */
static CXCursor typedef_record(const char *name, const char *idl)
{
    const decl *td = find_decl(CXCursor_TypedefDecl, name);
    if (!td) {
        problem(name, "missing container typedef (for %s)", idl);
        return clang_getNullCursor();
    }
    CXType under = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(td->cursor));
    CXCursor rec = clang_getTypeDeclaration(under);
    if (under.kind != CXType_Record || clang_getCursorKind(rec) != CXCursor_StructDecl) {
        problem(name, "typedef names %s, expected a struct", type_str(under));
        return clang_getNullCursor();
    }
    CXCursor def = clang_getCursorDefinition(rec);
    if (clang_Cursor_isNull(def)) {
        problem(name, "struct is declared but never defined");
        return clang_getNullCursor();
    }
    return def;
}

static void members_free(members *m)
{
    free(m->v);
    m->v = NULL;
    m->len = m->cap = 0;
}

static size_t member_index(const members *m, const char *name)
{
    for (size_t i = 0; i < m->len; i++)
        if (strcmp(m->v[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

/* An expected member: its name and C type. */
typedef struct want_member {
    const char *name;
    const char *type;
    const char *flag_of; /* for a has_ flag: the field it flags */
} want_member;

/* Compare a struct's members with what is wanted: each present with its type,
 * in order, has_ flags right before their fields, nothing else. */
static void check_members(const char *owner, CXCursor def, const want_member *want, size_t n)
{
    members m = {0};
    clang_visitChildren(def, collect_member, &m);
    size_t last = 0;
    bool have_last = false;
    for (size_t i = 0; i < n; i++) {
        const char *where = fmt("%s.%s", owner, want[i].name);
        size_t at = member_index(&m, want[i].name);
        if (at == (size_t)-1) {
            if (want[i].flag_of)
                problem(where, "missing has_ flag (bool %s) before field %s", want[i].name,
                        want[i].flag_of);
            else
                problem(where, "missing member (expected %s %s)", want[i].type, want[i].name);
            continue;
        }
        m.v[at].used = true;
        if (strcmp(m.v[at].type, want[i].type) != 0)
            problem(where, "expected type %s, found %s", want[i].type, m.v[at].type);
        if (have_last && at < last)
            problem(where, "out of order: expected after %s", m.v[last].name);
        if (want[i].flag_of) {
            size_t field_at = member_index(&m, want[i].flag_of);
            if (field_at != (size_t)-1 && field_at != at + 1)
                problem(where, "not immediately before %s", want[i].flag_of);
        }
        last = at;
        have_last = true;
    }
    for (size_t i = 0; i < m.len; i++)
        if (!m.v[i].used)
            problem(fmt("%s.%s", owner, m.v[i].name), "unexpected member of type %s",
                    m.v[i].type);
    members_free(&m);
}

static int cmp_field_key(const void *a, const void *b)
{
    json_int_t ka = json_integer_value(json_object_get(*(json_t *const *)a, "key"));
    json_int_t kb = json_integer_value(json_object_get(*(json_t *const *)b, "key"));
    return ka < kb ? -1 : ka > kb;
}

static void check_struct(json_t *st)
{
    const char *idl_name = json_string_value(json_object_get(st, "name"));
    if (!idl_name)
        return;
    const char *name = type_name(idl_name);
    n_structs++;

    json_t *fields = json_object_get(st, "fields");
    size_t nf = json_array_size(fields);
    json_t **sorted = xmalloc(nf * sizeof *sorted);
    for (size_t i = 0; i < nf; i++)
        sorted[i] = json_array_get(fields, i);
    qsort(sorted, nf, sizeof *sorted, cmp_field_key);

    want_member *want = xmalloc((2 * nf + 1) * sizeof *want);
    size_t n = 0;
    for (size_t i = 0; i < nf; i++) {
        json_t *f = sorted[i];
        const char *fname = json_string_value(json_object_get(f, "name"));
        idl_type t;
        t.id = json_string_value(json_object_get(f, "typeId"));
        t.type = json_object_get(f, "type");
        json_t *annotations = json_object_get(f, "annotations");
        t.enum_name = json_string_value(json_object_get(annotations, "c.enum"));
        t.key_enum = json_string_value(json_object_get(annotations, "c.key_enum"));
        if (!fname || !t.id)
            continue;
        n_fields++;
        fname = c_name(fname);
        const char *ct = c_type(t, false);
        size_t len = strlen(ct);
        if (!(len && ct[len - 1] == '*')) {
            want[n].name = fmt("has_%s", fname);
            want[n].type = "bool";
            want[n].flag_of = fname;
            n++;
        }
        want[n].name = fname;
        want[n].type = ct;
        want[n].flag_of = NULL;
        n++;
    }
    free(sorted);
    if (n == 0) {
        /* C has no empty structs: an IDL struct without fields gets one
         * placeholder member. */
        want[n].name = "unused_";
        want[n].type = "char";
        want[n].flag_of = NULL;
        n++;
    }

    const decl *d = find_decl(CXCursor_StructDecl, name);
    if (!d || !clang_isCursorDefinition(d->cursor)) {
        if (find_decl(CXCursor_UnionDecl, name))
            problem(name, "declared as a C union, expected struct %s", name);
        else
            problem(name, "missing struct definition (struct %s { ... })", name);
        if (!find_decl(CXCursor_TypedefDecl, name))
            problem(name, "missing typedef (typedef struct %s %s;)", name, name);
    } else {
        check_typedef_to(name, d->cursor, "struct");
        check_members(name, d->cursor, want, n);
    }
    free(want);
}

static void check_container(const container *c)
{
    n_containers++;
    CXCursor def = typedef_record(c->name, c->idl);
    if (clang_Cursor_isNull(def))
        return;
    want_member want[3];
    size_t n = 0;
    if (c->is_map) {
        want[n++] = (want_member){"keys", c->key_ptr, NULL};
        want[n++] = (want_member){"values", c->elem_ptr, NULL};
    } else {
        want[n++] = (want_member){"items", c->elem_ptr, NULL};
    }
    want[n++] = (want_member){"len", "size_t", NULL};
    check_members(c->name, def, want, n);
}

typedef struct enum_const {
    const char *name;
    long long value;
    bool used;
} enum_const;

typedef struct enum_consts {
    enum_const *v;
    size_t len, cap;
} enum_consts;

static enum CXChildVisitResult collect_const(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    enum_consts *e = data;
    if (clang_getCursorKind(c) != CXCursor_EnumConstantDecl)
        return CXChildVisit_Continue;
    if (e->len == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 16;
        e->v = xrealloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->len].name = take(clang_getCursorSpelling(c));
    e->v[e->len].value = clang_getEnumConstantDeclValue(c);
    e->v[e->len].used = false;
    e->len++;
    return CXChildVisit_Continue;
}

static void check_enum(json_t *en)
{
    const char *idl_name = json_string_value(json_object_get(en, "name"));
    if (!idl_name)
        return;
    const char *name = type_name(idl_name);
    n_enums++;
    const decl *d = find_decl(CXCursor_EnumDecl, name);
    json_t *mem = json_object_get(en, "members");
    if (!d || !clang_isCursorDefinition(d->cursor)) {
        problem(name, "missing enum definition (enum %s { ... })", name);
        n_constants += json_array_size(mem);
        return;
    }
    check_typedef_to(name, d->cursor, "enum");

    enum_consts have = {0};
    clang_visitChildren(d->cursor, collect_const, &have);
    for (size_t i = 0; i < json_array_size(mem); i++) {
        json_t *m = json_array_get(mem, i);
        const char *mname = json_string_value(json_object_get(m, "name"));
        json_int_t value = json_integer_value(json_object_get(m, "value"));
        if (!mname)
            continue;
        n_constants++;
        const char *cname = fmt("%s_%s", name, mname);
        size_t j = 0;
        while (j < have.len && strcmp(have.v[j].name, cname) != 0)
            j++;
        if (j == have.len) {
            problem(cname, "missing enum constant (expected %s = %lld)", cname,
                    (long long)value);
            continue;
        }
        have.v[j].used = true;
        if (have.v[j].value != (long long)value)
            problem(cname, "expected value %lld, found %lld", (long long)value, have.v[j].value);
    }
    for (size_t j = 0; j < have.len; j++)
        if (!have.v[j].used)
            problem(have.v[j].name, "unexpected constant in enum %s (value %lld)", name,
                    have.v[j].value);
    free(have.v);
}

/* A function declared with this result and these parameter types. */
static void check_function(const char *name, const char *result, const char *const *params,
                           size_t nparams)
{
    n_functions++;
    const decl *d = find_decl(CXCursor_FunctionDecl, name);
    if (!d) {
        problem(name, "missing function declaration");
        return;
    }
    const char *res = type_str(clang_getCursorResultType(d->cursor));
    if (strcmp(res, result) != 0)
        problem(name, "result: expected type %s, found %s", result, res);
    CXType ft = clang_getCursorType(d->cursor);
    if (ft.kind != CXType_FunctionProto) {
        problem(name, "declared without a prototype");
        return;
    }
    if (clang_isFunctionTypeVariadic(ft))
        problem(name, "declared variadic");
    int nargs = clang_Cursor_getNumArguments(d->cursor);
    if (nargs < 0 || (size_t)nargs != nparams) {
        problem(name, "expected %zu parameters, found %d", nparams, nargs);
        return;
    }
    for (size_t i = 0; i < nparams; i++) {
        const char *pt = type_str(clang_getCursorType(clang_Cursor_getArgument(d->cursor, (unsigned)i)));
        if (strcmp(pt, params[i]) != 0)
            problem(name, "parameter %zu: expected type %s, found %s", i + 1, params[i], pt);
    }
}

/* An `extern` object of this type (not defined in the header). */
static void check_object(const char *name, const char *type)
{
    n_objects++;
    const decl *d = find_decl(CXCursor_VarDecl, name);
    if (!d) {
        problem(name, "missing declaration (extern %s %s)", type, name);
        return;
    }
    if (clang_Cursor_getStorageClass(d->cursor) != CX_SC_Extern)
        problem(name, "not declared extern");
    const char *t = type_str(clang_getCursorType(d->cursor));
    if (strcmp(t, type) != 0)
        problem(name, "expected type %s, found %s", type, t);
}

static void check_struct_api(json_t *st)
{
    const char *idl_name = json_string_value(json_object_get(st, "name"));
    if (!idl_name)
        return;
    const char *s = type_name(idl_name);
    const char *ptr = fmt("%s *", s), *cptr = fmt("const %s *", s);

    const char *init[] = {ptr};
    check_function(fmt("%s_init", s), "tj_status", init, 1);
    const char *free_[] = {ptr};
    check_function(fmt("%s_free", s), "void", free_, 1);
    const char *copy[] = {ptr, cptr};
    check_function(fmt("%s_copy", s), "tj_status", copy, 2);
    const char *equal[] = {cptr, cptr};
    check_function(fmt("%s_equal", s), "bool", equal, 2);
    const char *to_json[] = {cptr, "size_t *", "tj_error *"};
    check_function(fmt("%s_to_json", s), "char *", to_json, 3);
    const char *from_json[] = {ptr, "const char *", "size_t", "unsigned int", "tj_error *"};
    check_function(fmt("%s_from_json", s), "tj_status", from_json, 5);

    check_object(fmt("%s_desc", s), "const tj_struct_desc");
    check_object(fmt("%s_type", s), "const tj_type");
}

/* ---- Parsing the header ------------------------------------------------------ */

/* Print the diagnostics; the number of errors (and fatal errors). */
static unsigned report_diagnostics(CXTranslationUnit tu)
{
    unsigned errors = 0, n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Warning) {
            char *text = take(clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions()));
            printf("clang_check: %s\n", text);
        }
        if (sev >= CXDiagnostic_Error)
            errors++;
        clang_disposeDiagnostic(d);
    }
    return errors;
}

static void usage(void)
{
    fprintf(stderr, "usage: clang_check IDL HEADER --prefix P [-I DIR]...\n");
}

int main(int argc, char **argv)
{
    const char *idl_path = NULL, *header = NULL;
    const char **clang_args = xmalloc(((size_t)argc * 2 + 8) * sizeof *clang_args);
    int nargs = 0;
    clang_args[nargs++] = "-x";
    clang_args[nargs++] = "c-header";
    clang_args[nargs++] = "-std=c11";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--prefix") == 0 && i + 1 < argc) {
            prefix = argv[++i];
        } else if (strcmp(argv[i], "-I") == 0 && i + 1 < argc) {
            clang_args[nargs++] = "-I";
            clang_args[nargs++] = argv[++i];
        } else if (strncmp(argv[i], "-I", 2) == 0 && argv[i][2]) {
            clang_args[nargs++] = argv[i];
        } else if (argv[i][0] == '-') {
            usage();
            free(clang_args);
            return 2;
        } else if (!idl_path) {
            idl_path = argv[i];
        } else if (!header) {
            header = argv[i];
        } else {
            usage();
            free(clang_args);
            return 2;
        }
    }
    if (!idl_path || !header || !prefix) {
        usage();
        free(clang_args);
        return 2;
    }

    FILE *probe = fopen(header, "r");
    if (!probe) {
        fprintf(stderr, "clang_check: %s: %s\n", header, strerror(errno));
        free(clang_args);
        return 2;
    }
    fclose(probe);

    char err[1024] = "";
    json_t *idl = idl_load(idl_path, err, sizeof err);
    if (!idl) {
        fprintf(stderr, "clang_check: %s: %s\n", idl_path, err[0] ? err : "cannot load IDL");
        free(clang_args);
        return 2;
    }

    CXIndex index = clang_createIndex(0, 0);
    CXTranslationUnit tu = NULL;
    enum CXErrorCode ec = clang_parseTranslationUnit2(index, header, clang_args, nargs, NULL, 0,
                                                      CXTranslationUnit_None, &tu);
    free(clang_args);
    int status = 0;
    if (ec != CXError_Success || !tu) {
        fprintf(stderr, "clang_check: %s: libclang could not parse it (error %d)\n", header,
                (int)ec);
        status = 2;
        goto out;
    }
    unsigned errors = report_diagnostics(tu);
    if (errors) {
        printf("clang_check: %s: %u error diagnostic%s; the header does not compile\n", header,
               errors, errors == 1 ? "" : "s");
        status = 1;
        goto out;
    }

    clang_visitChildren(clang_getTranslationUnitCursor(tu), collect_top, NULL);

    json_t *structs = json_object_get(idl, "structs");
    json_t *enums = json_object_get(idl, "enums");
    for (size_t i = 0; i < json_array_size(enums); i++)
        check_enum(json_array_get(enums, i));
    for (size_t i = 0; i < json_array_size(structs); i++)
        check_struct(json_array_get(structs, i));
    for (size_t i = 0; i < container_len; i++)
        check_container(&containers[i]);
    for (size_t i = 0; i < json_array_size(structs); i++)
        check_struct_api(json_array_get(structs, i));
    for (size_t i = 0; i < json_array_size(enums); i++) {
        const char *idl_name = json_string_value(json_object_get(json_array_get(enums, i), "name"));
        if (!idl_name)
            continue;
        const char *e = type_name(idl_name);
        check_object(fmt("%s_desc", e), "const tj_enum_desc");
        check_object(fmt("%s_type", e), "const tj_type");
    }
    for (size_t i = 0; i < container_len; i++)
        check_object(fmt("%s_type", containers[i].name), "const tj_type");
    check_object(fmt("%sstructs", prefix), "const tj_struct_desc *const[]");
    check_object(fmt("%sstruct_count", prefix), "const size_t");
    check_object(fmt("%senums", prefix), "const tj_enum_desc *const[]");
    check_object(fmt("%senum_count", prefix), "const size_t");
    const char *by_name[] = {"const char *"};
    check_function(fmt("%sstruct_by_name", prefix), "const tj_struct_desc *", by_name, 1);

    printf("clang_check: %s: checked %zu structs, %zu fields, %zu containers, %zu enums, "
           "%zu enum constants, %zu functions, %zu objects: %d problem%s\n",
           header, n_structs, n_fields, n_containers, n_enums, n_constants, n_functions,
           n_objects, problems, problems == 1 ? "" : "s");
    status = problems ? 1 : 0;

out:
    if (tu)
        clang_disposeTranslationUnit(tu);
    clang_disposeIndex(index);
    json_decref(idl);
    free(decls);
    free(containers);
    pool_free();
    return status;
}
