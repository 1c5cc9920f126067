/* Diagnostics in GCC/clang style: see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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

    /* (memchr: every file read goes through here, and it skips a line at a
     * time rather than testing each byte) */
    size_t lines = 1;
    for (const char *q = t, *end = t + len; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        lines++;
    /* The line after a final newline counts: the end of the file has a
     * position a diagnostic can point at. */
    f->line_starts = malloc(lines * sizeof *f->line_starts);
    if (!f->line_starts) {
        source_file_free(f);
        return NULL;
    }
    size_t n = 0;
    f->line_starts[n++] = 0;
    for (const char *q = t, *end = t + len; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        f->line_starts[n++] = (size_t)(q - t) + 1;
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

diag_mark diag_mark_now(const diag_set *d)
{
    return (diag_mark){d->len, d->errors, d->error_reports, d->out_of_memory, d->dropping_notes};
}

void diag_rewind(diag_set *d, diag_mark m)
{
    for (size_t i = m.len; i < d->len; i++)
        free(d->items[i].message);
    d->len = m.len;
    d->errors = m.errors;
    /* report_locs[0, m.error_reports) is unchanged: it only grows */
    d->error_reports = m.error_reports;
    d->out_of_memory = m.out_of_memory;
    d->dropping_notes = m.dropping_notes;
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

/* The code point of a well-formed UTF-8 sequence of n bytes. */
static unsigned decode_utf8(const unsigned char *u, size_t n)
{
    if (n == 1)
        return u[0];
    unsigned cp = u[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (u[i] & 0x3F);
    return cp;
}

/* Characters a terminal would act on rather than show: C0 and C1 controls,
 * DEL, and the bidirectional overrides that make a line read differently
 * from what the compiler sees ("Trojan Source"). */
static bool hostile_code_point(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* How the character at p (n bytes) is shown when it starts at display column
 * x: its text into buf (at most 16 bytes), its width in columns as the
 * return value. A tab becomes spaces to the next tab stop; a control or
 * bidi character is escaped as clang does (<U+001B>), a byte that is not
 * UTF-8 as <FF>: shown lines cannot drive the terminal. */
static int shown_char(const char *p, size_t n, int x, char *buf, size_t *buf_len)
{
    const unsigned char *u = (const unsigned char *)p;
    if (*p == '\t') {
        int w = TAB_WIDTH - x % TAB_WIDTH;
        memset(buf, ' ', (size_t)w);
        *buf_len = (size_t)w;
        return w;
    }
    if (n == 1 && u[0] >= 0x80) {
        *buf_len = (size_t)snprintf(buf, 16, "<%02X>", u[0]);
        return (int)*buf_len;
    }
    unsigned cp = decode_utf8(u, n);
    if (hostile_code_point(cp)) {
        *buf_len = (size_t)snprintf(buf, 16, "<U+%04X>", cp);
        return (int)*buf_len;
    }
    memcpy(buf, p, n);
    *buf_len = n;
    return 1;   /* a wide character takes one column of the caret line too */
}

/* Characters of a message shown in text: a longer one (it quotes a
 * 200,000-character name or string) keeps its start and its end. JSON and
 * SARIF carry it whole. */
#define MESSAGE_HEAD 2000
#define MESSAGE_TAIL 1000

/* Text of a message or path with the same escapes as a shown line (tabs and
 * newlines kept: Chronon's messages may span lines). */
static void put_escaped(FILE *out, const char *s)
{
    const char *end = s + strlen(s);
    size_t chars = 0;
    for (const char *p = s; p < end; p += utf8_char_len(p, end))
        chars++;
    size_t cut_from = chars, cut_to = chars; /* characters [cut_from, cut_to) not shown */
    if (chars > MESSAGE_HEAD + MESSAGE_TAIL + 100) {
        cut_from = MESSAGE_HEAD;
        cut_to = chars - MESSAGE_TAIL;
    }
    size_t i = 0;
    for (const char *p = s; p < end; i++) {
        size_t n = utf8_char_len(p, end);
        char buf[16];
        size_t len;
        if (i == cut_from)
            fprintf(out, " ... [%zu characters not shown] ... ", cut_to - cut_from);
        if (i >= cut_from && i < cut_to) {
            /* skipped */
        } else if (*p == '\n' || *p == '\t') {
            fputc(*p, out);
        } else {
            shown_char(p, n, 0, buf, &len);
            fwrite(buf, 1, len, out);
        }
        p += n;
    }
}

/* Width in display columns of the characters of [start, end). */
static int line_width(const char *start, const char *end)
{
    int x = 0;
    char buf[16];
    size_t len;
    for (const char *p = start; p < end;) {
        size_t n = utf8_char_len(p, end);
        x += shown_char(p, n, x, buf, &len);
        p += n;
    }
    return x;
}

/* The part of a long line that is shown: display columns [from, to) of the
 * line, with "..." before when from > 0 and after when to < the line's
 * width. The whole line when it fits. */
typedef struct window {
    int from, to;
    bool cut_left, cut_right;
} window;

#define ELLIPSIS "..."
#define ELLIPSIS_WIDTH 3
#define MIN_WINDOW 40

/* Choose the window of a line `total` columns wide that shows the range
 * [xs, xe) (display columns; xe may pass the end of the line), in `room`
 * columns: the range centred as clang does, its start kept when it is wider
 * than the room. room <= 0: no limit. */
static window choose_window(int total, int xs, int xe, int room)
{
    window w = {0, total, false, false};
    int virtual_total = xe > total ? xe : total;
    if (room <= 0 || virtual_total <= room)
        return w;
    if (room < MIN_WINDOW)
        room = MIN_WINDOW;
    int inner = room - 2 * ELLIPSIS_WIDTH;           /* room for text when cut on both sides */
    int from;
    if (xe - xs > inner) {
        /* a range wider than the room: its start, after a little of what precedes it */
        int context = room / 4;
        from = xs > context ? xs - context : 0;
    } else {
        from = (xs + xe) / 2 - room / 2; /* the range centred */
    }
    if (from < 0)
        from = 0;
    if (from + room > virtual_total)
        from = virtual_total - room;
    int to = from + room;
    w.cut_left = from > 0;
    w.cut_right = to < total;
    w.from = w.cut_left ? from + ELLIPSIS_WIDTH : 0;
    w.to = w.cut_right ? to - ELLIPSIS_WIDTH : to;
    if (w.cut_left && w.from > xs) {   /* never hide the caret */
        w.to -= w.from - xs;
        w.from = xs;
    }
    return w;
}

/* Emit cells [x, x + width) of text clipped to the window (a character cut by
 * the window's edge becomes spaces). */
static void put_clipped(FILE *out, const window *w, int x, int width, const char *text, size_t len)
{
    if (x + width <= w->from || x >= w->to)
        return;
    if (x >= w->from && x + width <= w->to) {
        fwrite(text, 1, len, out);
        return;
    }
    int a = x > w->from ? x : w->from, b = x + width < w->to ? x + width : w->to;
    fprintf(out, "%*s", b - a, "");
}

/* The source line of loc and, under it, the caret and tildes; a line wider
 * than `width` columns (gutter included) is shown as a window around the
 * caret. */
static void print_snippet(FILE *out, const diag *g, bool color, int width)
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
    int gutter = digits(l->first_line) > 4 ? digits(l->first_line) : 4;

    /* Columns are characters; walk them to find display positions: the
     * range is display columns [xs, xe). */
    int last = l->last_line == l->first_line ? l->last_col : l->first_col;
    if (last < l->first_col)
        last = l->first_col;
    int xs = 0, xe = 0, x = 0;
    {
        const char *p = start;
        char buf[16];
        size_t len;
        for (int col = 1; col <= last; col++) {
            int w = 1;
            if (p < end) {
                size_t n = utf8_char_len(p, end);
                w = shown_char(p, n, x, buf, &len);
                p += n;
            }
            if (col == l->first_col)
                xs = x;
            x += w;
        }
        xe = x;
    }
    int total = line_width(start, end);
    window win = choose_window(total, xs, xe, width > 0 ? width - (gutter + 4) : 0);

    fprintf(out, " %*d | ", gutter, l->first_line);
    if (win.cut_left)
        fputs(ELLIPSIS, out);
    x = 0;
    for (const char *p = start; p < end && x < win.to;) {
        size_t n = utf8_char_len(p, end);
        char buf[16];
        size_t len;
        int w = shown_char(p, n, x, buf, &len);
        put_clipped(out, &win, x, w, buf, len);
        x += w;
        p += n;
    }
    if (win.cut_right)
        fputs(ELLIPSIS, out);
    fputc('\n', out);

    fprintf(out, " %*s | ", gutter, "");
    if (color)
        fputs(C_CARET, out);
    if (win.cut_left)
        fprintf(out, "%*s", ELLIPSIS_WIDTH, "");
    /* under the line beyond its end (a range past it) nothing is cut */
    window marks = win;
    if (!win.cut_right)
        marks.to = xe > win.to ? xe : win.to;
    x = 0;
    const char *p = start;
    for (int col = 1; col <= last && x < marks.to; col++) {
        int w = 1;
        if (p < end) {
            char buf[16];
            size_t len, n = utf8_char_len(p, end);
            w = shown_char(p, n, x, buf, &len);
            p += n;
        }
        char cells[64];
        int k = w < (int)sizeof cells ? w : (int)sizeof cells;
        if (col < l->first_col)
            memset(cells, ' ', (size_t)k);
        else if (col == l->first_col) {
            cells[0] = '^';
            memset(cells + 1, last > col ? '~' : ' ', (size_t)k - 1);
        } else
            memset(cells, '~', (size_t)k);
        /* no blanks after a lone caret on a wide cell (a tab, an escape) */
        if (col == l->first_col && last == col)
            k = 1;
        put_clipped(out, &marks, x, k, cells, (size_t)k);
        x += w;
    }
    if (color)
        fputs(C_RESET, out);
    fputc('\n', out);
}

static void print_one(FILE *out, const diag *g, bool color, int width)
{
    static const char *const names[] = {"error", "warning", "note"};
    static const char *const colors[] = {C_ERROR, C_WARNING, C_NOTE};
    const src_loc *l = &g->loc;
    if (color)
        fputs(C_BOLD, out);
    if (l->file) {
        put_escaped(out, l->file->path);
        if (l->first_line > 0)
            fprintf(out, ":%d:%d: ", l->first_line, l->first_col);
        else
            fputs(": ", out);
    }
    if (color)
        fprintf(out, "%s%s: " C_RESET C_BOLD, colors[g->level], names[g->level]);
    else
        fprintf(out, "%s: ", names[g->level]);
    put_escaped(out, g->message);
    fputs(color ? C_RESET "\n" : "\n", out);
    if (l->file)
        print_snippet(out, g, color, width);
}

/* ---- JSON lines and SARIF ------------------------------------------------------ */

/* s as a JSON string: escapes for quotes, backslashes and controls; a byte
 * that is not UTF-8 becomes U+FFFD (JSON text must be UTF-8). */
static void put_json_string(FILE *out, const char *s)
{
    const char *end = s + strlen(s);
    fputc('"', out);
    for (const char *p = s; p < end;) {
        size_t n = utf8_char_len(p, end);
        unsigned char c = (unsigned char)*p;
        if (n == 1 && c >= 0x80)
            fputs("\\ufffd", out);
        else if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\u%04x", c);
        else
            fwrite(p, 1, n, out);
        p += n;
    }
    fputc('"', out);
}

/* A file path as a URI reference relative to the repo root: RFC 3986
 * unreserved characters and '/' as they are, every other byte %XX. */
static void put_uri(FILE *out, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '.' || *p == '_' || *p == '~' || *p == '/')
            fputc(*p, out);
        else
            fprintf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

/* A "did you mean 'X'?" at the end of a message whose range is one name on
 * one line: the fix-it is that range replaced by X. The suggestion is
 * copied into buf; false when there is none. */
static bool fixit_of(const diag *g, char *buf, size_t size)
{
    static const char ask[] = "did you mean '";
    const src_loc *l = &g->loc;
    const char *at = strstr(g->message, ask);
    if (!at || !l->file || l->first_line < 1 || l->first_line != l->last_line || l->last_col < l->first_col ||
        (size_t)l->first_line > l->file->line_count)
        return false;
    const char *name = at + sizeof ask - 1, *close = strchr(name, '\'');
    if (!close || strcmp(close, "'?") != 0 || close == name || (size_t)(close - name) >= size)
        return false;
    /* the range's text: a (dotted) name, not a whole call or statement */
    const source_file *f = l->file;
    const char *p = f->text + line_begin(f, (size_t)l->first_line - 1), *end = f->text + f->len;
    for (int col = 1; col < l->first_col && p < end && *p != '\n'; col++)
        p += utf8_char_len(p, end);
    for (int col = l->first_col; col <= l->last_col; col++, p++)
        if (p >= end || !(*p == '_' || *p == '.' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                          (col > l->first_col && *p >= '0' && *p <= '9')))
            return false;
    memcpy(buf, name, (size_t)(close - name));
    buf[close - name] = '\0';
    return true;
}

static const char *const level_names[] = {"error", "warning", "note"};

/* "file", "line", "column", "end_line", "end_column" of l (end inclusive,
 * columns in characters); nothing when l has no file. */
static void put_json_position(FILE *out, const src_loc *l)
{
    if (!l->file)
        return;
    fputs("\"file\":", out);
    put_json_string(out, l->file->path);
    if (l->first_line > 0) {
        int last_line = l->last_line >= l->first_line ? l->last_line : l->first_line;
        int last_col = l->last_line >= l->first_line ? l->last_col : l->first_col;
        fprintf(out, ",\"line\":%d,\"column\":%d,\"end_line\":%d,\"end_column\":%d", l->first_line, l->first_col,
                last_line, last_col);
    }
    fputc(',', out);
}

static void put_json_fixit(FILE *out, const diag *g, bool *first)
{
    char hint[256];
    if (!fixit_of(g, hint, sizeof hint))
        return;
    fputs(*first ? "" : ",", out);
    *first = false;
    fputc('{', out);
    put_json_position(out, &g->loc);
    fputs("\"replacement\":", out);
    put_json_string(out, hint);
    fputc('}', out);
}

/* One error or warning (or a note without one) and its notes as a JSON
 * line. */
static void print_json_line(FILE *out, const diag *g, const diag *items, const size_t *first_note,
                            const size_t *next_note)
{
    size_t idx = (size_t)(g - items);
    fputc('{', out);
    put_json_position(out, &g->loc);
    fprintf(out, "\"severity\":\"%s\",\"message\":", level_names[g->level]);
    put_json_string(out, g->message);
    fputs(",\"notes\":[", out);
    for (size_t j = first_note[idx]; j != SIZE_MAX; j = next_note[j]) {
        fputs(j == first_note[idx] ? "{" : ",{", out);
        put_json_position(out, &items[j].loc);
        fputs("\"message\":", out);
        put_json_string(out, items[j].message);
        fputc('}', out);
    }
    fputs("],\"fixits\":[", out);
    bool first = true;
    put_json_fixit(out, g, &first);
    for (size_t j = first_note[idx]; j != SIZE_MAX; j = next_note[j])
        put_json_fixit(out, &items[j], &first);
    fputs("]}\n", out);
}

/* A SARIF physicalLocation of l (which has a file, or else is at anchor,
 * line 1). A location without a line is at line 1 of its file: code
 * scanning places results on lines. */
static void put_sarif_physical(FILE *out, const src_loc *l, const char *anchor)
{
    fputs("{\"artifactLocation\":{\"uri\":\"", out);
    put_uri(out, l->file ? l->file->path : anchor);
    fputs("\",\"uriBaseId\":\"%SRCROOT%\"}", out);
    if (!l->file || l->first_line < 1) {
        fputs(",\"region\":{\"startLine\":1}", out);
    } else {
        /* SARIF's end column is the one after the region */
        int last_line = l->last_line >= l->first_line ? l->last_line : l->first_line;
        int end_col = l->last_line >= l->first_line ? l->last_col + 1 : l->first_col;
        if (last_line == l->first_line && end_col < l->first_col)
            end_col = l->first_col;
        fprintf(out, ",\"region\":{\"startLine\":%d,\"startColumn\":%d,\"endLine\":%d,\"endColumn\":%d}",
                l->first_line, l->first_col > 0 ? l->first_col : 1, last_line, end_col > 0 ? end_col : 1);
    }
    fputc('}', out);
}

static void put_sarif_fix(FILE *out, const diag *g, bool *first)
{
    char hint[256];
    if (!fixit_of(g, hint, sizeof hint))
        return;
    fputs(*first ? "" : ",", out);
    *first = false;
    fputs("{\"description\":{\"text\":", out);
    char text[300];
    snprintf(text, sizeof text, "Replace with '%s'", hint);
    put_json_string(out, text);
    fputs("},\"artifactChanges\":[{\"artifactLocation\":{\"uri\":\"", out);
    put_uri(out, g->loc.file->path);
    fputs("\",\"uriBaseId\":\"%SRCROOT%\"},\"replacements\":[{\"deletedRegion\":", out);
    /* the region alone, as put_sarif_physical writes it */
    const src_loc *l = &g->loc;
    fprintf(out, "{\"startLine\":%d,\"startColumn\":%d,\"endLine\":%d,\"endColumn\":%d}", l->first_line,
            l->first_col, l->first_line, l->last_col + 1);
    fputs(",\"insertedContent\":{\"text\":", out);
    put_json_string(out, hint);
    fputs("}}]}]}", out);
}

static void print_sarif_result(FILE *out, const diag *g, const diag *items, const size_t *first_note,
                               const size_t *next_note, bool first, const char *anchor)
{
    size_t idx = (size_t)(g - items);
    fprintf(out, "%s\n    {\"ruleId\":\"chrononc.%s\",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":{\"text\":",
            first ? "" : ",", level_names[g->level], (int)g->level, level_names[g->level]);
    /* code scanning shows message.text only: the notes go into it too */
    {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (m) {
            fputs(g->message, m);
            for (size_t j = first_note[idx]; j != SIZE_MAX; j = next_note[j]) {
                const diag *n = &items[j];
                fputs("\nnote: ", m);
                if (n->loc.file && n->loc.file != g->loc.file && n->loc.first_line > 0)
                    fprintf(m, "%s:%d:%d: ", n->loc.file->path, n->loc.first_line, n->loc.first_col);
                else if (n->loc.file && n->loc.first_line > 0 && n->loc.first_line != g->loc.first_line)
                    fprintf(m, "line %d: ", n->loc.first_line);
                fputs(n->message, m);
            }
        }
        if (m && fclose(m) == 0)
            put_json_string(out, text);
        else
            put_json_string(out, g->message);
        free(text);
    }
    fputc('}', out);
    if (g->loc.file || anchor) {
        fputs(",\"locations\":[{\"physicalLocation\":", out);
        put_sarif_physical(out, &g->loc, anchor);
        fputs("}]", out);
    }
    /* notes with a place; those without one are in the message text only
     * (a location without an artifact is refused too) */
    bool any = false;
    int id = 0;
    for (size_t j = first_note[idx]; j != SIZE_MAX; j = next_note[j]) {
        const diag *n = &items[j];
        if (!n->loc.file)
            continue;
        fputs(any ? "," : ",\"relatedLocations\":[", out);
        any = true;
        fprintf(out, "{\"id\":%d,\"physicalLocation\":", id++);
        put_sarif_physical(out, &n->loc, anchor);
        fputs(",\"message\":{\"text\":", out);
        put_json_string(out, n->message);
        fputs("}}", out);
    }
    if (any)
        fputc(']', out);
    bool first_fix = true;
    char hint[256];
    bool has_fix = fixit_of(g, hint, sizeof hint);
    for (size_t j = first_note[idx]; !has_fix && j != SIZE_MAX; j = next_note[j])
        has_fix = fixit_of(&items[j], hint, sizeof hint);
    if (has_fix) {
        fputs(",\"fixes\":[", out);
        put_sarif_fix(out, g, &first_fix);
        for (size_t j = first_note[idx]; j != SIZE_MAX; j = next_note[j])
            put_sarif_fix(out, &items[j], &first_fix);
        fputc(']', out);
    }
    fputc('}', out);
}

static void print_sarif_head(FILE *out, const diag_style *style)
{
    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n"
          "  \"runs\": [{\n"
          "   \"tool\": {\"driver\": {\"name\": \"chrononc\"", out);
    if (style->tool_version) {
        fputs(", \"version\": ", out);
        put_json_string(out, style->tool_version);
    }
    fputs(", \"informationUri\": \"https://github.com/airbnb/chronon\",\n"
          "    \"rules\": [\n"
          "     {\"id\": \"chrononc.error\", \"name\": \"DefinitionError\", "
          "\"shortDescription\": {\"text\": \"A Chronon definition that chrononc compile rejects\"}, "
          "\"defaultConfiguration\": {\"level\": \"error\"}},\n"
          "     {\"id\": \"chrononc.warning\", \"name\": \"DefinitionWarning\", "
          "\"shortDescription\": {\"text\": \"A Chronon definition that compiles but is probably not what was "
          "meant\"}, \"defaultConfiguration\": {\"level\": \"warning\"}},\n"
          "     {\"id\": \"chrononc.note\", \"name\": \"DefinitionNote\", "
          "\"shortDescription\": {\"text\": \"More about a Chronon definition\"}, "
          "\"defaultConfiguration\": {\"level\": \"note\"}}]}},\n"
          "   \"columnKind\": \"unicodeCodePoints\",\n"
          "   \"results\": [",
          out);
}

static void print_sarif_tail(FILE *out, bool any)
{
    fputs(any ? "\n   ]\n  }]\n}\n" : "]\n  }]\n}\n", out);
}

/* ---- output ------------------------------------------------------------------ */

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

bool diag_parse_format(const char *s, diag_format *out)
{
    static const char *const names[] = {"text", "json", "sarif"};
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (diag_format)i;
            return true;
        }
    return false;
}

bool diag_parse_color(const char *s, diag_color *out)
{
    static const char *const names[] = {"auto", "always", "never"};
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (diag_color)i;
            return true;
        }
    return false;
}

bool diag_use_color(diag_color when, int fd)
{
    if (when != DIAG_COLOR_AUTO)
        return when == DIAG_COLOR_ALWAYS;
    /* https://no-color.org: present and not empty disables colour by default */
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        return false;
    const char *term = getenv("TERM");
    return isatty(fd) && !(term && strcmp(term, "dumb") == 0);
}

int diag_output_width(int fd)
{
    struct winsize ws;
    if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    if (columns && *columns) {
        char *end;
        long n = strtol(columns, &end, 10);
        if (!*end && n > 0 && n <= 100000)
            return (int)n;
    }
    return DIAG_DEFAULT_WIDTH;
}

void diag_print(const diag_set *d, FILE *out, bool color)
{
    diag_style style = {.format = DIAG_FORMAT_TEXT, .color = color, .width = diag_output_width(fileno(out))};
    diag_print_styled(d, out, &style);
}

void diag_print_styled(const diag_set *d, FILE *out, const diag_style *style)
{
    if (d->len == 0 && style->format != DIAG_FORMAT_SARIF)
        return;
    print_buf buf = {0};
    FILE *sink = print_buf_open(&buf, out);
    size_t cap = d->len ? d->len : 1;
    const diag **order = malloc(cap * sizeof *order);
    size_t *first_note = malloc(cap * sizeof *first_note);
    size_t *next_note = malloc(cap * sizeof *next_note);
    if (!order || !first_note || !next_note) {
        /* Unsorted, and in text, is better than nothing. */
        for (size_t i = 0; i < d->len; i++)
            print_one(sink, &d->items[i], style->color, style->width);
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
    if (style->format == DIAG_FORMAT_SARIF)
        print_sarif_head(sink, style);
    for (size_t k = 0; k < n; k++) {
        size_t idx = (size_t)(order[k] - d->items);
        if (style->format == DIAG_FORMAT_JSON) {
            print_json_line(sink, order[k], d->items, first_note, next_note);
        } else if (style->format == DIAG_FORMAT_SARIF) {
            print_sarif_result(sink, order[k], d->items, first_note, next_note, k == 0, style->sarif_anchor);
        } else {
            print_one(sink, order[k], style->color, style->width);
            for (size_t j = first_note[idx]; j != SIZE_MAX; j = next_note[j])
                print_one(sink, &d->items[j], style->color, style->width);
        }
        if (buf.mem && fflush(buf.mem) == 0 && buf.len >= PRINT_CHUNK) {
            print_buf_drain(&buf, out);
            sink = print_buf_open(&buf, out);
        }
    }
    if (style->format == DIAG_FORMAT_SARIF)
        print_sarif_tail(sink, n > 0);
    print_buf_drain(&buf, out);
    fflush(out);
    free(order);
    free(first_note);
    free(next_note);
}
