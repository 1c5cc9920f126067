/* See strmap.h. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a, 64 bits */
static size_t hash_str(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211u;
    }
    return (size_t)h;
}

void strmap_init(strmap *m, arena *a)
{
    m->slots = NULL;
    m->cap = m->len = 0;
    m->arena = a;
}

void strmap_free(strmap *m)
{
    if (!m->arena)
        free(m->slots);
    strmap_init(m, m->arena);
}

static strmap_slot *find_slot(const strmap *m, const char *key, size_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
    }
}

size_t *strmap_get(const strmap *m, const char *key)
{
    if (!m->len)
        return NULL;
    strmap_slot *s = find_slot(m, key, hash_str(key));
    return s->key ? &s->value : NULL;
}

static bool grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    if (cap > SIZE_MAX / sizeof(strmap_slot))
        return false;
    strmap_slot *slots = m->arena ? arena_alloc(m->arena, cap * sizeof *slots) : calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    strmap old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *find_slot(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
    if (!m->arena)
        free(old.slots);
    return true;
}

size_t *strmap_get_or_put(strmap *m, const char *key, size_t value, bool *existing)
{
    /* at most half full, so probes stay short and an empty slot exists */
    if ((m->len + 1) * 2 > m->cap && !grow(m))
        return NULL;
    size_t h = hash_str(key);
    strmap_slot *s = find_slot(m, key, h);
    *existing = s->key != NULL;
    if (!s->key) {
        s->key = key;
        s->hash = h;
        s->value = value;
        m->len++;
    }
    return &s->value;
}

bool strmap_put(strmap *m, const char *key, size_t value)
{
    bool existing;
    size_t *v = strmap_get_or_put(m, key, value, &existing);
    if (v)
        *v = value;
    return v != NULL;
}
