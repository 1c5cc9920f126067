/* Diagnostics in the style of GCC and clang:
 *
 *   joins/team/training.py:12:5: error: unknown keyword argument 'windws' to Aggregation
 *      12 |     windws=[7],
 *         |     ^~~~~~
 *   joins/team/training.py:12:5: note: did you mean 'windows'?
 *
 * A diag_set collects every diagnostic of a run; diag_print sorts errors and
 * warnings by file and position and prints each with its source line, a caret
 * under the start and tildes under the rest of the range (when it is on one
 * line), followed by its notes (a note belongs to the error or warning added
 * just before it) in the order they were added. */
#ifndef DSL_DIAG_H
#define DSL_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A source file, loaded once and shared by every location that points into it. */
typedef struct source_file {
    char *path;        /* as shown in diagnostics (relative to the repo root) */
    char *text;        /* whole file, NUL-terminated */
    size_t len;
    size_t *line_starts;  /* byte offset of each line's start; line N is [N-1] */
    size_t line_count;
} source_file;

/* A range in a file. Lines and columns are 1-based; a column counts
 * characters (UTF-8 code points), not bytes, as editors do. The range is
 * [first, last] inclusive; last_col may equal first_col - 1 for an empty range. */
typedef struct src_loc {
    const source_file *file;
    int first_line, first_col;
    int last_line, last_col;
} src_loc;

typedef enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag {
    diag_level level;
    src_loc loc;        /* file may be NULL for a diagnostic about no file */
    char *message;      /* malloc'd */
    size_t seq;         /* order of arrival */
    size_t parent;      /* a note: index of the error or warning it belongs to */
} diag;

typedef struct diag_set {
    diag *items;
    size_t len, cap;
    size_t errors;      /* count of DIAG_ERROR */
    size_t error_reports; /* DIAG_ERROR reports, duplicates included: "did this step fail?" */
    src_loc *report_locs; /* where each of those reports pointed, in order (heap) */
    size_t report_locs_cap;
    bool out_of_memory; /* a diagnostic could not be recorded */
    bool dropping_notes;/* the last error/warning was a duplicate: drop its notes too */
} diag_set;

source_file *source_file_new(const char *path, char *text, size_t len); /* takes text */
void source_file_free(source_file *f);

/* Line and column (1-based, columns in characters) of a byte offset into f;
 * an offset at or past the end gives the position just after the last
 * character. */
void source_position(const source_file *f, size_t offset, int *line, int *col);

/* Bytes in the character at s (s < end): a well-formed UTF-8 sequence, or 1
 * for a byte that starts none; columns count such a byte as one character. */
size_t utf8_char_len(const char *s, const char *end);

void diag_init(diag_set *d);
void diag_free(diag_set *d);
/* An error or warning identical to one already recorded (same level, file
 * path, position and message) is dropped with its notes: a definition
 * evaluated again (a comprehension's body, a module loaded by two compile
 * passes) reports each problem once. */
void diag_add(diag_set *d, diag_level level, src_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define diag_error(d, loc, ...) diag_add((d), DIAG_ERROR, (loc), __VA_ARGS__)
#define diag_note(d, loc, ...) diag_add((d), DIAG_NOTE, (loc), __VA_ARGS__)

/* Where the n-th error report (0-based, duplicates included: the order of
 * error_reports) pointed; a location with no file when unknown. */
src_loc diag_error_report_loc(const diag_set *d, size_t n);

/* Add every diagnostic of from to d, in from's order of arrival (what a
 * worker thread collected on its own set). */
void diag_append(diag_set *d, const diag_set *from);

/* A point in a set's history, and going back to it: every diagnostic added
 * since is dropped, as if it had never been added (a parse that is redone
 * takes back what its first attempt reported). */
typedef struct diag_mark {
    size_t len, errors, error_reports;
    bool out_of_memory, dropping_notes;
} diag_mark;
diag_mark diag_mark_now(const diag_set *d);
void diag_rewind(diag_set *d, diag_mark m);

/* How diagnostics are printed. */
typedef enum diag_format {
    DIAG_FORMAT_TEXT,  /* file:line:col: level: message, the source line, caret */
    DIAG_FORMAT_JSON,  /* one JSON object a line per error or warning, its notes and fix-its inside */
    DIAG_FORMAT_SARIF, /* one SARIF 2.1.0 log (GitHub code scanning), even with no diagnostics */
} diag_format;

typedef enum diag_color { DIAG_COLOR_AUTO, DIAG_COLOR_ALWAYS, DIAG_COLOR_NEVER } diag_color;

/* Columns a source line may take when the output is no terminal and COLUMNS
 * is not set: a log or a file, read in a viewer that does not wrap at 80.
 * Wide enough that ordinary code (black at 88, house styles at 120, a long
 * call at 160) is shown whole; a minified or generated line is not. */
#define DIAG_DEFAULT_WIDTH 200

typedef struct diag_style {
    diag_format format;
    bool color;               /* text: the terminal colors clang uses */
    int width;                /* text: a source line wider than this (gutter included) is shown as a
                                 window around the caret; <= 0: whole */
    const char *tool_version; /* sarif: the driver's version; NULL: none */
    const char *sarif_anchor; /* sarif: the file (relative to the root) a result about no file is
                                 located at, line 1: GitHub code scanning refuses a whole log with
                                 a result that has no location; NULL: no location */
} diag_style;

/* "text", "json", "sarif"; "auto", "always", "never". False for anything else. */
bool diag_parse_format(const char *s, diag_format *out);
bool diag_parse_color(const char *s, diag_color *out);
/* Whether to color output to fd: always, never, or (auto) when fd is a
 * terminal, TERM is not "dumb" and NO_COLOR is unset or empty. */
bool diag_use_color(diag_color when, int fd);
/* The width of the terminal fd is, else $COLUMNS, else DIAG_DEFAULT_WIDTH. */
int diag_output_width(int fd);

/* Print all, sorted by (file, line, column, arrival), to out, as style says.
 * Text: every diagnostic, then its notes; control characters, bidi controls
 * and bytes that are not UTF-8 in a shown line, a message or a path are
 * escaped (<U+001B>, <FF>). JSON: "file", "line", "column", "end_line",
 * "end_column" (columns in characters, the end inclusive; no position keys
 * for a diagnostic about no file), "severity", "message", "notes" (each with
 * its own position and message) and "fixits" (the "did you mean" ones: a
 * position and its "replacement"). The text is assembled in memory and
 * handed to out in large pieces, whole diagnostics each: an unbuffered
 * stderr gets a few write calls, not one per character. */
void diag_print_styled(const diag_set *d, FILE *out, const diag_style *style);

/* Text, with color or not, a line as wide as diag_output_width(fileno(out)). */
void diag_print(const diag_set *d, FILE *out, bool color);

#endif
