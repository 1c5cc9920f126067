/* Put the materialized modeToEnvMaps back into a new config; see env_preserve.h.
 *
 * compile.py parses both files with Python's json, finds every "modeToEnvMap"
 * key in the old one (descending into objects, and into the objects inside
 * arrays), sets each at the same path of the new one when the path's parents
 * exist there (an object key, or an array index), and dumps the result with
 * indent=2. jansson keeps object keys in insertion order, and a replaced key
 * keeps its place, as a Python dict does; the dump below is json.dumps'. */
#include "env_preserve.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyjson.h"
#include "read_file.h"

#define MAX_DEPTH 64

typedef struct step {
    const char *key; /* an object key, or NULL for an array index */
    size_t index;
} step;

/* Set value at path (then "modeToEnvMap") in new, if the path exists there. */
static bool apply(json_t *new, const step *path, size_t depth, json_t *value)
{
    json_t *cur = new;
    for (size_t i = 0; i < depth && cur; i++)
        cur = path[i].key ? json_object_get(cur, path[i].key) : json_array_get(cur, path[i].index);
    return json_is_object(cur) && json_object_set(cur, "modeToEnvMap", value) == 0;
}

/* Walk old; set each modeToEnvMap found into new. Counts what was set. */
static void walk(json_t *old, json_t *new, step *path, size_t depth, size_t *applied)
{
    if (depth >= MAX_DEPTH)
        return;
    const char *key;
    json_t *v;
    json_object_foreach(old, key, v) {
        if (strcmp(key, "modeToEnvMap") == 0) {
            if (apply(new, path, depth, v))
                (*applied)++;
        } else if (json_is_object(v)) {
            path[depth] = (step){.key = key};
            walk(v, new, path, depth + 1, applied);
        } else if (json_is_array(v)) {
            path[depth] = (step){.key = key};
            for (size_t i = 0; i < json_array_size(v) && depth + 2 < MAX_DEPTH; i++)
                if (json_is_object(json_array_get(v, i))) {
                    path[depth + 1] = (step){.index = i};
                    walk(json_array_get(v, i), new, path, depth + 2, applied);
                }
        }
    }
}

static void indent(tj_buf *b, size_t level)
{
    tj_buf_putc(b, '\n');
    for (size_t i = 0; i < level; i++)
        tj_buf_puts(b, "  ");
}

/* json.dumps(v, indent=2) */
static bool dump(tj_buf *b, json_t *v, size_t level)
{
    char num[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (json_object_size(v) == 0) {
            tj_buf_puts(b, "{}");
            return true;
        }
        tj_buf_putc(b, '{');
        const char *key;
        json_t *item;
        size_t n = 0;
        json_object_foreach(v, key, item) {
            if (n++)
                tj_buf_putc(b, ',');
            indent(b, level + 1);
            if (!pyjson_put_string(b, key, strlen(key)))
                return false;
            tj_buf_puts(b, ": ");
            if (!dump(b, item, level + 1))
                return false;
        }
        indent(b, level);
        tj_buf_putc(b, '}');
        return true;
    }
    case JSON_ARRAY:
        if (json_array_size(v) == 0) {
            tj_buf_puts(b, "[]");
            return true;
        }
        tj_buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                tj_buf_putc(b, ',');
            indent(b, level + 1);
            if (!dump(b, json_array_get(v, i), level + 1))
                return false;
        }
        indent(b, level);
        tj_buf_putc(b, ']');
        return true;
    case JSON_STRING:
        return pyjson_put_string(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        tj_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return true;
    case JSON_REAL: {
        double x = json_real_value(v);
        if (!isfinite(x))
            tj_buf_puts(b, isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
        else
            tj_buf_put(b, num, pyjson_format_double(x, num));
        return true;
    }
    case JSON_TRUE:
        tj_buf_puts(b, "true");
        return true;
    case JSON_FALSE:
        tj_buf_puts(b, "false");
        return true;
    case JSON_NULL:
        tj_buf_puts(b, "null");
        return true;
    }
    return false;
}

bool preserve_mode_to_env_maps(const char *old_path, char **json, size_t *len, char *why, size_t why_size)
{
    char err[64];
    size_t old_len;
    char *old_text = read_file(old_path, &old_len, err, sizeof err);
    json_t *old = old_text ? json_loadb(old_text, old_len, JSON_ALLOW_NUL, NULL) : NULL;
    free(old_text);
    if (!json_is_object(old)) { /* compile.py: JSONDecodeError or IOError, pass */
        json_decref(old);
        return true;
    }
    json_error_t jerr;
    json_t *new = json_loadb(*json, *len, JSON_ALLOW_NUL, &jerr);
    if (!new) {
        json_decref(old);
        snprintf(why, why_size, "the new config is not JSON: %s", jerr.text);
        return false;
    }
    step path[MAX_DEPTH];
    size_t applied = 0;
    walk(old, new, path, 0, &applied);
    bool ok = true;
    if (applied) {
        tj_buf b = {0};
        ok = dump(&b, new, 0) && !b.failed;
        if (ok) {
            free(*json);
            *json = tj_buf_take(&b, len);
            ok = *json != NULL;
        } else {
            tj_buf_free(&b);
        }
        if (!ok)
            snprintf(why, why_size, "out of memory or a string that is not UTF-8");
    }
    json_decref(new);
    json_decref(old);
    return ok;
}
