/* chrononc import FILE...: production JSON configs back to definition files
 * that compile to the same bytes -- the migration path for repos whose
 * Python goes beyond the definition language.
 *
 * Each config becomes `<var> = ttypes.<Type>(field=..., ...)` in the module
 * its name implies: "team.path.module.var" -> <kind>/team/path/module.py,
 * "team.var" -> <kind>/team.py. compile then derives the same name, and every
 * field is spelled out, so teams.json defaults leave them alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_write.h"
#include "make_dirs.h"
#include "chronon_api.h"
#include "commands.h"
#include "pyjson.h"
#include "read_file.h"
#include "tj_buf.h"

static const char *const py_keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
};

static bool is_identifier(const char *s, size_t n)
{
    if (n == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    for (size_t i = 0; i < sizeof py_keywords / sizeof py_keywords[0]; i++)
        if (strlen(py_keywords[i]) == n && strncmp(py_keywords[i], s, n) == 0)
            return false;
    return true;
}

/* A Python string literal with exactly these characters. Multi-line text
 * (SQL, mostly) is triple-quoted when that needs no escapes. */
static void put_py_string(tj_buf *b, const char *s)
{
    size_t n = strlen(s);
    bool multiline = strchr(s, '\n') != NULL;
    bool plain = !strchr(s, '\\') && !strstr(s, "\"\"\"") && (n == 0 || s[n - 1] != '"') && !strchr(s, '\r');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            plain = false;
    if (multiline && plain) {
        tj_buf_puts(b, "\"\"\"");
        tj_buf_puts(b, s);
        tj_buf_puts(b, "\"\"\"");
        return;
    }
    tj_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': tj_buf_puts(b, "\\\""); break;
        case '\\': tj_buf_puts(b, "\\\\"); break;
        case '\n': tj_buf_puts(b, "\\n"); break;
        case '\r': tj_buf_puts(b, "\\r"); break;
        case '\t': tj_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                tj_buf_printf(b, "\\x%02x", *p);
            else
                tj_buf_putc(b, (char)*p); /* UTF-8 passes through: sources are UTF-8 */
        }
    }
    tj_buf_putc(b, '"');
}

static void indent(tj_buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        tj_buf_puts(b, "    ");
}

static void put_struct(tj_buf *b, const tj_struct_desc *d, const void *obj, int depth);

static void put_value(tj_buf *b, const tj_type *t, const void *slot, int depth)
{
    switch (t->kind) {
    case TJ_BOOL: tj_buf_puts(b, *(const bool *)slot ? "True" : "False"); return;
    case TJ_BYTE: tj_buf_printf(b, "%d", *(const int8_t *)slot); return;
    case TJ_I16: { int16_t v; memcpy(&v, slot, 2); tj_buf_printf(b, "%d", v); return; }
    case TJ_I32: { int32_t v; memcpy(&v, slot, 4); tj_buf_printf(b, "%d", (int)v); return; }
    case TJ_I64: { int64_t v; memcpy(&v, slot, 8); tj_buf_printf(b, "%lld", (long long)v); return; }
    case TJ_ENUM: {
        int32_t v;
        memcpy(&v, slot, 4);
        const char *name = tj_enum_name(t->enum_desc, v);
        if (name)
            tj_buf_printf(b, "ttypes.%s.%s", t->enum_desc->name, name);
        else
            tj_buf_printf(b, "%d", (int)v);
        return;
    }
    case TJ_DOUBLE: {
        double x;
        memcpy(&x, slot, sizeof x);
        char num[32];
        pyjson_format_double(x, num); /* Python's repr is a Python float literal */
        tj_buf_puts(b, num);
        return;
    }
    case TJ_STRING: {
        const char *s;
        memcpy(&s, slot, sizeof s);
        put_py_string(b, s ? s : "");
        return;
    }
    case TJ_BINARY: {
        const tj_binary *bin = slot;
        tj_buf_puts(b, "b\"");
        for (size_t i = 0; i < bin->len; i++)
            tj_buf_printf(b, "\\x%02x", bin->data[i]);
        tj_buf_putc(b, '"');
        return;
    }
    case TJ_STRUCT:
        put_struct(b, t->struct_desc, slot, depth);
        return;
    case TJ_LIST:
    case TJ_SET: {
        tj_list l;
        memcpy(&l, slot, sizeof l);
        if (l.len == 0) {
            tj_buf_puts(b, "[]");
            return;
        }
        tj_buf_puts(b, "[\n");
        for (size_t i = 0; i < l.len; i++) {
            indent(b, depth + 1);
            put_value(b, t->elem, (const char *)l.items + i * t->elem->size, depth + 1);
            tj_buf_puts(b, ",\n");
        }
        indent(b, depth);
        tj_buf_putc(b, ']');
        return;
    }
    case TJ_MAP: {
        tj_map m;
        memcpy(&m, slot, sizeof m);
        if (m.len == 0) {
            tj_buf_puts(b, "{}");
            return;
        }
        tj_buf_puts(b, "{\n");
        for (size_t i = 0; i < m.len; i++) {
            indent(b, depth + 1);
            put_value(b, t->key, (const char *)m.keys + i * t->key->size, depth + 1);
            tj_buf_puts(b, ": ");
            put_value(b, t->elem, (const char *)m.values + i * t->elem->size, depth + 1);
            tj_buf_puts(b, ",\n");
        }
        indent(b, depth);
        tj_buf_putc(b, '}');
        return;
    }
    }
}

static void put_struct(tj_buf *b, const tj_struct_desc *d, const void *obj, int depth)
{
    tj_buf_printf(b, "ttypes.%s(", d->name);
    size_t set = 0;
    for (size_t i = 0; i < d->field_count; i++) {
        const tj_field *f = &d->fields[i];
        const void *slot = (const char *)obj + f->offset;
        if (!tj_field_is_set(f, obj)) {
            /* an IDL default the config does not have must be undone */
            if (f->default_json) {
                tj_buf_puts(b, set++ ? "" : "\n");
                indent(b, depth + 1);
                tj_buf_printf(b, "%s=None,\n", f->name);
            }
            continue;
        }
        tj_buf_puts(b, set++ ? "" : "\n");
        indent(b, depth + 1);
        tj_buf_printf(b, "%s=", f->name);
        if (f->type->kind == TJ_STRUCT) {
            const void *child;
            memcpy(&child, slot, sizeof child);
            put_struct(b, f->type->struct_desc, child, depth + 1);
        } else {
            put_value(b, f->type, slot, depth + 1);
        }
        tj_buf_puts(b, ",\n");
    }
    if (set)
        indent(b, depth);
    tj_buf_putc(b, ')');
}

static const struct {
    const char *folder;
    const char *type;
} kinds[] = {{"group_bys", "GroupBy"}, {"joins", "Join"}, {"staging_queries", "StagingQuery"}};

static void import_usage(FILE *out)
{
    fprintf(out,
            "usage: chrononc import [--chronon_root DIR] [--type TYPE] [--force] FILE...\n"
            "\n"
            "Turn production JSON configs (GroupBy, Join, StagingQuery) into definition files\n"
            "under the root that `chrononc compile --force-overwrite` turns back into the same\n"
            "bytes. A config named team.path.module.var goes to <kind>/team/path/module.py as\n"
            "variable var; several configs of one module share its file.\n"
            "  --type TYPE   GroupBy, Join or StagingQuery (default: from the path)\n"
            "  --force       overwrite definition files that exist\n");
}

typedef struct out_file {
    char *path;
    tj_buf text;
} out_file;

int cmd_import(int argc, char **argv)
{
    const char *root = getenv("CHRONON_ROOT"), *type = NULL;
    bool force = false;
    int first = 1;
    for (; first < argc; first++) {
        const char *a = argv[first];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            import_usage(stdout);
            return 0;
        } else if (strcmp(a, "--chronon_root") == 0 && first + 1 < argc) {
            root = argv[++first];
        } else if (strcmp(a, "--type") == 0 && first + 1 < argc) {
            type = argv[++first];
        } else if (strcmp(a, "--force") == 0) {
            force = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "chrononc import: unknown option '%s'\n", a);
            import_usage(stderr);
            return 2;
        } else {
            break;
        }
    }
    if (first >= argc) {
        import_usage(stderr);
        return 2;
    }
    if (!root || !*root)
        root = ".";
    out_file *outs = calloc((size_t)(argc - first), sizeof *outs);
    size_t nouts = 0;
    int status = 0;
    if (!outs)
        return 1;
    for (int i = first; i < argc && status == 0; i++) {
        const char *path = argv[i];
        size_t k = 0, nk = sizeof kinds / sizeof kinds[0];
        for (k = 0; k < nk; k++)
            if (type ? strcmp(type, kinds[k].type) == 0 : (strstr(path, kinds[k].folder) != NULL))
                break;
        if (k == nk) {
            fprintf(stderr, "chrononc import: %s: cannot tell GroupBy, Join or StagingQuery; use --type\n", path);
            status = 2;
            break;
        }
        const tj_struct_desc *desc = chronon_struct_by_name(kinds[k].type);
        char why[256];
        size_t len;
        char *text = read_file(path, &len, why, sizeof why);
        if (!text) {
            fprintf(stderr, "%s: error: cannot read: %s\n", path, why);
            status = 1;
            break;
        }
        void *obj = calloc(1, desc->size);
        tj_error err;
        if (!obj || tj_from_json(desc, obj, text, len, 0, &err) != TJ_OK) {
            if (obj && err.status == TJ_ERR_SYNTAX)
                fprintf(stderr, "%s:%d:%d: error: %s\n", path, err.line, err.column, err.message);
            else if (obj)
                fprintf(stderr, "%s: error: %s: %s\n", path, err.path, err.message);
            free(obj);
            free(text);
            status = 1;
            break;
        }
        free(text);
        /* metaData.name decides the module and the variable */
        chronon_MetaData *md = NULL;
        const tj_field *mdf = tj_field_by_name(desc, "metaData");
        memcpy(&md, (const char *)obj + mdf->offset, sizeof md);
        const char *name = md && md->name ? md->name : NULL;
        const char *last = name ? strrchr(name, '.') : NULL;
        const char *first_dot = name ? strchr(name, '.') : NULL;
        if (!last || !is_identifier(last + 1, strlen(last + 1))) {
            fprintf(stderr, "%s: error: $.metaData.name: '%s' is not <team>.<module>.<variable>\n", path,
                    name ? name : "(unset)");
            tj_free(desc, obj);
            free(obj);
            status = 1;
            break;
        }
        tj_buf mod = {0};
        tj_buf_printf(&mod, "%s/%s/", root, kinds[k].folder);
        if (first_dot == last) {
            /* "team.var": a module directly under the kind folder, named after the team */
            tj_buf_put(&mod, name, (size_t)(last - name));
        } else {
            for (const char *p = name; p < last; p++)
                tj_buf_putc(&mod, *p == '.' ? '/' : *p);
        }
        tj_buf_puts(&mod, ".py");
        size_t o;
        for (o = 0; o < nouts; o++)
            if (strcmp(outs[o].path, mod.data) == 0)
                break;
        if (o == nouts) {
            outs[nouts].path = strdup(mod.data);
            tj_buf_puts(&outs[nouts].text, "\"\"\"Imported from production configs by chrononc import.\"\"\"\n"
                                            "from ai.chronon.api import ttypes\n");
            nouts++;
        }
        tj_buf_free(&mod);
        tj_buf *t = &outs[o].text;
        tj_buf_printf(t, "\n%s = ", last + 1);
        put_struct(t, desc, obj, 0);
        tj_buf_putc(t, '\n');
        tj_free(desc, obj);
        free(obj);
    }
    for (size_t o = 0; o < nouts && status == 0; o++) {
        struct stat st;
        if (!force && stat(outs[o].path, &st) == 0) {
            fprintf(stderr, "chrononc import: %s exists; use --force to overwrite it\n", outs[o].path);
            status = 1;
            break;
        }
        /* the module's folders (a failure shows as the write's error below) */
        make_parent_dirs(outs[o].path, 0777);
        char why[256];
        if (outs[o].text.failed || !atomic_write(outs[o].path, outs[o].text.data, outs[o].text.len, 0, why, sizeof why)) {
            fprintf(stderr, "chrononc import: cannot write %s: %s\n", outs[o].path, outs[o].text.failed ? "out of memory" : why);
            status = 1;
        } else {
            printf("%s\n", outs[o].path);
        }
    }
    for (size_t o = 0; o < nouts; o++) {
        free(outs[o].path);
        tj_buf_free(&outs[o].text);
    }
    free(outs);
    return status;
}
