/* What every file of Chronon's API in C (api_*.c) shares: the builtin
 * boilerplate, values made with the out-of-memory report done, Python's
 * semantics for attributes, iteration, json.dumps/json.loads, copy and repr,
 * and table-driven builtins for the many API functions that only bind their
 * arguments and hand them on.
 *
 * Conventions: a function returning value * never returns NULL: after an
 * error (reported at loc, with Python's message) it returns a V_ERROR value.
 * A bool function returns false after a report. The const char * results
 * live in the compile's arena. Implemented in api_shared.c. Include it
 * from api_*.c only (api_deps.h and api_tables.h do not): its macros have
 * short, generic names. */
#ifndef DSL_API_SHARED_H
#define DSL_API_SHARED_H

#include "eval.h"
#include "repo.h"

/* ---- builtin boilerplate ---- */

#define BUILTIN(name) \
    static value *name(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
#define UNUSED_SELF ((void)self, (void)def)
#define NPARAMS(p) (sizeof(p) / sizeof((p)[0]))
#define IS_ERR(v) ((v)->kind == V_ERROR)
/* an allocation's result, or the out-of-memory report (needs ctx and loc) */
#define OOM_IF_NULL(v) ((v) ? (v) : eval_oom(ctx, loc))

/* ---- values (out of memory reported: V_ERROR) ---- */

/* The poison value, after a report made elsewhere. */
value *api_err(eval_ctx *ctx);
/* (repo.h declares api_str: a V_STR of a C string; api_py_str: str(v) in the
 * arena, NULL when out of memory; api_def: register a builtin. They are
 * implemented in api_shared.c with the rest.) */
value *api_none(eval_ctx *ctx, src_loc loc);
value *api_bool(eval_ctx *ctx, bool b, src_loc loc);
value *api_int(eval_ctx *ctx, int64_t i, src_loc loc);
/* A new empty V_LIST with room for cap items. */
value *api_list(eval_ctx *ctx, size_t cap, src_loc loc);
/* A new tuple of items[0..n). */
value *api_tuple(eval_ctx *ctx, value *const *items, size_t n, src_loc loc);
/* list(d): a new list of d's keys. */
value *api_keys_list(eval_ctx *ctx, const dict *d, src_loc loc);
/* list.append(item). */
bool api_push(eval_ctx *ctx, value *list, value *item, src_loc loc);
/* out += more for any iterable more (a V_ERROR more gives false quietly). */
bool api_extend(eval_ctx *ctx, value *out, value *more, src_loc loc);
/* The text of b, which is freed: in the arena (NULL when out of memory, not
 * reported) or as a new V_STR at loc. */
const char *api_buf_cstr(eval_ctx *ctx, tj_buf *b);
value *api_buf_str(eval_ctx *ctx, tj_buf *b, src_loc loc);

/* ---- Python's values ---- */

/* A Python None argument is the same as an absent one: NULL for both. */
value *api_opt(value *v);
bool api_is_none(const value *v);
/* v == n for an int n (True == 1 == 1.0); false for NULL. */
bool api_eq_int(const value *v, int64_t n);
/* v == s for a str s; false for NULL. */
bool api_eq_str(const value *v, const char *s);
/* x > 0 for a Python number: 1 or 0; -1 after Python's TypeError. */
int api_positive(eval_ctx *ctx, const value *x, src_loc loc);
/* Is v an instance of the Thrift struct desc? */
bool api_is(const value *v, const tj_struct_desc *desc);
/* str(v): "None" for NULL (an absent optional argument), "" when out of memory. */
const char *api_text(eval_ctx *ctx, const value *v);
/* repr() as Python's Thrift classes write it (every __dict__ entry, so the
 * extra attributes such as tags too), in the arena (NULL when out of memory). */
const char *api_repr(eval_ctx *ctx, const value *v);

/* ---- errors and locations ---- */

/* eval_error without a length limit (messages quote user values: a
 * repr of windows or of a set of columns can be long). Returns V_ERROR. */
value *deps_error(eval_ctx *ctx, src_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* v's own location when it has one, else fallback. */
src_loc deps_loc(const value *v, src_loc fallback);
/* Where the argument bound to params[idx] was written (by position or by
 * keyword); fallback when it was not given. */
src_loc api_arg_loc(const call_args *args, const param_spec *params, size_t idx, src_loc fallback);

/* ---- attributes ---- */

/* getattr(v, name) with Python's AttributeError (and the evaluator's "did
 * you mean"); an unset Thrift field gives a None value. */
value *api_attr(eval_ctx *ctx, value *v, const char *name, src_loc loc);
/* obj.metaData.<name>, the same way. */
value *api_metadata_attr(eval_ctx *ctx, value *obj, const char *name, src_loc loc);
/* Python's obj.name on a Thrift object: *out is the field's value, or NULL
 * for None. Reports Python's AttributeError ("'X' object has no attribute
 * 'name'") and returns false when obj has no such field. */
bool deps_attr(eval_ctx *ctx, const value *obj, const char *name, src_loc loc, value **out);
/* Attach a Python attribute to an object; false (after an OOM report) on failure. */
bool api_set_extra(eval_ctx *ctx, value *obj, const char *name, value *v, src_loc loc);

/* ---- iteration and calls ---- */

/* The items `for x in v` visits: a list's or tuple's items, a dict's keys,
 * a str's characters; Python's "'X' object is not iterable" otherwise (v
 * NULL is None). False quietly for a V_ERROR v. */
bool api_iter(eval_ctx *ctx, value *v, src_loc loc, value ***items, size_t *n);
/* f(*v) argument unpacking: like api_iter, with Python 3.11's
 * "Value after * must be an iterable, not X". */
bool api_star_items(eval_ctx *ctx, const char *fname, value *v, src_loc loc, value ***items, size_t *n);
/* A builtin call's arguments built in C (for calling other API functions). */
call_args *api_args(eval_ctx *ctx, size_t npositional, value **positional, src_loc loc);

/* ---- copy, JSON ---- */

/* Python's deep copy (copy.deepcopy), sharing preserved inside the copy. */
value *api_deepcopy(eval_ctx *ctx, value *v);
/* json.dumps(v) as a new V_STR; TypeError "Object of type X is not JSON serializable". */
value *api_pyjson(eval_ctx *ctx, value *v, src_loc loc);
/* A parsed JSON value as a value (dicts keep key order); NULL when out of
 * memory (not reported). */
value *api_json_value(eval_ctx *ctx, json_t *j, src_loc loc);
/* json.loads(text) as a value; a JSONDecodeError otherwise. */
value *deps_json_loads(eval_ctx *ctx, const char *text, size_t len, src_loc loc);

/* ---- module attributes (false only when out of memory) ---- */

/* Register every builtin of defs[0..n) as an attribute of m. */
bool api_def_all(eval_ctx *ctx, module *m, const builtin *defs, size_t n);
/* m.name = v (false for a NULL v: the allocation that made it failed). */
bool api_set_attr(eval_ctx *ctx, module *m, const char *name, value *v);
/* m.name = the str constant value, for each (name, value) of pairs[0..2n). */
bool api_set_str_attrs(eval_ctx *ctx, module *m, const char *const *pairs, size_t n);
/* m.name = a new empty namespace (a class holding constants); NULL when out of memory. */
module *api_namespace(eval_ctx *ctx, module *m, const char *name);
/* m.name = the API module `dotted` (made now if it is not yet). */
bool api_export_module(eval_ctx *ctx, module *m, const char *name, const char *dotted);

/* ---- Thrift objects and table-driven builtins ---- */

/* A new object of desc (its IDL defaults) with fields[i] = values[i] (NULL
 * or None leaves a field unset). */
value *api_new_struct(eval_ctx *ctx, const tj_struct_desc *desc, const char *const *fields, value *const *values,
                      size_t n, src_loc loc);

/* f(param): binds its one required argument and returns fn(arg). Register
 * as API_UNARY("name", "param", fn). */
typedef struct api_unary {
    const char *param;
    value *(*fn)(eval_ctx *ctx, value *arg, src_loc loc);
} api_unary;
value *api_call_unary(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc);
#define API_UNARY(name, param, fn) {(name), api_call_unary, &(const api_unary){(param), (fn)}}

/* X(a, b, ...): a new Thrift struct whose fields take the arguments as they
 * are (no check, no default but the IDL's). Register as
 * API_STRUCT("X", &desc, {"param", P_REQUIRED, "field"}, ...): at most
 * API_STRUCT_MAX_ARGS arguments (more do not compile with -Werror). */
#define API_STRUCT_MAX_ARGS 8
typedef struct api_field_arg {
    const char *param;     /* NULL ends the list */
    int kind;              /* param_spec's kind: P_REQUIRED or P_OPTIONAL */
    const char *field;     /* the Thrift field the argument sets */
} api_field_arg;
typedef struct api_struct_call {
    const tj_struct_desc *desc;
    api_field_arg args[API_STRUCT_MAX_ARGS];
} api_struct_call;
value *api_call_struct(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc);
#define API_STRUCT(name, desc, ...) {(name), api_call_struct, &(const api_struct_call){(desc), {__VA_ARGS__}}}

#endif
