/* The bump allocator behind every parse: see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most parses fit in one or two blocks of this size; bigger requests get a
 * block of their own so that a huge string does not waste a normal block's
 * tail and a normal block is not made huge. */
#define ARENA_BLOCK_SIZE ((size_t)64 * 1024)
#define ARENA_BIG (ARENA_BLOCK_SIZE / 4)

struct arena_block {
    arena_block *next;
    size_t size;
    size_t used; /* once it is not the head: the bytes handed out of it */
    /* The payload starts here; the union keeps it aligned for any type. */
    union { max_align_t align; unsigned char bytes[1]; } data[];
};

void arena_init(arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->cap = 0;
    a->base = NULL;
    a->total = 0;
    a->watch = false;
    a->escaped = false;
    a->pinned = false;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena_init(a);
}

static arena_block *block_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(arena_block))
        return NULL;
    arena_block *b = malloc(sizeof(arena_block) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = size;
    return b;
}

/* The head block became b (used bytes of it taken). */
static void set_head(arena *a, arena_block *b, size_t used)
{
    a->head = b;
    a->used = used;
    a->cap = b->size;
    a->base = (unsigned char *)b->data;
}

void *arena_alloc_slow(arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

    if (rounded >= ARENA_BIG) {
        /* Linked behind the head so the head's free tail stays usable. */
        arena_block *b = block_new(rounded);
        if (!b)
            return NULL;
        if (a->head) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = NULL;
            set_head(a, b, rounded);
        }
        a->total += rounded;
        memset(b->data, 0, rounded);
        return b->data;
    }

    if (!a->head || a->head->size - a->used < rounded) {
        arena_block *b = block_new(ARENA_BLOCK_SIZE);
        if (!b)
            return NULL;
        if (a->head)
            a->head->used = a->used;
        b->next = a->head;
        set_head(a, b, 0);
    }
    unsigned char *p = (unsigned char *)a->head->data + a->used;
    a->used += rounded;
    a->total += rounded;
    memset(p, 0, rounded);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_sprintf(arena *a, const char *fmt, ...)
{
    /* Most results are short: format once into a local buffer and copy;
     * only a longer one is formatted a second time, into the arena. */
    char local[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(local, sizeof local, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof local)
        return arena_strndup(a, local, (size_t)n);
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

bool arena_contains(const arena *a, const void *p)
{
    const unsigned char *q = p;
    for (const arena_block *b = a->head; b; b = b->next)
        if (q >= (const unsigned char *)b->data && q < (const unsigned char *)b->data + b->size)
            return true;
    return false;
}

void arena_adopt(arena *dst, arena *src)
{
    if (!src->head)
        return;
    src->head->used = src->used;
    arena_block *last = src->head;
    while (last->next)
        last = last->next;
    if (dst->head) {
        /* behind dst's head, which stays the block new allocations go to */
        last->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        set_head(dst, src->head, src->used);
    }
    dst->total += src->total;
    src->head = NULL;
    src->used = src->cap = 0;
    src->base = NULL;
    src->total = 0;
}

const arena_block *arena_first_block(const arena *a) { return a->head; }
const arena_block *arena_next_block(const arena_block *b) { return b->next; }

const void *const *arena_block_words(const arena *a, const arena_block *b, size_t *n)
{
    *n = (b == a->head ? a->used : b->used) / sizeof(void *);
    return (const void *const *)(const void *)b->data;
}
