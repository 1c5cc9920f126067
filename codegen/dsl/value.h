/* Values of the definition language: the Python objects a definition file can
 * make. They are allocated in arenas and shared freely (Python's reference
 * semantics: a GroupBy bound to a variable and used in two Joins is one
 * object). A module runs in an arena of its own; once it has run, what its
 * globals reach is copied into the loader's arena, which lives as long as the
 * loader, and the module's arena is freed (copy_out.h). So a store into an
 * existing list, dict or object must be noted (arena_note_store in arena.h):
 * the mutation functions below do it; code that writes a slot itself does it
 * too. */
#ifndef DSL_VALUE_H
#define DSL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "tj_buf.h"
#include "tjson.h"

typedef struct value value;
typedef struct dict dict;
typedef struct eval_ctx eval_ctx;
typedef struct call_args call_args;

typedef enum value_kind {
    V_ERROR,     /* poison: the result of an expression that already reported an error */
    V_NONE,
    V_BOOL,
    V_INT,
    V_FLOAT,
    V_STR,
    V_LIST,
    V_TUPLE,
    V_DICT,
    V_FUNCTION,  /* a def or lambda of a definition file */
    V_BUILTIN,   /* a function implemented in C, possibly bound to a receiver */
    V_MODULE,    /* a module or a namespace of attributes (ttypes.Operation, group_by.Operation) */
    V_CLASS,     /* a Thrift struct class: ttypes.GroupBy; calling it makes a V_OBJECT */
    V_OBJECT     /* an instance of a Thrift struct */
} value_kind;

/* A C function callable from definitions. def is its own entry (for data);
 * self is the receiver of a bound method ("x".format) or NULL. Returns a
 * value, or V_ERROR after reporting. */
typedef struct builtin builtin;
typedef value *(*builtin_fn)(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc);

struct builtin {
    const char *name;      /* as Python users know it: "GroupBy", "len", "str.format" */
    builtin_fn fn;
    const void *data;      /* fn-specific (e.g. which Operation a LAST_K makes) */
};

typedef struct function {
    const char *name;
    node_list params;      /* param* */
    node_list body;        /* stmt* (a def) */
    expr *lambda_body;     /* a lambda */
    value **defaults;      /* evaluated at def time, parallel to params (NULL = none) */
    struct module *module; /* globals */
    struct env *closure;   /* enclosing function's scope, or NULL at module level */
    src_loc loc;
} function;

typedef struct module {
    const char *name;      /* dotted: "group_bys.team.purchases", "ai.chronon.group_by" */
    dict *attrs;           /* globals / attributes, in definition order */
    const source_file *file; /* NULL for built-in modules */
    bool is_definition;    /* a module of the user's repo */
    bool loading;          /* being evaluated: importing it now is a cycle */
    /* Its import failed, as Python's ends at an exception: an error (its own,
     * or of a module it imported) was reported while it ran, or its package
     * failed. Importing it again fails at once, without running it again. */
    bool failed;
    src_loc fail_at;       /* the first of those errors (the root one): importers' notes point there */
    size_t reports_at_start; /* error reports before it started running */
    struct module *next_same_file; /* the repo's next module (in load order) of the same file path */
} module;

/* A Thrift struct instance: one slot per descriptor field (NULL = unset, as
 * Python's None). */
typedef struct object {
    const tj_struct_desc *desc;
    value **fields;
    /* Where a definition module first bound this object to a module-level
     * name: compile.py recovers names the same way (the garbage collector). */
    module *bound_module;
    const char *bound_name;
    /* Python attributes that are not Thrift fields (the API helpers set
     * `tags` on Aggregations and JoinParts); never serialized. NULL if none. */
    dict *extra;
    /* The arguments of the call of a definition file that made it
     * (ttypes.EventSource(...), Query(...), GroupBy(...)), so that a rule
     * checked later can point at the argument at fault (obj_arg_loc); NULL
     * when it was made otherwise (inside the API, from JSON). */
    const call_args *made_by;
} object;

struct value {
    value_kind kind;
    src_loc loc;           /* where the value was made: diagnostics at serialization */
    union {
        bool b;
        int64_t i;
        double f;
        struct { const char *data; size_t len; } str;   /* UTF-8, may hold NUL */
        struct { value **items; size_t len, cap; } list; /* V_LIST and V_TUPLE */
        dict *dict;
        function *fn;
        struct { const builtin *def; value *self; } builtin;
        module *module;
        const tj_struct_desc *cls;
        object *obj;
    } u;
};

/* An ordered dict (insertion order, as Python 3.7+). */
struct dict {
    value **keys;
    value **values;
    size_t len, cap;
    size_t *index;         /* open-addressing hash of positions+1, 0 = empty; NULL while small */
    size_t index_cap;
};

/* Where the items of a keyword argument written as a list or tuple display
 * are, up to its first starred item (call_kwarg_item_loc's answers, kept
 * without the syntax tree). */
typedef struct item_locs {
    const src_loc *locs;
    size_t n;
} item_locs;

/* Call arguments after * and ** were expanded. */
struct call_args {
    value **positional;
    src_loc *positional_loc;
    size_t npositional;
    const char **names;    /* keyword arguments, in call order */
    value **keywords;
    src_loc *keyword_loc;  /* of the keyword name */
    const expr **keyword_expr; /* the expression written after `name=`; NULL
                              * when the keyword came from ** (or the
                              * arguments were built in C, keyword_expr NULL) */
    const item_locs *keyword_items; /* a kept copy's (obj_set_made_by): instead of keyword_expr */
    size_t nkeywords;
};

/* ---- where arguments were written (fallback when unknown) ---- */
/* The keyword `name` of a call: `name` in f(name=...). */
src_loc call_kwarg_loc(const call_args *args, const char *name, src_loc fallback);
/* Item i of the list or tuple display written as keyword `name`: `app` in
 * f(name=[web, app]) for i = 1; fallback when the argument is not written
 * as such a display (a variable, a starred item before i, ...). */
src_loc call_kwarg_item_loc(const call_args *args, const char *name, size_t i, src_loc fallback);
/* Keep (a copy of the keywords of) args as the call that made obj, a
 * V_OBJECT that has none yet; false when out of memory. */
bool obj_set_made_by(arena *a, value *obj, const call_args *args);
/* The keyword argument that set the object's field `field` in the call that
 * made it: named `field` (ttypes.Query(mutationTimeColumn=...)) or its
 * snake_case (Query(mutation_time_column=...)); fallback if none. */
src_loc obj_arg_loc(const value *obj, const char *field, src_loc fallback);
/* call_kwarg_item_loc for the call that made obj. */
src_loc obj_arg_item_loc(const value *obj, const char *field, size_t i, src_loc fallback);

/* ---- construction (NULL only when out of memory) ---- */
value *v_error(arena *a);
value *v_none(arena *a, src_loc loc);
value *v_bool(arena *a, bool b, src_loc loc);
value *v_int(arena *a, int64_t i, src_loc loc);
value *v_float(arena *a, double f, src_loc loc);
value *v_str(arena *a, const char *data, size_t len, src_loc loc); /* copies */
value *v_cstr(arena *a, const char *s, src_loc loc);
value *v_list(arena *a, value_kind kind, size_t cap, src_loc loc);  /* V_LIST or V_TUPLE */
bool v_list_push(arena *a, value *list, value *item);
value *v_dict(arena *a, src_loc loc);
value *v_builtin(arena *a, const builtin *def, value *self, src_loc loc);
value *v_module(arena *a, module *m, src_loc loc);
value *v_class(arena *a, const tj_struct_desc *cls, src_loc loc);
value *v_object(arena *a, const tj_struct_desc *desc, src_loc loc);

module *module_new(arena *a, const char *name, const source_file *file);

/* ---- dict ---- */
dict *dict_new(arena *a);
value *dict_get(const dict *d, const value *key);
value *dict_get_str(const dict *d, const char *key);
/* The key object stored for key (its location is where the key was written:
 * "ts" in {"ts": ...}, ts in select(ts=...)), or NULL if absent. */
value *dict_key_str(const dict *d, const char *key);
bool dict_set(arena *a, dict *d, value *key, value *val);     /* insert or replace in place */
bool dict_set_str(arena *a, dict *d, const char *key, value *val, src_loc loc);
bool value_hashable(const value *v);

/* ---- Python semantics ---- */
const char *value_type_name(const value *v);                   /* "str", "list", "GroupBy", ... */
bool value_truthy(const value *v);
bool value_equal(const value *a, const value *b);             /* Python ==, 1 == 1.0 == True */
/* str() and repr() as Python writes them; appended to buf. */
void value_str(tj_buf *buf, const value *v);
void value_repr(tj_buf *buf, const value *v);
/* ascii(v): repr with every non-ASCII character escaped (\\xNN, \\uNNNN, \\UNNNNNNNN). */
void value_ascii(tj_buf *buf, const value *v);
/* Python's len() of a str: code points. */
size_t utf8_length(const char *s, size_t n);

/* ---- Thrift objects ---- */
/* The slot of a field by name, or NULL if the struct has no such field. */
value **object_field(object *o, const char *name);
/* A field's value, or NULL when unset (None) or not a field. */
value *obj_get(const value *o, const char *field);
/* Set a field (NULL or a None value unsets it); false if no such field.
 * It takes no arena, so it notes no store: a caller that may set a field of
 * an object it did not just make calls arena_note_store(ctx->arena, o->u.obj)
 * (see arena.h). */
bool obj_set(value *o, const char *field, value *v);
/* A non-field Python attribute (see object.extra); NULL if absent. */
value *obj_get_extra(const value *o, const char *name);
bool obj_set_extra(arena *a, value *o, const char *name, value *v);

/* Python's json.dumps(v) with default settings (", " and ": " separators,
 * ensure_ascii, keys of int/float/bool/None turned into strings, tuples as
 * arrays). False if v holds something JSON cannot spell; *bad names its type. */
bool value_to_pyjson(tj_buf *buf, const value *v, const char **bad);

#endif
