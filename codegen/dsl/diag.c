/* Diagnostics in GCC/clang style: see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TAB_WIDTH 8

/* ---- source files ------------------------------------------------------------ */

source_file *source_file_new(const char *path, char *text, size_t len)
{
    source_file *f = calloc(1, sizeof *f);
    char *t = len == SIZE_MAX ? NULL : realloc(text, len + 1);
    char *p = strdup(path ? path : "");
    if (!f || !t || !p) {
        free(f);
        free(t ? t : text);
        free(p);
        return NULL;
    }
    /* We own the text now, so it can be made NUL-terminated whatever the
     * caller allocated. */
    t[len] = '\0';
    f->path = p;
    f->text = t;
    f->len = len;

    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += t[i] == '\n';
    /* The line after a final newline counts: the end of the file has a
     * position a diagnostic can point at. */
    f->line_starts = malloc(lines * sizeof *f->line_starts);
    if (!f->line_starts) {
        source_file_free(f);
        return NULL;
    }
    size_t n = 0;
    f->line_starts[n++] = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n')
            f->line_starts[n++] = i + 1;
    f->line_count = n;
    return f;
}

void source_file_free(source_file *f)
{
    if (!f)
        return;
    free(f->path);
    free(f->text);
    free(f->line_starts);
    free(f);
}

size_t utf8_char_len(const char *s, const char *end)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t avail = (size_t)(end - s);
    unsigned c = u[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;   /* bounds of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;      /* overlong */
        if (c == 0xED) hi = 0x9F;      /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;      /* overlong */
        if (c == 0xF4) hi = 0x8F;      /* beyond U+10FFFF */
    } else
        return 1;
    if (avail < n || u[1] < lo || u[1] > hi)
        return 1;
    for (size_t i = 2; i < n; i++)
        if (u[i] < 0x80 || u[i] > 0xBF)
            return 1;
    return n;
}

/* A UTF-8 byte order mark is not part of line 1 for columns or display. */
static size_t line_begin(const source_file *f, size_t line_index)
{
    size_t b = f->line_starts[line_index];
    if (b == 0 && f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0)
        b = 3;
    return b;
}

void source_position(const source_file *f, size_t offset, int *line, int *col)
{
    if (offset > f->len)
        offset = f->len;
    size_t lo = 0, hi = f->line_count;   /* last line starting at or before offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    const char *p = f->text + line_begin(f, lo), *end = f->text + offset;
    int c = 1;
    while (p < end) {
        p += utf8_char_len(p, f->text + f->len);
        c++;
    }
    *line = (int)lo + 1;
    *col = c;
}

/* ---- collecting -------------------------------------------------------------- */

void diag_init(diag_set *d)
{
    memset(d, 0, sizeof *d);
}

void diag_free(diag_set *d)
{
    for (size_t i = 0; i < d->len; i++)
        free(d->items[i].message);
    free(d->items);
    free(d->report_locs);
    diag_init(d);
}

void diag_add(diag_set *d, diag_level level, src_loc loc, const char *fmt, ...)
{
    if (d->len == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        diag *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            d->out_of_memory = true;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = n < 0 ? NULL : malloc((size_t)n + 1);
    if (!msg) {
        d->out_of_memory = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);

    /* Chronon's own messages (kept verbatim) may start or end with newlines
     * and spaces; on a diagnostic line they would only leave gaps. */
    {
        size_t start = 0, end = (size_t)n;
        while (start < end && (msg[start] == '\n' || msg[start] == ' '))
            start++;
        while (end > start && (msg[end - 1] == '\n' || msg[end - 1] == ' '))
            end--;
        memmove(msg, msg + start, end - start);
        msg[end - start] = '\0';
    }
    if (level == DIAG_ERROR) {
        if (d->error_reports == d->report_locs_cap) {
            size_t cap = d->report_locs_cap ? d->report_locs_cap * 2 : 16;
            src_loc *locs = realloc(d->report_locs, cap * sizeof *locs);
            if (locs) {
                d->report_locs = locs;
                d->report_locs_cap = cap;
            } else {
                d->out_of_memory = true;
            }
        }
        if (d->error_reports < d->report_locs_cap)
            d->report_locs[d->error_reports] = loc;
        d->error_reports++;
    }
    if (level == DIAG_NOTE && d->dropping_notes) {
        free(msg);
        return;
    }
    if (level != DIAG_NOTE) {
        d->dropping_notes = false;
        for (size_t i = 0; i < d->len; i++) {
            const diag *o = &d->items[i];
            if (o->level == level && o->loc.first_line == loc.first_line && o->loc.first_col == loc.first_col &&
                o->loc.last_line == loc.last_line && o->loc.last_col == loc.last_col &&
                (o->loc.file == loc.file ||
                 (o->loc.file && loc.file && strcmp(o->loc.file->path, loc.file->path) == 0)) &&
                strcmp(o->message, msg) == 0) {
                d->dropping_notes = true;
                free(msg);
                return;
            }
        }
    }

    diag *g = &d->items[d->len];
    g->level = level;
    g->loc = loc;
    g->message = msg;
    g->seq = d->len;
    g->parent = SIZE_MAX;
    if (level == DIAG_NOTE)
        for (size_t i = d->len; i-- > 0;)
            if (d->items[i].level != DIAG_NOTE) {
                g->parent = i;
                break;
            }
    if (level == DIAG_ERROR)
        d->errors++;
    d->len++;
}

src_loc diag_error_report_loc(const diag_set *d, size_t n)
{
    src_loc none = {0};
    /* reports past an allocation failure were not recorded */
    return n < d->error_reports && n < d->report_locs_cap && d->report_locs ? d->report_locs[n] : none;
}

void diag_append(diag_set *d, const diag_set *from)
{
    for (size_t i = 0; i < from->len; i++)
        diag_add(d, from->items[i].level, from->items[i].loc, "%s", from->items[i].message);
    if (from->out_of_memory)
        d->out_of_memory = true;
}

/* ---- printing ---------------------------------------------------------------- */

#define C_RESET   "\033[0m"
#define C_BOLD    "\033[1m"
#define C_ERROR   "\033[0;1;31m"
#define C_WARNING "\033[0;1;35m"
#define C_NOTE    "\033[0;1;30m"
#define C_CARET   "\033[0;1;32m"

static int cmp_path(const source_file *a, const source_file *b)
{
    if (a == b)
        return 0;
    if (!a || !b)
        return a ? 1 : -1;   /* diagnostics about no file come first */
    int c = strcmp(a->path, b->path);
    if (c)
        return c;
    return (uintptr_t)a < (uintptr_t)b ? -1 : 1;
}

static int cmp_diag(const void *pa, const void *pb)
{
    const diag *a = *(const diag *const *)pa, *b = *(const diag *const *)pb;
    int c = cmp_path(a->loc.file, b->loc.file);
    if (c)
        return c;
    if (a->loc.first_line != b->loc.first_line)
        return a->loc.first_line < b->loc.first_line ? -1 : 1;
    if (a->loc.first_col != b->loc.first_col)
        return a->loc.first_col < b->loc.first_col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int digits(int n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Display width of the character at p when it starts at display column x. */
static int char_width(const char *p, int x)
{
    return *p == '\t' ? TAB_WIDTH - x % TAB_WIDTH : 1;
}

static void print_char(FILE *out, const char *p, size_t n, int x)
{
    unsigned char c = (unsigned char)*p;
    if (c == '\t')
        fprintf(out, "%*s", TAB_WIDTH - x % TAB_WIDTH, "");
    else if (n == 1 && (c < 0x20 || c == 0x7F))
        fputc(' ', out);    /* a form feed or a stray control character */
    else if (n == 1 && c >= 0x80)
        fputc('?', out);    /* not UTF-8: keep the terminal sane */
    else
        fwrite(p, 1, n, out);
}

/* The source line of loc and, under it, the caret and tildes. */
static void print_snippet(FILE *out, const diag *g, bool color)
{
    const src_loc *l = &g->loc;
    const source_file *f = l->file;
    if (l->first_line < 1 || (size_t)l->first_line > f->line_count)
        return;
    size_t li = (size_t)l->first_line - 1;
    const char *start = f->text + line_begin(f, li);
    const char *end = li + 1 < f->line_count ? f->text + f->line_starts[li + 1] : f->text + f->len;
    if (end > start && end[-1] == '\n')
        end--;
    if (end > start && end[-1] == '\r')
        end--;
    int width = digits(l->first_line) > 4 ? digits(l->first_line) : 4;

    fprintf(out, " %*d | ", width, l->first_line);
    int x = 0;
    for (const char *p = start; p < end;) {
        size_t n = utf8_char_len(p, end);
        print_char(out, p, n, x);
        x += char_width(p, x);
        p += n;
    }
    fputc('\n', out);

    /* Columns are characters; walk them to find display positions. */
    int last = l->last_line == l->first_line ? l->last_col : l->first_col;
    if (last < l->first_col)
        last = l->first_col;
    fprintf(out, " %*s | ", width, "");
    if (color)
        fputs(C_CARET, out);
    x = 0;
    const char *p = start;
    for (int col = 1; col <= last; col++) {
        int w = p < end ? char_width(p, x) : 1;
        if (col < l->first_col)
            fprintf(out, "%*s", w, "");
        else if (col == l->first_col) {
            fputc('^', out);
            for (int i = 1; i < w; i++)
                fputc(last > col ? '~' : ' ', out);
        } else
            for (int i = 0; i < w; i++)
                fputc('~', out);
        x += w;
        if (p < end)
            p += utf8_char_len(p, end);
    }
    if (color)
        fputs(C_RESET, out);
    fputc('\n', out);
}

static void print_one(FILE *out, const diag *g, bool color)
{
    static const char *const names[] = {"error", "warning", "note"};
    static const char *const colors[] = {C_ERROR, C_WARNING, C_NOTE};
    const src_loc *l = &g->loc;
    if (color)
        fputs(C_BOLD, out);
    if (l->file) {
        if (l->first_line > 0)
            fprintf(out, "%s:%d:%d: ", l->file->path, l->first_line, l->first_col);
        else
            fprintf(out, "%s: ", l->file->path);
    }
    if (color)
        fprintf(out, "%s%s: " C_RESET C_BOLD "%s" C_RESET "\n", colors[g->level],
                names[g->level], g->message);
    else
        fprintf(out, "%s: %s\n", names[g->level], g->message);
    if (l->file)
        print_snippet(out, g, color);
}

/* Bytes of text gathered before they go to the real stream. */
#define PRINT_CHUNK 65536

/* The memory stream diagnostics are formatted into. */
typedef struct print_buf {
    FILE *mem;
    char *data;
    size_t len;
} print_buf;

/* The stream to format into: a fresh memory stream, else out itself. */
static FILE *print_buf_open(print_buf *b, FILE *out)
{
    b->mem = open_memstream(&b->data, &b->len);
    return b->mem ? b->mem : out;
}

/* Hand what b gathered to out in one piece, and free it. */
static void print_buf_drain(print_buf *b, FILE *out)
{
    if (!b->mem)
        return;
    if (fclose(b->mem) == 0 && b->len)
        fwrite(b->data, 1, b->len, out);
    free(b->data);
    *b = (print_buf){0};
}

void diag_print(const diag_set *d, FILE *out, bool color)
{
    if (d->len == 0)
        return;
    print_buf buf = {0};
    FILE *sink = print_buf_open(&buf, out);
    const diag **order = malloc(d->len * sizeof *order);
    size_t *first_note = malloc(d->len * sizeof *first_note);
    size_t *next_note = malloc(d->len * sizeof *next_note);
    if (!order || !first_note || !next_note) {
        /* Unsorted is better than nothing. */
        for (size_t i = 0; i < d->len; i++)
            print_one(sink, &d->items[i], color);
        print_buf_drain(&buf, out);
        free(order);
        free(first_note);
        free(next_note);
        return;
    }

    /* Notes hang off their parent in arrival order: a linked list per
     * parent, built back to front. */
    for (size_t i = 0; i < d->len; i++)
        first_note[i] = next_note[i] = SIZE_MAX;
    size_t n = 0;
    for (size_t i = d->len; i-- > 0;) {
        const diag *g = &d->items[i];
        if (g->level == DIAG_NOTE && g->parent < d->len) {
            next_note[i] = first_note[g->parent];
            first_note[g->parent] = i;
        }
    }
    for (size_t i = 0; i < d->len; i++) {
        const diag *g = &d->items[i];
        if (g->level != DIAG_NOTE || g->parent >= d->len)
            order[n++] = g;
    }
    qsort(order, n, sizeof *order, cmp_diag);
    for (size_t k = 0; k < n; k++) {
        print_one(sink, order[k], color);
        size_t idx = (size_t)(order[k] - d->items);
        for (size_t j = first_note[idx]; j != SIZE_MAX; j = next_note[j])
            print_one(sink, &d->items[j], color);
        if (buf.mem && fflush(buf.mem) == 0 && buf.len >= PRINT_CHUNK) {
            print_buf_drain(&buf, out);
            sink = print_buf_open(&buf, out);
        }
    }
    print_buf_drain(&buf, out);
    fflush(out);
    free(order);
    free(first_note);
    free(next_note);
}
