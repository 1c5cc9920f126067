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

/* The JSON path of the value being visited, e.g. $.joinParts[2].groupBy. */
typedef struct tj_path {
    char text[sizeof(((tj_error *)0)->path)];
    size_t len;
    bool truncated;
} tj_path;

void tj_path_init(tj_path *p);
size_t tj_path_push_field(tj_path *p, const char *name);
size_t tj_path_push_index(tj_path *p, size_t index);
size_t tj_path_push_key(tj_path *p, const char *key);
static inline void tj_path_pop(tj_path *p, size_t mark)
{
    if (mark < p->len) {
        p->len = mark;
        p->text[mark] = '\0';
    }
}

/* Fill err (status, path, formatted message); returns status. */
tj_status tj_fail(tj_error *err, tj_status status, const tj_path *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
