/*
 * tjson: the runtime behind generated Thrift C types.
 *
 * Generated code (generated/<idl>.h/.c) describes every struct, union, enum and
 * container of an IDL with the descriptor tables below; the functions here walk
 * those tables to init, free, copy, compare, write and read any value. This is
 * the nanopb / protobuf-c split: a generator that emits data and thin typed
 * wrappers, and one small runtime that does the work.
 *
 * Storage of a value of each kind, in a struct field or a container element:
 *   bool      bool                      i8/byte  int8_t
 *   i16       int16_t                   i32      int32_t
 *   i64       int64_t                   double   double
 *   enum      the generated C enum (4 bytes, checked by a static assert)
 *   string    char * (UTF-8, NUL-terminated, owned)
 *   binary    tj_binary { uint8_t *data; size_t len; }
 *   struct    in a field: a pointer to it, NULL when unset;
 *             in a container: the struct itself
 *   list/set  { T *items; size_t len; }            (layout of tj_list)
 *   map       { K *keys; V *values; size_t len; }  (layout of tj_map), in
 *             insertion order, because JSON object order is part of the bytes
 * A field whose storage is a pointer (string, struct) is unset when NULL; every
 * other field has a `bool has_<name>` flag beside it.
 *
 * JSON is Thrift's "simple JSON" as chronon-ai's compile.py writes it: Python's
 * json.dumps(indent=2) of TSimpleJSONProtocol output. Fields in id order, unset
 * fields absent, bools and enums as numbers, non-ASCII escaped as \uXXXX.
 */
#ifndef TJSON_H
#define TJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Descriptors (the reflection table) ---------------------------------- */

typedef enum tj_kind {
    TJ_BOOL,
    TJ_BYTE,
    TJ_I16,
    TJ_I32,
    TJ_I64,
    TJ_DOUBLE,
    TJ_STRING,
    TJ_BINARY,
    TJ_ENUM,
    TJ_STRUCT,
    TJ_LIST,
    TJ_SET,
    TJ_MAP
} tj_kind;

typedef enum tj_requiredness {
    TJ_OPTIONAL,     /* `optional`: written only when set */
    TJ_DEFAULT_REQ,  /* no keyword: written when set (as Python's writer does) */
    TJ_REQUIRED      /* `required`: must be set to write or read */
} tj_requiredness;

typedef struct tj_enum_value {
    const char *name;
    int32_t value;
} tj_enum_value;

typedef struct tj_enum_desc {
    const char *name;            /* IDL name, e.g. "Operation" */
    const tj_enum_value *values; /* in IDL order */
    size_t count;
} tj_enum_desc;

struct tj_struct_desc;

typedef struct tj_type {
    tj_kind kind;
    const char *idl_name;                      /* "i32", "list<string>", "GroupBy" */
    size_t size;                               /* bytes of one stored value (a struct inline) */
    const struct tj_struct_desc *struct_desc;  /* TJ_STRUCT */
    const tj_enum_desc *enum_desc;             /* TJ_ENUM */
    const struct tj_type *elem;                /* TJ_LIST, TJ_SET: element; TJ_MAP: value */
    const struct tj_type *key;                 /* TJ_MAP: key */
} tj_type;

#define TJ_NO_FLAG ((size_t)-1)

typedef struct tj_field {
    int16_t id;
    const char *name;
    const tj_type *type;
    tj_requiredness req;
    size_t offset;            /* of the value (for a struct: of its pointer) */
    size_t has_offset;        /* of the has_ flag, TJ_NO_FLAG for pointer fields */
    const char *default_json; /* the IDL default as JSON text, or NULL */
} tj_field;

typedef struct tj_struct_desc {
    const char *name;         /* IDL name, e.g. "GroupBy" */
    bool is_union;
    size_t size;              /* sizeof the C struct */
    const tj_field *fields;   /* sorted by id */
    size_t field_count;
} tj_struct_desc;

/* Scalar types shared by every generated file. */
extern const tj_type tj_type_bool, tj_type_byte, tj_type_i16, tj_type_i32,
    tj_type_i64, tj_type_double, tj_type_string, tj_type_binary;

/* Container layouts; generated typed containers have exactly these layouts. */
typedef struct tj_list {
    void *items;
    size_t len;
} tj_list;

typedef struct tj_map {
    void *keys;
    void *values;
    size_t len;
} tj_map;

typedef struct tj_binary {
    uint8_t *data;
    size_t len;
} tj_binary;

/* ---- Errors ---------------------------------------------------------------- */

typedef enum tj_status {
    TJ_OK = 0,
    TJ_ERR_NOMEM,   /* allocation failed */
    TJ_ERR_SYNTAX,  /* not JSON at all; line/column set */
    TJ_ERR_TYPE,    /* JSON of the wrong shape for the IDL type */
    TJ_ERR_VALUE    /* right shape, bad value (range, enum, UTF-8, base64, ...) */
} tj_status;

/* An error with the JSON path of the offending value, e.g.
 *   path    "$.joinParts[2].groupBy.aggregations[0].operation"
 *   message "expected integer, got string"
 * No allocation: an error can always be reported. */
typedef struct tj_error {
    tj_status status;
    int line, column;        /* for TJ_ERR_SYNTAX, 1-based; 0 otherwise */
    char path[512];
    char message[512];
} tj_error;

/* "PATH: MESSAGE" (or "line L, column C: MESSAGE" for syntax errors) into buf. */
const char *tj_error_format(const tj_error *err, char *buf, size_t size);

/* ---- Operations on any struct, driven by its descriptor --------------------- */

/* Zero the struct and apply IDL defaults. Returns TJ_OK or TJ_ERR_NOMEM. */
tj_status tj_init(const tj_struct_desc *desc, void *obj);

/* Free everything the struct owns and leave it zeroed (not re-defaulted). */
void tj_free(const tj_struct_desc *desc, void *obj);

/* Deep copy src into dst (dst is overwritten, not freed first). */
tj_status tj_copy(const tj_struct_desc *desc, void *dst, const void *src);

/* Same fields set with the same values (doubles bit for bit, containers in
 * order): exactly when the two serialize to the same JSON. */
bool tj_equal(const tj_struct_desc *desc, const void *a, const void *b);

/* Serialize as chronon-ai's thrift_simple_json does: 2-space indent, no
 * trailing newline. Returns a malloc'd NUL-terminated string (length in *len
 * if len is non-NULL), or NULL with err filled (unset required field,
 * non-finite double, invalid UTF-8, more than one union member, no memory). */
char *tj_to_json(const tj_struct_desc *desc, const void *obj, size_t *len, tj_error *err);

enum {
    TJ_READ_STRICT = 1u << 0  /* report unknown fields and duplicate keys */
};

/* Parse JSON text into obj (which is initialized here; on error it is freed
 * and left zeroed). Unknown fields are ignored unless TJ_READ_STRICT. */
tj_status tj_from_json(const tj_struct_desc *desc, void *obj, const char *text, size_t len,
                       unsigned flags, tj_error *err);

/* ---- Reflection helpers ------------------------------------------------------ */

const tj_field *tj_field_by_name(const tj_struct_desc *desc, const char *name);
const tj_field *tj_field_by_id(const tj_struct_desc *desc, int16_t id);
bool tj_field_is_set(const tj_field *field, const void *obj);
/* Union: the member that is set, or NULL (first one if, wrongly, several are). */
const tj_field *tj_union_member(const tj_struct_desc *desc, const void *obj);
const char *tj_enum_name(const tj_enum_desc *desc, int32_t value);   /* NULL if unknown */
bool tj_enum_value_of(const tj_enum_desc *desc, const char *name, int32_t *value);

#ifdef __cplusplus
}
#endif
#endif
