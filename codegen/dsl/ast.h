/* The syntax tree of a definition file: the declarative subset of Python that
 * Chronon definitions use. Parsed by lexer.l + parser.y, evaluated by eval.c.
 * All nodes live in the parse's arena. Every node carries its source range. */
#ifndef DSL_AST_H
#define DSL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

typedef struct expr expr;
typedef struct stmt stmt;

/* A growable array of pointers, allocated in the arena. */
typedef struct node_list {
    void **items;
    size_t len, cap;
} node_list;

/* ---- expressions ------------------------------------------------------------ */

typedef enum expr_kind {
    E_NAME,        /* name */
    E_NONE,
    E_BOOL,        /* b */
    E_INT,         /* i; literals beyond int64 are a syntax error */
    E_FLOAT,       /* f */
    E_STR,         /* str: adjacent literals already joined, escapes decoded */
    E_FSTRING,     /* fstr: literal and replacement parts (adjacent literals joined) */
    E_LIST,        /* seq.items (elements may be E_STARRED) */
    E_TUPLE,       /* seq.items (elements may be E_STARRED) */
    E_DICT,        /* dict.keys / dict.values; key NULL means **value */
    E_STARRED,     /* unary.operand: *x inside a list/tuple display */
    E_ATTR,        /* attr.object . attr.name */
    E_SUBSCRIPT,   /* subscript.object [ subscript.index ] */
    E_SLICE,       /* slice.lower : slice.upper : slice.step (each may be NULL) */
    E_CALL,        /* call.func ( call.args ) */
    E_BINOP,       /* binop.op, binop.left, binop.right */
    E_UNARY,       /* unary.op, unary.operand */
    E_BOOLOP,      /* binop.op is OP_AND / OP_OR */
    E_COMPARE,     /* compare.ops[i] between compare.operands[i] and [i+1] */
    E_IFEXP,       /* ifexp.body if ifexp.test else ifexp.orelse */
    E_LISTCOMP,    /* comp.element for ... */
    E_DICTCOMP,    /* comp.key: comp.element for ... */
    E_LAMBDA       /* lambda.params : lambda.body */
} expr_kind;

typedef enum op_kind {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD, OP_POW,
    OP_NEG, OP_POS, OP_NOT,
    OP_AND, OP_OR,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN, OP_IS, OP_IS_NOT
} op_kind;

typedef enum arg_kind {
    ARG_POSITIONAL,  /* f(x) */
    ARG_STAR,        /* f(*xs) */
    ARG_KEYWORD,     /* f(name=x) */
    ARG_DOUBLE_STAR  /* f(**kw) */
} arg_kind;

typedef struct call_arg {
    arg_kind kind;
    const char *name;   /* ARG_KEYWORD */
    src_loc name_loc;   /* ARG_KEYWORD: the keyword itself, for diagnostics */
    expr *value;
    src_loc loc;        /* the whole argument */
} call_arg;

/* One replacement field of an f-string: {value!conversion:format_spec}. */
typedef struct fstring_part {
    const char *literal;   /* literal text (decoded), or NULL for a replacement */
    size_t literal_len;
    expr *value;           /* replacement */
    char conversion;       /* 0, 's', 'r' or 'a' */
    expr *format_spec;     /* NULL, or an E_STR / E_FSTRING (nested replacements) */
    bool self_documenting; /* {x=} */
    const char *expr_text; /* {x=}: the source text "x=" to print before the value */
} fstring_part;

/* for target in iter if cond if cond ... */
typedef struct comp_for {
    expr *target;       /* E_NAME or E_TUPLE of E_NAME */
    expr *iter;
    node_list ifs;      /* expr* */
} comp_for;

typedef enum param_kind {
    PARAM_NORMAL,       /* positional-or-keyword */
    PARAM_VARARGS,      /* *args */
    PARAM_KWONLY,       /* after * or *args */
    PARAM_KWARGS        /* **kwargs */
} param_kind;

typedef struct param {
    param_kind kind;
    const char *name;
    expr *default_value; /* NULL if none */
    src_loc loc;
} param;

/* The deepest expression tree a file may have: the parser reports a deeper
 * one as an error (and cuts it), so that recursive walks of a tree are
 * bounded. CPython has similar limits. */
#define EXPR_MAX_DEPTH 1000

struct expr {
    expr_kind kind;
    src_loc loc;
    int depth;          /* of this subtree: 1 for a leaf */
    union {
        const char *name;                     /* E_NAME */
        bool b;                               /* E_BOOL */
        int64_t i;                            /* E_INT */
        double f;                             /* E_FLOAT */
        struct { const char *data; size_t len; } str;           /* E_STR (may hold NUL) */
        struct { node_list parts; } fstr;     /* E_FSTRING: fstring_part* */
        struct { node_list items; } seq;      /* E_LIST, E_TUPLE: expr* */
        struct { node_list keys, values; } dict;                /* E_DICT: expr* */
        struct { expr *object; const char *name; src_loc name_loc; } attr;
        struct { expr *object; expr *index; } subscript;
        struct { expr *lower, *upper, *step; } slice;
        struct { expr *func; node_list args; } call;            /* call_arg* */
        struct { op_kind op; expr *left, *right; } binop;       /* E_BINOP, E_BOOLOP */
        struct { op_kind op; expr *operand; } unary;            /* E_UNARY, E_STARRED */
        struct { node_list ops; node_list operands; } compare;  /* ops: op_kind stored as (void*)(intptr_t) */
        struct { expr *test, *body, *orelse; } ifexp;
        struct { expr *key, *element; node_list fors; } comp;   /* comp_for* */
        struct { node_list params; expr *body; } lambda;        /* param* */
    } u;
};

/* ---- statements ------------------------------------------------------------- */

typedef enum stmt_kind {
    S_IMPORT,       /* import a.b.c [as x], ... */
    S_FROM_IMPORT,  /* from [.]*a.b import x [as y], ... | * */
    S_ASSIGN,       /* t1 = t2 = value; targets: E_NAME, E_TUPLE/E_LIST of names, E_ATTR, E_SUBSCRIPT */
    S_AUG_ASSIGN,   /* target op= value */
    S_EXPR,         /* an expression statement (a docstring, or a call) */
    S_DEF,          /* def name(params): body */
    S_RETURN,       /* return [value] */
    S_PASS,
    S_IF            /* if/elif/else at module level or in a def: test, body, orelse */
} stmt_kind;

typedef struct import_name {
    const char *name;    /* dotted for S_IMPORT ("ai.chronon.group_by"), plain for S_FROM_IMPORT */
    const char *asname;  /* NULL if no "as" */
    src_loc loc;
} import_name;

struct stmt {
    stmt_kind kind;
    src_loc loc;
    union {
        struct { node_list names; } import;                  /* import_name* */
        struct {
            const char *module;  /* dotted, without the leading dots; NULL for "from . import x" */
            int level;           /* number of leading dots */
            bool star;
            node_list names;     /* import_name* */
            src_loc module_loc;
        } from_import;
        struct { node_list targets; expr *value; } assign;    /* expr* */
        struct { op_kind op; expr *target; expr *value; } aug_assign;
        struct { expr *value; } expr_stmt;
        struct {
            const char *name;
            src_loc name_loc;
            node_list params;    /* param* */
            node_list decorators;/* expr* (rejected by the evaluator, kept for the diagnostic) */
            node_list body;      /* stmt* */
        } def;
        struct { expr *value; } ret;                         /* value may be NULL */
        struct { expr *test; node_list body, orelse; } if_stmt;
    } u;
};

/* A parsed file. */
typedef struct module_ast {
    const source_file *file;
    node_list body;     /* stmt* */
} module_ast;

/* Parse a whole file. Syntax errors, and statements outside the subset (for,
 * while, class, with, try, lambda bodies with statements, global, del, ...),
 * are reported to diags with the construct named, e.g.
 *   "'for' loops are not supported in definition files"
 * and parsing continues with the next statement, so every error of a file is
 * reported. Returns NULL only when out of memory; check diags->errors. */
module_ast *parse_module(const source_file *file, arena *a, diag_set *diags);

/* Append to a node_list in the arena; false if out of memory. */
bool node_list_push(arena *a, node_list *l, void *item);

/* A readable dump of the tree (for parser tests): one node per line, indented. */
void ast_dump(const module_ast *m, FILE *out);

#endif
