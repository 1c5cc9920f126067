/* A string-keyed hash map (open addressing, linear probing) from a NUL-
 * terminated key to a size_t, e.g. an index into the caller's array. Keys
 * are borrowed: each must stay unchanged while the map holds it. No removal.
 * The table lives in an arena (released with it; a grown table's old storage
 * stays there until then) or, with no arena, on the heap (strmap_free). */
#ifndef DSL_STRMAP_H
#define DSL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct strmap_slot {
    const char *key; /* NULL: empty */
    size_t hash;
    size_t value;
} strmap_slot;

typedef struct strmap {
    strmap_slot *slots;
    size_t cap, len; /* cap: 0 or a power of two */
    arena *arena;    /* NULL: the heap */
} strmap;

/* An empty map (allocates nothing yet); a NULL for the heap. */
void strmap_init(strmap *m, arena *a);
/* Release a heap map's table; the map is empty again. */
void strmap_free(strmap *m);
/* The value of key, or NULL if absent. Valid until the next put. */
size_t *strmap_get(const strmap *m, const char *key);
/* Set key's value (insert or replace). False when out of memory. */
bool strmap_put(strmap *m, const char *key, size_t value);
/* The value of key if present (existing true), else key is inserted with
 * value. NULL when out of memory. Valid until the next put. */
size_t *strmap_get_or_put(strmap *m, const char *key, size_t value, bool *existing);

#endif
