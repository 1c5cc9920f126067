/* The template is compiled once into a flat token list (text spans and tags),
 * so syntax errors surface even in sections that a given context never
 * renders, and rendering is a walk over that list with the context stack
 * kept in frames on the C stack. */
#include "template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum tok_kind { TOK_TEXT, TOK_VAR, TOK_SECTION, TOK_INVERTED } tok_kind;

typedef struct tok {
    tok_kind kind;
    /* TOK_TEXT: a span of src. Otherwise the name, split at dots into nseg
     * NUL-terminated segments stored back to back; nseg 0 means "{{.}}". */
    const char *text;
    size_t len;
    size_t nseg;
    int line, column;  /* of the tag's "{{" */
    /* Sections: index of the first token after the body. While the section
     * is still open during parsing, the index of the enclosing open section. */
    size_t end;
} tok;

struct tmpl {
    char *name;
    char *src;  /* a private copy; names are NUL-terminated inside it */
    size_t src_len;
    tok *toks;
    size_t ntoks, cap;
};

#define NO_SECTION SIZE_MAX

static void set_error(tmpl_error *err, const char *name, int line, int column,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void set_error(tmpl_error *err, const char *name, int line, int column,
                      const char *fmt, ...)
{
    if (!err)
        return;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    err->line = line;
    err->column = column;
    if (line > 0)
        snprintf(err->message, sizeof err->message, "%s:%d:%d: %s", name, line, column, what);
    else
        snprintf(err->message, sizeof err->message, "%s: %s", name, what);
}

void tmpl_free(tmpl *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->src);
    free(t->toks);
    free(t);
}

static tok *push_tok(tmpl *t)
{
    if (t->ntoks == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        tok *grown = realloc(t->toks, cap * sizeof *grown);
        if (!grown)
            return NULL;
        t->toks = grown;
        t->cap = cap;
    }
    tok *k = &t->toks[t->ntoks++];
    memset(k, 0, sizeof *k);
    return k;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_space(char c) { return is_blank(c) || c == '\n' || c == '\r'; }

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

/* Tracks line and column while the parser moves forward through the text,
 * so placing every tag costs one pass over the template in total. */
typedef struct cursor {
    const char *src;
    size_t pos;
    int line;
    size_t line_start;
} cursor;

static void cursor_advance(cursor *c, size_t to)
{
    for (; c->pos < to; c->pos++) {
        if (c->src[c->pos] == '\n') {
            c->line++;
            c->line_start = c->pos + 1;
        }
    }
}

/* A tag's name as written: the dots that parsing turned into NULs restored. */
static void display_name(const tok *k, char *buf, size_t size)
{
    size_t n = k->len < size - 1 ? k->len : size - 1;
    memcpy(buf, k->text, n);
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            buf[i] = '.';
}

/* Validate a tag's name in place and split it at dots. */
static bool take_name(tmpl *t, tok *k, char *name, size_t len, tmpl_error *err)
{
    if (len == 0) {
        set_error(err, t->name, k->line, k->column, "tag without a name");
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!is_name_char(name[i])) {
            set_error(err, t->name, k->line, k->column, "bad character '%c' in tag name '%.*s'",
                      name[i], (int)len, name);
            return false;
        }
    }
    name[len] = '\0';
    k->text = name;
    k->len = len;
    if (len == 1 && name[0] == '.') {
        k->nseg = 0;
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '.' && (i == 0 || i + 1 == len || name[i + 1] == '.')) {
            set_error(err, t->name, k->line, k->column, "empty segment in dotted name '%s'", name);
            return false;
        }
    }
    k->nseg = 1;
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '.') {
            name[i] = '\0';
            k->nseg++;
        }
    }
    return true;
}

static bool push_text(tmpl *t, size_t from, size_t to)
{
    if (to <= from)
        return true;
    tok *k = push_tok(t);
    if (!k)
        return false;
    k->kind = TOK_TEXT;
    k->text = t->src + from;
    k->len = to - from;
    return true;
}

/* Writing a name's terminating NUL into src can overwrite the first '}' of
 * "}}"; that is fine because scanning has already moved past the tag. */
static bool parse(tmpl *t, tmpl_error *err)
{
    char *src = t->src;
    size_t n = t->src_len;
    cursor cur = {src, 0, 1, 0};
    size_t text_start = 0, pos = 0, open = NO_SECTION;

    for (;;) {
        const char *found = strstr(src + pos, "{{");
        if (!found)
            break;
        size_t at = (size_t)(found - src);
        cursor_advance(&cur, at);
        int line = cur.line, column = (int)(at - cur.line_start) + 1;

        const char *close = strstr(src + at + 2, "}}");
        if (!close) {
            set_error(err, t->name, line, column, "tag is not closed with }}");
            return false;
        }
        size_t inner = at + 2, inner_end = (size_t)(close - src), tag_end = inner_end + 2;
        char sigil = src[inner];
        bool control = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!';

        size_t text_end = at, next = tag_end;
        if (control) {
            size_t line_start = cur.line_start;
            bool alone = true;
            for (size_t i = line_start; i < at; i++)
                alone = alone && is_blank(src[i]);
            size_t after = tag_end;
            while (after < n && is_blank(src[after]))
                after++;
            if (after < n && src[after] == '\n')
                after++;
            else if (after + 1 < n && src[after] == '\r' && src[after + 1] == '\n')
                after += 2;
            else if (after < n)
                alone = false;
            if (alone && line_start >= text_start) {
                text_end = line_start;
                next = after;
            }
        }
        if (!push_text(t, text_start, text_end))
            goto nomem;

        if (sigil != '!') {
            size_t name_from = control ? inner + 1 : inner, name_to = inner_end;
            while (name_from < name_to && is_space(src[name_from]))
                name_from++;
            while (name_to > name_from && is_space(src[name_to - 1]))
                name_to--;

            if (sigil == '/') {
                tok probe = {.line = line, .column = column};
                if (!take_name(t, &probe, src + name_from, name_to - name_from, err))
                    return false;
                if (open == NO_SECTION) {
                    char closing[128];
                    display_name(&probe, closing, sizeof closing);
                    set_error(err, t->name, line, column, "{{/%s}} closes no open section",
                              closing);
                    return false;
                }
                tok *sec = &t->toks[open];
                /* both names are split at their dots the same way, so bytes compare */
                if (sec->len != probe.len || memcmp(sec->text, probe.text, probe.len) != 0) {
                    char opened[128], closing[128];
                    display_name(sec, opened, sizeof opened);
                    display_name(&probe, closing, sizeof closing);
                    set_error(err, t->name, line, column,
                              "{{/%s}} does not close {{%c%s}} (line %d, column %d)", closing,
                              sec->kind == TOK_SECTION ? '#' : '^', opened, sec->line,
                              sec->column);
                    return false;
                }
                size_t parent = sec->end;
                sec->end = t->ntoks;
                open = parent;
            } else {
                tok *k = push_tok(t);
                if (!k)
                    goto nomem;
                k->line = line;
                k->column = column;
                k->kind = sigil == '#' ? TOK_SECTION : sigil == '^' ? TOK_INVERTED : TOK_VAR;
                if (!take_name(t, k, src + name_from, name_to - name_from, err))
                    return false;
                if (k->kind != TOK_VAR) {
                    k->end = open;
                    open = t->ntoks - 1;
                }
            }
        }
        pos = text_start = next;
    }
    if (open != NO_SECTION) {
        const tok *sec = &t->toks[open];
        char opened[128];
        display_name(sec, opened, sizeof opened);
        set_error(err, t->name, sec->line, sec->column, "section {{%c%s}} is never closed",
                  sec->kind == TOK_SECTION ? '#' : '^', opened);
        return false;
    }
    if (!push_text(t, text_start, n))
        goto nomem;
    return true;
nomem:
    set_error(err, t->name, 0, 0, "out of memory");
    return false;
}

tmpl *tmpl_parse(const char *name, const char *text, size_t len, tmpl_error *err)
{
    tmpl *t = calloc(1, sizeof *t);
    if (!t || !(t->name = strdup(name)) || !(t->src = malloc(len + 1))) {
        set_error(err, name, 0, 0, "out of memory");
        tmpl_free(t);
        return NULL;
    }
    memcpy(t->src, text, len);
    t->src[len] = '\0';
    t->src_len = len;
    if (memchr(text, '\0', len)) {
        set_error(err, name, 0, 0, "template contains a NUL byte");
        tmpl_free(t);
        return NULL;
    }
    if (!parse(t, err)) {
        tmpl_free(t);
        return NULL;
    }
    return t;
}

tmpl *tmpl_load(const char *path, tmpl_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_error(err, path, 0, 0, "%s", strerror(errno));
        return NULL;
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    bool ok = true;
    for (;;) {
        if (len == cap) {
            size_t grown_cap = cap ? cap * 2 : 8192;
            char *grown = realloc(data, grown_cap);
            if (!grown) {
                ok = false;
                set_error(err, path, 0, 0, "out of memory");
                break;
            }
            data = grown;
            cap = grown_cap;
        }
        size_t got = fread(data + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                ok = false;
                set_error(err, path, 0, 0, "read error: %s", strerror(errno));
            }
            break;
        }
    }
    fclose(f);
    tmpl *t = ok ? tmpl_parse(path, data ? data : "", len, err) : NULL;
    free(data);
    return t;
}

/* ---- rendering ---------------------------------------------------------------- */

typedef struct frame {
    json_t *value;
    const struct frame *up;
} frame;

typedef struct outbuf {
    char *data;
    size_t len, cap;
    bool failed;
} outbuf;

static void out_put(outbuf *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (n >= o->cap - o->len || !o->data) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap - o->len <= n) {
            if (cap > SIZE_MAX / 2) {
                o->failed = true;
                return;
            }
            cap *= 2;
        }
        char *grown = realloc(o->data, cap);
        if (!grown) {
            o->failed = true;
            return;
        }
        o->data = grown;
        o->cap = cap;
    }
    memcpy(o->data + o->len, s, n);
    o->len += n;
    o->data[o->len] = '\0';
}

/* The dotted name's first segment is searched outwards through the frames;
 * later segments only descend, as in mustache. */
static json_t *lookup(const tok *k, const frame *ctx)
{
    if (k->nseg == 0)
        return ctx->value;
    json_t *v = NULL;
    for (const frame *f = ctx; f && !v; f = f->up)
        if (json_is_object(f->value))
            v = json_object_get(f->value, k->text);
    const char *seg = k->text;
    for (size_t i = 1; i < k->nseg && v; i++) {
        seg += strlen(seg) + 1;
        v = json_is_object(v) ? json_object_get(v, seg) : NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT: return true;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0;
    case JSON_TRUE: return true;
    default: return false;
    }
}

/* Shortest text that reads back as the same double. */
static void format_real(double x, char out[40])
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, 40, "%.*g", prec, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

static bool render_value(const tmpl *t, const tok *k, json_t *v, outbuf *o, tmpl_error *err)
{
    char num[40], name[128];
    switch (json_typeof(v)) {
    case JSON_STRING:
        out_put(o, json_string_value(v), json_string_length(v));
        return true;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        out_put(o, num, strlen(num));
        return true;
    case JSON_REAL:
        format_real(json_real_value(v), num);
        out_put(o, num, strlen(num));
        return true;
    case JSON_TRUE: out_put(o, "true", 4); return true;
    case JSON_FALSE: out_put(o, "false", 5); return true;
    case JSON_NULL: return true;
    default:
        display_name(k, name, sizeof name);
        set_error(err, t->name, k->line, k->column, "'%s' is an %s, not a value to print",
                  name, json_is_object(v) ? "object" : "array");
        return false;
    }
}

static bool render_range(const tmpl *t, size_t from, size_t to, const frame *ctx, outbuf *o,
                         tmpl_error *err)
{
    size_t i = from;
    while (i < to) {
        const tok *k = &t->toks[i];
        if (k->kind == TOK_TEXT) {
            out_put(o, k->text, k->len);
            i++;
            continue;
        }
        json_t *v = lookup(k, ctx);
        if (k->kind == TOK_VAR) {
            if (!v) {
                char name[128];
                display_name(k, name, sizeof name);
                set_error(err, t->name, k->line, k->column, "unknown variable '%s'", name);
                return false;
            }
            if (!render_value(t, k, v, o, err))
                return false;
            i++;
            continue;
        }
        size_t body = i + 1, end = k->end;
        if (k->kind == TOK_INVERTED) {
            if (!truthy(v) && !render_range(t, body, end, ctx, o, err))
                return false;
        } else if (json_is_array(v)) {
            for (size_t e = 0; e < json_array_size(v); e++) {
                frame f = {json_array_get(v, e), ctx};
                if (!render_range(t, body, end, &f, o, err))
                    return false;
            }
        } else if (truthy(v)) {
            frame f = {v, ctx};
            if (!render_range(t, body, end, &f, o, err))
                return false;
        }
        i = end;
    }
    return true;
}

char *tmpl_render(const tmpl *t, json_t *context, size_t *len, tmpl_error *err)
{
    outbuf o = {0};
    frame root = {context, NULL};
    out_put(&o, "", 0);
    if (!render_range(t, 0, t->ntoks, &root, &o, err)) {
        free(o.data);
        return NULL;
    }
    if (o.failed) {
        free(o.data);
        set_error(err, t->name, 0, 0, "out of memory");
        return NULL;
    }
    if (len)
        *len = o.len;
    return o.data;
}
