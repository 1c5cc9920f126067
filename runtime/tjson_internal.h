/* Shared by the runtime's own files; not part of the public API. */
#ifndef TJSON_INTERNAL_H
#define TJSON_INTERNAL_H

#include <string.h>

#include "tjson.h"

/* Where a value lives: a field of obj, or an element of a container. For a
 * struct-typed field the slot holds a pointer; everywhere else the slot holds
 * the value itself (structs inline in containers). */
static inline void *tj_field_slot(const tj_field *f, void *obj) { return (char *)obj + f->offset; }
static inline const void *tj_field_cslot(const tj_field *f, const void *obj)
{
    return (const char *)obj + f->offset;
}

static inline bool tj_field_is_pointer(const tj_field *f)
{
    return f->type->kind == TJ_STRING || f->type->kind == TJ_STRUCT;
}

static inline void tj_field_set_flag(const tj_field *f, void *obj, bool on)
{
    if (f->has_offset != TJ_NO_FLAG)
        *(bool *)((char *)obj + f->has_offset) = on;
}

/* Integers of every width (and enums, stored as 4 bytes) as int64_t. */
int64_t tj_get_int(const tj_type *t, const void *slot);
void tj_set_int(const tj_type *t, void *slot, int64_t v);
bool tj_int_in_range(const tj_type *t, int64_t v);

/* Inline-value operations, used for fields and container elements alike. */
void tj_value_free(const tj_type *t, void *slot);
tj_status tj_value_copy(const tj_type *t, void *dst, const void *src);
bool tj_value_equal(const tj_type *t, const void *a, const void *b);

/* The JSON path of the value being visited, e.g. $.joinParts[2].groupBy.
 * Kept as a stack of frames (field name, index or map key) and spelled out
 * only when an error is reported: a push costs a few stores, not a printf.
 * Names and keys are borrowed: they must outlive their frame. A mark is the
 * byte length of the spelled path before the push (as if it were text). A
 * path too long for tj_error.path ends in "..." and then stays as it is
 * (later pushes do nothing) until tj_path_init. */
#define TJ_PATH_SIZE sizeof(((tj_error *)0)->path)
typedef struct tj_path_frame {
    union {
        const char *s; /* field name or map key */
        size_t index;
    } u;
    uint16_t start; /* spelled length before this frame */
    uint8_t kind;   /* TJ_PATH_FIELD, TJ_PATH_INDEX, TJ_PATH_KEY */
} tj_path_frame;
enum { TJ_PATH_FIELD, TJ_PATH_INDEX, TJ_PATH_KEY };

typedef struct tj_path {
    size_t len;       /* spelled length */
    size_t depth;     /* frames in use (until truncated) */
    bool truncated;   /* text holds the spelled path; frames are unused */
    tj_path_frame frames[TJ_PATH_SIZE];
    char text[TJ_PATH_SIZE];
} tj_path;

void tj_path_init(tj_path *p);
size_t tj_path_push_field(tj_path *p, const char *name);
size_t tj_path_push_index(tj_path *p, size_t index);
size_t tj_path_push_key(tj_path *p, const char *key);
static inline void tj_path_pop(tj_path *p, size_t mark)
{
    if (mark >= p->len)
        return;
    p->len = mark;
    if (p->truncated)
        p->text[mark] = '\0';
    else
        while (p->depth > 0 && p->frames[p->depth - 1].start >= mark)
            p->depth--;
}
/* The path as text ("$..."): NUL-terminated in buf of TJ_PATH_SIZE bytes. */
void tj_path_spell(const tj_path *p, char *buf);

/* Fill err (status, path, formatted message); returns status. */
tj_status tj_fail(tj_error *err, tj_status status, const tj_path *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
