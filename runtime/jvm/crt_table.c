/* chronon_runtime: result tables, printed as Spark's show() does, or written
 * as CSV / JSON lines (atomically). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crt_internal.h"

#define SHOW_TRUNCATE 20 /* show()'s default truncate */

void crt_table_free(crt_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; t->json && r < t->nrows; r++) {
        if (!t->json[r])
            continue;
        for (size_t c = 0; c < t->ncols; c++)
            free(t->json[r][c]);
        free(t->json[r]);
    }
    free(t->json);
    for (size_t r = 0; r < t->nrows; r++) {
        if (!t->rows[r])
            continue;
        for (size_t c = 0; c < t->ncols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->columns)
            free(t->columns[c]);
        if (t->types)
            free(t->types[c]);
    }
    free(t->columns);
    free(t->types);
    memset(t, 0, sizeof *t);
}

/* ---- show() ---------------------------------------------------------------------- */

/* Decode the UTF-8 character at s (valid UTF-8 assumed: it came from Java). */
static size_t next_cp(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && s[1]) {
        *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
        *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
        *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

/* Spark's Utils.stringHalfWidth: UTF-16 length plus one per full-width character. */
static bool full_width(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
}

static size_t half_width(const char *s)
{
    size_t w = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned cp;
        u += next_cp(u, &cp);
        w += (cp >= 0x10000 ? 2 : 1) + (full_width(cp) ? 1 : 0);
    }
    return w;
}

/* A cell as show() prints it: "null", meta characters escaped, cut to
 * SHOW_TRUNCATE UTF-16 units with "..." (malloc'd). */
static char *show_cell(const char *v)
{
    if (!v)
        v = "null";
    crt_str s = {0};
    size_t units = 0;
    for (const char *p = v; *p; p++) {
        const char *esc = NULL;
        switch (*p) {
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\f': esc = "\\f"; break;
        case '\b': esc = "\\b"; break;
        case '\v': esc = "\\v"; break;
        case '\a': esc = "\\a"; break;
        default: break;
        }
        if (!(esc ? crt_str_adds(&s, esc) : crt_str_add(&s, p, 1))) {
            crt_str_free(&s);
            return NULL;
        }
    }
    if (!s.p)
        return crt_strdup("");
    /* the length in UTF-16 units, and the cut */
    const unsigned char *u = (const unsigned char *)s.p;
    while (*u) {
        unsigned cp;
        u += next_cp(u, &cp);
        units += cp >= 0x10000 ? 2 : 1;
    }
    if (units > SHOW_TRUNCATE) {
        size_t keep = SHOW_TRUNCATE - 3, k = 0;
        u = (const unsigned char *)s.p;
        while (*u) {
            unsigned cp;
            size_t n = next_cp(u, &cp);
            size_t w = cp >= 0x10000 ? 2 : 1;
            if (k + w > keep)
                break;
            k += w;
            u += n;
        }
        s.len = (size_t)((const char *)u - s.p);
        s.p[s.len] = '\0';
        if (!crt_str_adds(&s, "...")) {
            crt_str_free(&s);
            return NULL;
        }
    }
    return s.p;
}

static void print_sep(const size_t *width, size_t ncols, FILE *out)
{
    fputc('+', out);
    for (size_t c = 0; c < ncols; c++) {
        for (size_t i = 0; i < width[c]; i++)
            fputc('-', out);
        fputc('+', out);
    }
    if (ncols == 0)
        fputc('+', out); /* Scala's mkString("+", "+", "+") of nothing: "++" */
    fputc('\n', out);
}

static void print_line(char *const *cells, const size_t *width, size_t ncols, FILE *out)
{
    fputc('|', out);
    for (size_t c = 0; c < ncols; c++) {
        const char *v = cells[c] ? cells[c] : "";
        size_t w = half_width(v);
        for (size_t i = w; i < width[c]; i++)
            fputc(' ', out);
        fputs(v, out);
        fputc('|', out);
    }
    if (ncols == 0)
        fputc('|', out);
    fputc('\n', out);
}

void crt_table_print(const crt_table *t, FILE *out)
{
    size_t nc = t->ncols, nr = t->nrows;
    /* cells[0] is the header */
    char ***cells = calloc(nr + 1, sizeof *cells);
    size_t *width = calloc(nc ? nc : 1, sizeof *width);
    if (!cells || !width) {
        free(cells);
        free(width);
        fputs("(out of memory printing the table)\n", out);
        return;
    }
    bool ok = true;
    for (size_t r = 0; ok && r <= nr; r++) {
        cells[r] = calloc(nc ? nc : 1, sizeof **cells);
        ok = cells[r] != NULL;
        for (size_t c = 0; ok && c < nc; c++) {
            cells[r][c] = show_cell(r == 0 ? t->columns[c] : t->rows[r - 1][c]);
            ok = cells[r][c] != NULL;
        }
    }
    if (ok) {
        for (size_t c = 0; c < nc; c++) {
            width[c] = 3; /* show()'s minimum */
            for (size_t r = 0; r <= nr; r++) {
                size_t w = half_width(cells[r][c]);
                if (w > width[c])
                    width[c] = w;
            }
        }
        print_sep(width, nc, out);
        print_line(cells[0], width, nc, out);
        print_sep(width, nc, out);
        for (size_t r = 1; r <= nr; r++)
            print_line(cells[r], width, nc, out);
        print_sep(width, nc, out);
        if (t->more)
            fprintf(out, "only showing top %zu %s\n", nr, nr == 1 ? "row" : "rows");
        fputc('\n', out);
    } else {
        fputs("(out of memory printing the table)\n", out);
    }
    for (size_t r = 0; r <= nr; r++) {
        if (!cells[r])
            continue;
        for (size_t c = 0; c < nc; c++)
            free(cells[r][c]);
        free(cells[r]);
    }
    free(cells);
    free(width);
}

/* ---- files -------------------------------------------------------------------------- */

bool crt_write_atomic(const char *path, const char *data, size_t n, crt_error *err)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    crt_str tmp = {0};
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        crt_str_free(&tmp);
        if (!crt_str_add(&tmp, path, dirlen) ||
            !crt_str_addf(&tmp, ".%s.tmp.%ld.%d", path + dirlen, (long)getpid(), attempt)) {
            crt_str_free(&tmp);
            crt_fail(err, CRT_ERR_NOMEM, "out of memory");
            return false;
        }
        fd = open(tmp.p, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        crt_fail(err, CRT_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        crt_str_free(&tmp);
        return false;
    }
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, data + off, n - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        off += (size_t)w;
    }
    int saved = errno;
    bool ok = off == n && fsync(fd) == 0;
    if (!ok && off == n)
        saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp.p, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp.p);
        crt_fail(err, CRT_ERR_IO, "cannot write %s: %s", path, strerror(saved));
    }
    crt_str_free(&tmp);
    return ok;
}

static bool csv_field(crt_str *s, const char *v)
{
    if (!v)
        return true; /* null: an empty field */
    if (!*v)
        return crt_str_adds(s, "\"\""); /* the empty string, told apart from null */
    if (!strpbrk(v, ",\"\r\n"))
        return crt_str_adds(s, v);
    bool ok = crt_str_add(s, "\"", 1);
    for (const char *p = v; ok && *p; p++)
        ok = *p == '"' ? crt_str_add(s, "\"\"", 2) : crt_str_add(s, p, 1);
    return ok && crt_str_add(s, "\"", 1);
}

/* The cell's JSON text when it has one (an array, map or struct). */
static const char *json_cell(const crt_table *t, size_t r, size_t c)
{
    return t->json && t->json[r] ? t->json[r][c] : NULL;
}

bool crt_table_write_csv(const crt_table *t, const char *path, crt_error *err)
{
    crt_str s = {0};
    bool ok = true;
    for (size_t c = 0; ok && c < t->ncols; c++)
        ok = (c == 0 || crt_str_add(&s, ",", 1)) && csv_field(&s, t->columns[c] ? t->columns[c] : "");
    ok = ok && crt_str_add(&s, "\n", 1);
    for (size_t r = 0; ok && r < t->nrows; r++) {
        for (size_t c = 0; ok && c < t->ncols; c++)
            ok = (c == 0 || crt_str_add(&s, ",", 1)) &&
                 csv_field(&s, json_cell(t, r, c) ? json_cell(t, r, c) : t->rows[r][c]);
        ok = ok && crt_str_add(&s, "\n", 1);
    }
    if (!ok) {
        crt_str_free(&s);
        crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        return false;
    }
    ok = crt_write_atomic(path, s.p ? s.p : "", s.len, err);
    crt_str_free(&s);
    return ok;
}

static bool json_string(crt_str *s, const char *v)
{
    bool ok = crt_str_add(s, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)v; ok && *p; p++) {
        switch (*p) {
        case '"': ok = crt_str_adds(s, "\\\""); break;
        case '\\': ok = crt_str_adds(s, "\\\\"); break;
        case '\n': ok = crt_str_adds(s, "\\n"); break;
        case '\r': ok = crt_str_adds(s, "\\r"); break;
        case '\t': ok = crt_str_adds(s, "\\t"); break;
        case '\b': ok = crt_str_adds(s, "\\b"); break;
        case '\f': ok = crt_str_adds(s, "\\f"); break;
        default:
            ok = *p < 0x20 ? crt_str_addf(s, "\\u%04x", *p) : crt_str_add(s, (const char *)p, 1);
        }
    }
    return ok && crt_str_add(s, "\"", 1);
}

/* A JSON number by the grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *v)
{
    const char *p = v;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return false;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static bool numeric_type(const char *type)
{
    static const char *const numeric[] = {"tinyint", "smallint", "int", "bigint", "float", "double"};
    if (!type)
        return false;
    for (size_t i = 0; i < sizeof numeric / sizeof numeric[0]; i++)
        if (strcmp(type, numeric[i]) == 0)
            return true;
    return strncmp(type, "decimal", 7) == 0;
}

bool crt_table_write_jsonl(const crt_table *t, const char *path, crt_error *err)
{
    crt_str s = {0};
    bool ok = true;
    for (size_t r = 0; ok && r < t->nrows; r++) {
        ok = crt_str_add(&s, "{", 1);
        for (size_t c = 0; ok && c < t->ncols; c++) {
            const char *v = t->rows[r][c];
            const char *type = t->types ? t->types[c] : NULL;
            ok = (c == 0 || crt_str_add(&s, ",", 1)) && json_string(&s, t->columns[c] ? t->columns[c] : "") &&
                 crt_str_add(&s, ":", 1);
            if (!ok)
                break;
            if (json_cell(t, r, c))
                ok = crt_str_adds(&s, json_cell(t, r, c)); /* Spark's to_json: JSON already */
            else if (!v)
                ok = crt_str_adds(&s, "null");
            else if (type && strcmp(type, "boolean") == 0 && (strcmp(v, "true") == 0 || strcmp(v, "false") == 0))
                ok = crt_str_adds(&s, v);
            else if (numeric_type(type) && json_number(v))
                ok = crt_str_adds(&s, v);
            else
                ok = json_string(&s, v);
        }
        ok = ok && crt_str_add(&s, "}\n", 2);
    }
    if (!ok) {
        crt_str_free(&s);
        crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        return false;
    }
    ok = crt_write_atomic(path, s.p ? s.p : "", s.len, err);
    crt_str_free(&s);
    return ok;
}
