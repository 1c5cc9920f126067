/*
 * A small mustache-like template renderer over jansson values.
 *
 *   {{name}}            the value of name: strings as they are, integers and
 *                       reals as JSON numbers, booleans as true/false, null as
 *                       nothing. No escaping: templates produce C, not HTML.
 *                       `{{.}}` is the current context, `{{a.b}}` descends.
 *   {{#name}}...{{/name}}  an array: once per element, the element pushed as
 *                       context; an object: once, pushed; true, a non-empty
 *                       string or a nonzero number: once; false, null, a
 *                       missing name, "", 0 or an empty array: not at all.
 *   {{^name}}...{{/name}}  the opposite: once exactly when # renders nothing.
 *   {{! comment }}      nothing.
 *
 * A name is looked up in the innermost context first, then outwards. An
 * unknown name in {{name}} is an error (it is almost always a typo); in a
 * section it only counts as false, so optional keys need no placeholders.
 *
 * A section, inverted, closing or comment tag that is alone on its line
 * (nothing but spaces or tabs around it) removes the whole line, newline
 * included, so templates can put control tags on lines of their own.
 *
 * Errors name the template and the place: "types.h.tmpl:12:5: unknown variable 'nmae'".
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

typedef struct tmpl tmpl;

typedef struct tmpl_error {
    int line, column;   /* 1-based place in the template; 0 if not about a place */
    char message[512];  /* "NAME:LINE:COLUMN: what went wrong", or "NAME: ..." */
} tmpl_error;

/* Compile template text. name is used in error messages (a file name, say).
 * The text is copied; it need not outlive the template. Returns NULL with err
 * filled on a syntax error (unclosed or mismatched section, unterminated tag,
 * empty name) or when out of memory. */
tmpl *tmpl_parse(const char *name, const char *text, size_t len, tmpl_error *err);

/* tmpl_parse of a file's contents; the path is the template's name. */
tmpl *tmpl_load(const char *path, tmpl_error *err);

/* Render with context as the outermost context. Returns a malloc'd,
 * NUL-terminated string (its length in *len if len is not NULL), or NULL with
 * err filled. */
char *tmpl_render(const tmpl *t, json_t *context, size_t *len, tmpl_error *err);

void tmpl_free(tmpl *t);

#endif
