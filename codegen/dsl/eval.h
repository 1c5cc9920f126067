/* The evaluator: runs a parsed definition module, statement by statement,
 * without Python. Names resolve local -> module -> builtins; imports go
 * through the loader (definition modules of the repo, or Chronon's API
 * modules implemented in C). Errors are reported to the diag_set; the value
 * of a failed expression is the poison V_ERROR, which later operations pass
 * along silently, so one mistake gives one diagnostic. */
#ifndef DSL_EVAL_H
#define DSL_EVAL_H

#include "value.h"

/* Resolves `import NAME` for the evaluator. Returns the module (evaluated),
 * or NULL after reporting an error at loc. */
typedef module *(*import_fn)(eval_ctx *ctx, const char *name, src_loc loc);
/* Whether `import NAME` would find a module, without reporting anything. */
typedef bool (*exists_fn)(eval_ctx *ctx, const char *name);
/* For a module still loading (module.loading): the import cycle that reached
 * it again, "a -> b -> a" (in the arena); NULL if unknown. */
typedef const char *(*cycle_fn)(eval_ctx *ctx, const module *m);

/* A function call's (or comprehension's) local scope. */
typedef struct env env;
struct env {
    dict *vars;
    env *parent;
};

struct eval_ctx {
    arena *arena;           /* where new values go */
    arena *keep;            /* the loader's: what lives as long as it (modules, Chronon's API modules); NULL: arena */
    diag_set *diags;
    module *builtins;       /* names available everywhere */
    import_fn import;
    exists_fn submodule_exists;
    cycle_fn import_cycle;  /* may be NULL */
    void *loader;           /* the import function's state */
    struct repo *repo;      /* the definitions repo: root, teams.json, loaded modules */
    module *module;         /* module whose code runs now (a function's home module while it runs) */
    env *locals;            /* innermost function or comprehension scope, NULL at module level */
    int depth;              /* call depth, for the recursion limit */
    bool returning;         /* a return statement ran */
    value *return_value;
};

/* Run m's top-level statements in m, from the one at *next (0: the start)
 * to the end; *next is left at the first one not run. With stop_at_error,
 * stop after the statement that reports the first error, as a Python import
 * ends at an exception. False only if out of memory. */
bool eval_module(eval_ctx *ctx, module *m, const module_ast *ast, size_t *next, bool stop_at_error);

/* Evaluate one expression in the current scope. Never NULL: out of memory is
 * reported and gives V_ERROR. */
value *eval_expr(eval_ctx *ctx, expr *e);

/* Call any callable value. */
value *eval_call(eval_ctx *ctx, value *callee, call_args *args, src_loc loc);

/* The items a `for` over v visits: a list's or tuple's items, a dict's keys,
 * a string's 1-character strings. False (reported) if v is not iterable or
 * memory runs out; false without a report for an error value. */
bool eval_iterate(eval_ctx *ctx, value *v, src_loc loc, value ***items, size_t *n);

/* Report an error at loc and return the poison value. */
value *eval_error(eval_ctx *ctx, src_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The poison value, after an out-of-memory report. */
value *eval_oom(eval_ctx *ctx, src_loc loc);

/* Python's `getattr(v, name)`; reports and returns V_ERROR when missing. */
value *eval_getattr(eval_ctx *ctx, value *v, const char *name, src_loc loc, src_loc name_loc);

/* ---- helpers for builtins and the Chronon API implemented in C ---- */

/* A parameter of a C-implemented function, as Python would declare it. */
typedef struct param_spec {
    const char *name;
    enum { P_REQUIRED, P_OPTIONAL, P_VARARGS, P_KWARGS, P_KWONLY_REQUIRED, P_KWONLY_OPTIONAL } kind;
} param_spec;

/* Bind args to params as Python binds a call to `def f(...)`. out[i] is the
 * value of params[i] (NULL when an optional one is not given; a list value for
 * P_VARARGS, a dict value for P_KWARGS). Reports Python's errors (unexpected
 * keyword with a "did you mean" note, missing argument, too many positional,
 * multiple values) and returns false. */
bool bind_args(eval_ctx *ctx, const char *fname, const param_spec *params, size_t nparams,
               call_args *args, src_loc loc, value **out);

/* The closest of candidates[0..n) to word, if close enough to suggest. */
const char *closest_name(const char *word, const char *const *candidates, size_t n);

/* Builtins of the language (len, str, sorted, ...): a module to install as ctx->builtins. */
module *builtins_module(arena *a);

/* Methods of str, list and dict values: a bound V_BUILTIN, or NULL if none. */
value *builtin_method(eval_ctx *ctx, value *self, const char *name, src_loc loc);

/* str.format / f-string formatting of one value with a format spec. */
bool format_value(eval_ctx *ctx, tj_buf *out, value *v, const char *spec, size_t spec_len, src_loc loc);
value *str_format(eval_ctx *ctx, value *fmt, call_args *args, src_loc loc);

/* Python's str(v) as a new V_STR. */
value *value_to_str(eval_ctx *ctx, value *v, src_loc loc);

#endif
