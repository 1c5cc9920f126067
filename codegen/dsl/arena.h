/* A bump allocator: everything a parse or a compile allocates goes into one
 * arena and is released at once. Allocation failure is reported, not fatal. */
#ifndef DSL_ARENA_H
#define DSL_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;
    size_t used;   /* in head */
    size_t cap;    /* head's size (0: no head) */
    unsigned char *base; /* head's payload */
    size_t total;  /* bytes handed out, for statistics */
    /* A watched arena holds one module's values while the module runs
     * (loader.c): a store into a container that is not in it (an older
     * module's list, a shared source's selects) is noted as an escape, since
     * the stored value would outlive the arena if it were freed. */
    bool watch;
    bool escaped;
    bool pinned; /* the loader's: kept whole because of an import cycle (escaped is set too) */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
/* What every allocation is aligned to: pointers, 64-bit integers and
 * doubles (not long double or other over-aligned types); 16 would waste 8
 * bytes of most values. */
#define ARENA_ALIGN _Alignof(union { void *p; long long i; double d; size_t z; })
/* arena_alloc when the head block has no room (a new block, or one of its
 * own for a big request). */
void *arena_alloc_slow(arena *a, size_t size);
/* Zeroed memory for size bytes, aligned to ARENA_ALIGN; NULL if out of
 * memory. Inline for the common case (room in the head block): most callers
 * ask for a constant sizeof, whose zeroing the compiler then writes in place. */
static inline void *arena_alloc(arena *a, size_t size)
{
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size != 0 && rounded >= size && rounded <= a->cap - a->used) {
        unsigned char *p = a->base + a->used;
        a->used += rounded;
        a->total += rounded;
        __builtin_memset(p, 0, rounded);
        return p;
    }
    return arena_alloc_slow(a, size);
}
/* NUL-terminated copy of s[0..n); NULL if out of memory. */
char *arena_strndup(arena *a, const char *s, size_t n);
/* Whether p points into one of a's blocks. */
bool arena_contains(const arena *a, const void *p);
/* Move every block of src into dst (src is left empty): what src holds now
 * lives as long as dst. */
void arena_adopt(arena *dst, arena *src);

/* Walking a's blocks word by word (arenas_pin_referenced). */
const arena_block *arena_first_block(const arena *a);
const arena_block *arena_next_block(const arena_block *b);
/* The pointer-aligned words handed out of b (*n of them). */
const void *const *arena_block_words(const arena *a, const arena_block *b, size_t *n);

/* A store into container while a is the arena new values go to: a
 * container outside a watched arena makes it escaped. Called by every
 * mutation of an existing list, dict or object. */
static inline void arena_note_store(arena *a, const void *container)
{
    if (a->watch && !a->escaped && !arena_contains(a, container))
        a->escaped = true;
}

char *arena_sprintf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
