/* A bump allocator: everything a parse or a compile allocates goes into one
 * arena and is released at once. Allocation failure is reported, not fatal. */
#ifndef DSL_ARENA_H
#define DSL_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;
    size_t used;   /* in head */
    size_t total;  /* bytes handed out, for statistics */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
/* Zeroed memory, aligned for pointers, 64-bit integers and doubles (not
 * for long double or other over-aligned types); NULL if out of memory. */
void *arena_alloc(arena *a, size_t size);
/* NUL-terminated copy of s[0..n); NULL if out of memory. */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_sprintf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
