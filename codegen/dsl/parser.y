/* The grammar of definition files: Python 3's statements and expressions,
 * restricted to what definitions use. Constructs outside the subset are
 * still recognised, so that each gets one diagnostic that names it, and so
 * that parsing goes on after it. The scanner is lexer.l. */

%define api.pure full
%define api.prefix {dsl_yy}
%define parse.error custom
/* Lookahead correction keeps the expected-token lists of syntax errors
 * exact despite default reductions; the messages are built from them.
 * It costs a simulated parse ahead of every default reduction, so the
 * Makefile also makes this grammar without it (parse.lac=none,
 * DSL_PARSE_FAST, dsl_yyparse_fast): a file is parsed by that one first,
 * which stops at its first syntax error, and only then parsed again by
 * this one to report. Without a syntax error the two make the same
 * reductions in the same order, so the tree and the diagnostics are the
 * same. */
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {parse_ctx *ctx}
%expect 0

%code requires {
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* A string or number token. Its content is interpreted by the parser, not
 * the scanner, so that statements skipped as unsupported report nothing
 * about what is inside them. */
enum {
    TOK_RAW = 1, TOK_FSTRING = 2, TOK_BYTES = 4,   /* string prefixes */
    TOK_INT = 8, TOK_FLOAT = 16, TOK_IMAG = 32,    /* number kinds */
    TOK_BAD = 64                                   /* already reported */
};
typedef struct str_tok {
    size_t off, len;        /* numbers: the literal; strings: the body between the quotes */
    int line, col;          /* position of off */
    unsigned flags;
    src_loc loc;            /* the whole token */
} str_tok;

/* A comma-separated sequence and whether it ended with a comma: "x," is a
 * tuple, "x" is not. */
typedef struct seq_val {
    node_list items;
    bool comma;
} seq_val;

/* One parse: of a file, or of the expression of an f-string replacement
 * field (which shares the arena and the diagnostics of the file's parse). */
typedef struct parse_ctx {
    arena *arena;
    diag_set *diags;
    const source_file *file;
    module_ast *module;   /* a file's parse puts its statements here */
    expr *result;         /* an f-string field's parse puts its expression here */
    bool oom;
    /* The scanner reported an error on this line that leaves a broken
     * token stream (a stray character, an unterminated string); a syntax
     * error on the same line would only repeat it. */
    int quiet_line;
    bool too_deep;        /* reported that an expression is too deeply nested */
    bool exact;           /* parse with dsl_yyparse (LAC), not dsl_yyparse_fast */
    bool needs_exact;     /* the fast parser met a syntax error: parse again, exactly */
    /* Stand-ins for allocations that failed: the parse then carries on
     * harmlessly and parse_module returns NULL. */
    expr oom_expr;
    stmt oom_stmt;
} parse_ctx;

/* What the scanner knows about a token, for syntax error messages. */
typedef struct tok_info {
    int kind;                 /* token number; 0 at the end */
    size_t off, len;          /* source text (len 0 for NEWLINE, INDENT, ...) */
    int line, col;
    int index_in_line;        /* 0 for the first token of a logical line */
    int prev_kind;            /* the token before it on the logical line, or 0 */
    /* The innermost bracket open before this token, if any. */
    bool in_bracket;
    char open_ch;
    int open_line, open_col;
    int open_line_indent;     /* column of the first token of the opener's line */
    int line_indent;          /* column of the first token of this token's line */
    /* The first token of the logical line ("match", "print", ...). */
    size_t first_off, first_len;
    int first_line, first_col;
} tok_info;
}

%code provides {
int dsl_yylex(DSL_YYSTYPE *lval, DSL_YYLTYPE *lloc, yyscan_t scanner);
const tok_info *dsl_lex_last(yyscan_t scanner);
/* After a syntax error that shows a bracket was never closed: forget the
 * open brackets so that the next line ends a statement again (their later
 * closers are skipped, not reported as unmatched). */
void dsl_lex_drop_brackets(yyscan_t scanner);
/* Parse source bytes [off, off+len) of ctx->file, which start at line:col,
 * as the expression of an f-string replacement field. NULL if nothing
 * usable was parsed (the error is reported). */
expr *dsl_parse_fexpr(parse_ctx *ctx, size_t off, size_t len, int line, int col);
/* This grammar without lookahead correction (see parse.lac above). */
int dsl_yyparse_fast(yyscan_t scanner, parse_ctx *ctx);
}

%code {
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Locations are inclusive ranges; an empty rule gets the empty range just
 * after what precedes it (last_column == first_column - 1). A range starts
 * at its first non-empty part, so that "[a, :b]" has the slice start at
 * the colon, not at the blank after the comma. */
#define LOC_EMPTY(l) ((l).last_line < (l).first_line || \
                      ((l).last_line == (l).first_line && (l).last_column < (l).first_column))
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                         \
    do {                                                                    \
        if (N) {                                                            \
            int first_ = 1;                                                 \
            while (first_ < (N) && LOC_EMPTY(YYRHSLOC(Rhs, first_)))        \
                first_++;                                                   \
            (Cur).first_line = YYRHSLOC(Rhs, first_).first_line;            \
            (Cur).first_column = YYRHSLOC(Rhs, first_).first_column;        \
            (Cur).last_line = YYRHSLOC(Rhs, N).last_line;                   \
            (Cur).last_column = YYRHSLOC(Rhs, N).last_column;               \
        } else {                                                            \
            (Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line; \
            (Cur).first_column = YYRHSLOC(Rhs, 0).last_column + 1;          \
            (Cur).last_column = YYRHSLOC(Rhs, 0).last_column;               \
        }                                                                   \
    } while (0)

typedef DSL_YYLTYPE YYLTYPE;

/* A parameter as written, before the rules about their order apply. */
typedef enum { RP_NAME, RP_STAR, RP_DSTAR, RP_SLASH } raw_param_tag;
typedef struct raw_param {
    raw_param_tag tag;
    const char *name;       /* NULL for a bare '*' and for '/' */
    expr *default_value;
    src_loc loc;
} raw_param;

static src_loc L(parse_ctx *ctx, YYLTYPE l);
static YYLTYPE span(YYLTYPE a, YYLTYPE b);
static void err(parse_ctx *ctx, YYLTYPE l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *alloc(parse_ctx *ctx, size_t size);
static const char *dup(parse_ctx *ctx, const char *s, size_t n);
static void push(parse_ctx *ctx, node_list *l, void *item);
static void push_all(parse_ctx *ctx, node_list *dst, const node_list *src);
static node_list one(parse_ctx *ctx, void *item);
static expr *mk(parse_ctx *ctx, expr_kind kind, YYLTYPE l);
static stmt *mks(parse_ctx *ctx, stmt_kind kind, YYLTYPE l);
static expr *placeholder(parse_ctx *ctx, YYLTYPE l);
static expr *done(parse_ctx *ctx, expr *e);
static expr *check_depth(parse_ctx *ctx, expr *e);
static expr *binop(parse_ctx *ctx, expr_kind kind, op_kind op, expr *a, expr *b, YYLTYPE l);
static expr *unary(parse_ctx *ctx, op_kind op, expr *a, YYLTYPE l);
static expr *unsupported_binop(parse_ctx *ctx, const char *op, YYLTYPE op_loc, expr *a);
static expr *seq_expr(parse_ctx *ctx, seq_val s, YYLTYPE l);
static seq_val seq_one(parse_ctx *ctx, expr *e);
static expr *number(parse_ctx *ctx, const str_tok *t);
static expr *strings(parse_ctx *ctx, const node_list *pieces, YYLTYPE l);
static expr *comp(parse_ctx *ctx, expr_kind kind, expr *key, expr *element, node_list fors, YYLTYPE l);
static comp_for *comp_clause(parse_ctx *ctx, seq_val target, YYLTYPE target_loc, expr *iter, node_list ifs);
static call_arg *arg(parse_ctx *ctx, arg_kind kind, expr *value, YYLTYPE l);
static call_arg *keyword_arg(parse_ctx *ctx, expr *name, expr *value, YYLTYPE l);
static expr *call(parse_ctx *ctx, expr *func, node_list args, YYLTYPE l);
static raw_param *rparam(parse_ctx *ctx, raw_param_tag tag, const char *name, expr *def, YYLTYPE l);
static node_list params(parse_ctx *ctx, const node_list *raw);
static void check_target(parse_ctx *ctx, expr *e, bool augmented);
static stmt *assign(parse_ctx *ctx, node_list chain, YYLTYPE l);
static stmt *if_stmt(parse_ctx *ctx, expr *test, node_list body, node_list orelse, YYLTYPE l);
static const char *join_dotted(parse_ctx *ctx, const char *a, const char *b);
static import_name *import_name_new(parse_ctx *ctx, const char *name, const char *asname, YYLTYPE l);
static void outside_def(parse_ctx *ctx, const stmt *s);
static void dsl_yyerror(YYLTYPE *loc, yyscan_t scanner, parse_ctx *ctx, const char *msg);

/* Generator expressions are accepted as the sole argument of a call, as a
 * list comprehension; this marks such an argument until the call is built. */
static const char genexp_mark[] = "<genexp>";
}

%union {
    const char *name;
    str_tok *tok;
    int op;
    expr *e;
    stmt *s;
    node_list list;
    seq_val seq;
    call_arg *arg;
    struct raw_param *rp;
    comp_for *cf;
    import_name *imp;
    struct { expr *key, *value; } de;   /* key NULL for **value */
}

%token START_MODULE START_FEXPR
/* The order here is the order of "expected ..." lists. */
%token ',' ':' '=' ')' ']' '}'
%token NEWLINE "newline" INDENT "indent" DEDENT "dedent"
%token <name> NAME "a name"
%token <tok> NUMBER "a number" STRING "a string"
%token <op> AUGASSIGN "an augmented assignment"
%token AND "'and'" AS "'as'" ASSERT "'assert'" ASYNC "'async'" AWAIT "'await'"
       BREAK "'break'" CLASS "'class'" CONTINUE "'continue'" DEF "'def'"
       DEL "'del'" ELIF "'elif'" ELSE "'else'" EXCEPT "'except'" FALSE "'False'"
       FINALLY "'finally'" FOR "'for'" FROM "'from'" GLOBAL "'global'" IF "'if'"
       IMPORT "'import'" IN "'in'" IS "'is'" LAMBDA "'lambda'" NONE "'None'"
       NONLOCAL "'nonlocal'" NOT "'not'" OR "'or'" PASS "'pass'" RAISE "'raise'"
       RETURN "'return'" TRUE "'True'" TRY "'try'" WHILE "'while'" WITH "'with'"
       YIELD "'yield'"
%token EQEQ "'=='" NOTEQ "'!='" LE "'<='" GE "'>='" POW "'**'" FLOORDIV "'//'"
       LSHIFT "'<<'" RSHIFT "'>>'" ARROW "'->'" ELLIPSIS "'...'" COLONEQ "':='"
%token '(' '[' '{' ';' '.' '+' '-' '*' '/' '%' '<' '>' '|' '&' '^' '~' '@' '!'

/* An optional indented block after a line that was skipped: when one
 * follows, it belongs to the skipped statement. */
%precedence LOW
%precedence INDENT

/* Python's binary operators, loosest first (or_test, bexpr) */
%left OR
%left AND
%left '|'
%left '^'
%left '&'
%left LSHIFT RSHIFT
%left '+' '-'
%left '*' '/' FLOORDIV '%' '@'

%type <list> stmts stmt simple_stmts small_list block elif_else decorators
%type <s> small_stmt expr_stmt compound_stmt def_stmt import_stmt from_stmt
%type <e> decorator rhs namedexpr_test test or_test not_test
          comp_chain bexpr factor
          await_primary primary atom item star_expr titem yield_expr lambdef
          subscript slice opt_test dict_items dict_items_tc
%type <seq> seq seq_tc tseq tseq_tc sub_seq sub_seq_tc
%type <list> strings arglist args comp_fors ifs lparams lparam_list
             dparams dparam_list dotted_as_names import_as_names import_targets assign_chain
%type <arg> arg
%type <rp> lparam dparam
%type <cf> comp_for
%type <op> comp_op dots
%type <name> dotted_name
%type <imp> dotted_as_name import_as_name
%type <de> dict_item

%%

start:
    START_MODULE file_stmts
  | START_FEXPR fexpr
  ;

file_stmts:
    %empty
  | file_stmts stmt     {
        for (size_t i = 0; i < $2.len; i++)
            outside_def(ctx, $2.items[i]);
        if (ctx->module)
            push_all(ctx, &ctx->module->body, &$2);
    }
  ;

/* An f-string field is compiled as if parenthesized: a tuple needs no parens. */
fexpr:
    seq_tc              { ctx->result = seq_expr(ctx, $1, @1); }
  | yield_expr          { ctx->result = $1; }
  | error               { ctx->result = NULL; }
  ;

stmts:
    %empty              { $$ = (node_list){0}; }
  | stmts stmt          { $$ = $1; push_all(ctx, &$$, &$2); }
  ;

stmt:
    simple_stmts        { $$ = $1; @$ = @1; }
  | compound_stmt       { $$ = one(ctx, $1); }
  | unsupported_compound { $$ = (node_list){0}; }
  | INDENT stmts DEDENT { err(ctx, @1, "unexpected indent"); $$ = (node_list){0}; }
    /* After a syntax error, skip the rest of the line and, if the line
     * opened a block, the block and the clauses (else, except, ...) after it. */
  | error NEWLINE %prec LOW                 { $$ = (node_list){0}; yyerrok; }
  | error NEWLINE INDENT skip_body DEDENT clauses { $$ = (node_list){0}; yyerrok; }
  ;

simple_stmts:
    small_list NEWLINE      { $$ = $1; @$ = @1; }
  | small_list ';' NEWLINE  { $$ = $1; @$ = @1; }
  ;

small_list:
    small_stmt                  { $$ = one(ctx, $1); }
  | small_list ';' small_stmt   { $$ = $1; if ($3) push(ctx, &$$, $3); }
  ;

small_stmt:
    expr_stmt
  | PASS                    { $$ = mks(ctx, S_PASS, @$); }
  | RETURN                  { $$ = mks(ctx, S_RETURN, @$); }
  | RETURN seq_tc           { $$ = mks(ctx, S_RETURN, @$); $$->u.ret.value = seq_expr(ctx, $2, @2); }
  | import_stmt
  | from_stmt
  | DEL skip_small          { err(ctx, @1, "'del' statements are not supported in definition files"); $$ = NULL; }
  | GLOBAL skip_small       { err(ctx, @1, "'global' statements are not supported in definition files"); $$ = NULL; }
  | NONLOCAL skip_small     { err(ctx, @1, "'nonlocal' statements are not supported in definition files"); $$ = NULL; }
  | ASSERT skip_small       { err(ctx, @1, "'assert' statements are not supported in definition files"); $$ = NULL; }
  | RAISE skip_small        { err(ctx, @1, "'raise' statements are not supported in definition files"); $$ = NULL; }
  | BREAK skip_small        { err(ctx, @1, "'break' statements are not supported in definition files"); $$ = NULL; }
  | CONTINUE skip_small     { err(ctx, @1, "'continue' statements are not supported in definition files"); $$ = NULL; }
  ;

expr_stmt:
    seq_tc                  { $$ = mks(ctx, S_EXPR, @$); $$->u.expr_stmt.value = seq_expr(ctx, $1, @1); }
  | assign_chain            { $$ = assign(ctx, $1, @$); }
  | seq_tc AUGASSIGN rhs    {
        expr *target = seq_expr(ctx, $1, @1);
        check_target(ctx, target, true);
        if ($2 < 0) {
            static const char *const names[] = {"&=", "|=", "^=", "<<=", ">>=", "@="};
            if ($2 == -6)
                err(ctx, @2, "matrix multiplication ('@=') is not supported in definition files");
            else
                err(ctx, @2, "bitwise operator '%s' is not supported in definition files", names[-1 - $2]);
            $$ = NULL;
        } else {
            $$ = mks(ctx, S_AUG_ASSIGN, @$);
            $$->u.aug_assign.op = (op_kind)$2;
            $$->u.aug_assign.target = target;
            $$->u.aug_assign.value = $3;
        }
    }
  | seq_tc ':' test         { err(ctx, span(@2, @3), "type annotations are not supported in definition files"); $$ = NULL; }
  | seq_tc ':' test '=' rhs { err(ctx, span(@2, @3), "type annotations are not supported in definition files"); $$ = NULL; }
  | yield_expr              { $$ = NULL; }
  ;

/* a = b = value: every element but the last is a target. */
assign_chain:
    seq_tc '=' rhs          { $$ = one(ctx, seq_expr(ctx, $1, @1)); push(ctx, &$$, $3); }
  | assign_chain '=' rhs    { $$ = $1; push(ctx, &$$, $3); }
  ;

rhs:
    seq_tc                  { $$ = seq_expr(ctx, $1, @1); }
  | yield_expr
  ;

import_stmt:
    IMPORT dotted_as_names  { $$ = mks(ctx, S_IMPORT, @$); $$->u.import.names = $2; }
  ;

dotted_as_names:
    dotted_as_name                      { $$ = one(ctx, $1); }
  | dotted_as_names ',' dotted_as_name  { $$ = $1; push(ctx, &$$, $3); }
  ;

dotted_as_name:
    dotted_name             { $$ = import_name_new(ctx, $1, NULL, @$); }
  | dotted_name AS NAME     { $$ = import_name_new(ctx, $1, $3, @$); }
  ;

dotted_name:
    NAME
  | dotted_name '.' NAME    { $$ = join_dotted(ctx, $1, $3); }
  ;

from_stmt:
    FROM dots dotted_name IMPORT import_targets {
        $$ = mks(ctx, S_FROM_IMPORT, @$);
        $$->u.from_import.level = $2;
        $$->u.from_import.module = $3;
        $$->u.from_import.module_loc = L(ctx, span(@2, @3));
        $$->u.from_import.names = $5;
        $$->u.from_import.star = $5.len == 0;
    }
  | FROM dotted_name IMPORT import_targets {
        $$ = mks(ctx, S_FROM_IMPORT, @$);
        $$->u.from_import.module = $2;
        $$->u.from_import.module_loc = L(ctx, @2);
        $$->u.from_import.names = $4;
        $$->u.from_import.star = $4.len == 0;
    }
  | FROM dots IMPORT import_targets {
        $$ = mks(ctx, S_FROM_IMPORT, @$);
        $$->u.from_import.level = $2;
        $$->u.from_import.module_loc = L(ctx, @2);
        $$->u.from_import.names = $4;
        $$->u.from_import.star = $4.len == 0;
    }
  ;

/* "..." is one token, and means three levels. */
dots:
    '.'             { $$ = 1; }
  | ELLIPSIS        { $$ = 3; }
  | dots '.'        { $$ = $1 + 1; }
  | dots ELLIPSIS   { $$ = $1 + 3; }
  ;

/* An empty list means '*'. */
import_targets:
    '*'                         { $$ = (node_list){0}; }
  | '(' import_as_names ')'     { $$ = $2; }
  | '(' import_as_names ',' ')' { $$ = $2; }
  | import_as_names
  ;

import_as_names:
    import_as_name                      { $$ = one(ctx, $1); }
  | import_as_names ',' import_as_name  { $$ = $1; push(ctx, &$$, $3); }
  ;

import_as_name:
    NAME                    { $$ = import_name_new(ctx, $1, NULL, @$); }
  | NAME AS NAME            { $$ = import_name_new(ctx, $1, $3, @$); }
  ;

compound_stmt:
    IF namedexpr_test ':' block elif_else   { $$ = if_stmt(ctx, $2, $4, $5, @$); }
  | def_stmt
  | decorators def_stmt                     { $$ = $2; $$->u.def.decorators = $1; }
  ;

/* elif chains nest: the else branch of an if is the next if. */
elif_else:
    %empty                                  { $$ = (node_list){0}; }
  | ELIF namedexpr_test ':' block elif_else { $$ = one(ctx, if_stmt(ctx, $2, $4, $5, @$)); }
  | ELSE ':' block                          { $$ = $3; @$ = @3; }
  ;

/* The range of a block is that of its statements. */
block:
    simple_stmts                { $$ = $1; }
  | NEWLINE INDENT stmts DEDENT { $$ = $3; @$ = @3; }
  | NEWLINE %prec LOW           { err(ctx, @1, "expected an indented block"); $$ = (node_list){0}; }
  ;

decorators:
    decorator               { $$ = one(ctx, $1); }
  | decorators decorator    { $$ = $1; push(ctx, &$$, $2); }
  ;

decorator:
    '@' namedexpr_test NEWLINE  { $$ = $2; }
  ;

def_stmt:
    DEF NAME '(' dparams ')' return_annotation ':' block {
        $$ = mks(ctx, S_DEF, @$);
        $$->u.def.name = $2;
        $$->u.def.name_loc = L(ctx, @2);
        $$->u.def.params = params(ctx, &$4);
        $$->u.def.body = $8;
    }
  ;

return_annotation:
    %empty
  | ARROW test      { err(ctx, span(@1, @2), "return annotations are not supported in definition files"); }
  ;

dparams:
    %empty              { $$ = (node_list){0}; }
  | dparam_list
  | dparam_list ','
  ;

dparam_list:
    dparam                  { $$ = one(ctx, $1); }
  | dparam_list ',' dparam  { $$ = $1; push(ctx, &$$, $3); }
  ;

dparam:
    NAME annotation             { $$ = rparam(ctx, RP_NAME, $1, NULL, @$); }
  | NAME annotation '=' test    { $$ = rparam(ctx, RP_NAME, $1, $4, @$); }
  | '*'                         { $$ = rparam(ctx, RP_STAR, NULL, NULL, @$); }
  | '*' NAME annotation         { $$ = rparam(ctx, RP_STAR, $2, NULL, @$); }
  | '*' NAME annotation '=' test { $$ = rparam(ctx, RP_STAR, $2, $5, @$); }
  | POW NAME annotation         { $$ = rparam(ctx, RP_DSTAR, $2, NULL, @$); }
  | POW NAME annotation '=' test { $$ = rparam(ctx, RP_DSTAR, $2, $5, @$); }
  | '/'                         { $$ = rparam(ctx, RP_SLASH, NULL, NULL, @$); }
  ;

annotation:
    %empty
  | ':' test        { err(ctx, span(@1, @2), "type annotations are not supported in definition files"); }
  ;

/* ---- statements outside the subset: one diagnostic, then skip them ---- */

unsupported_compound:
    FOR skip_line clauses       { err(ctx, @1, "'for' loops are not supported in definition files; use a list comprehension"); }
  | ASYNC skip_line clauses     { err(ctx, @1, "'async' is not supported in definition files"); }
  | WHILE skip_line clauses     { err(ctx, @1, "'while' loops are not supported in definition files"); }
  | WITH skip_line              { err(ctx, @1, "'with' statements are not supported in definition files"); }
  | TRY skip_line clauses       { err(ctx, @1, "'try' statements are not supported in definition files"); }
  | CLASS skip_line             { err(ctx, @1, "'class' definitions are not supported in definition files"); }
  | decorators CLASS skip_line  { err(ctx, @2, "'class' definitions are not supported in definition files"); }
  | decorators ASYNC skip_line  { err(ctx, @2, "'async' is not supported in definition files"); }
  ;

/* The rest of a logical line, and the block it opens if one follows. */
skip_line:
    skip_tokens NEWLINE opt_skip_block
  ;

opt_skip_block:
    %empty %prec LOW
  | INDENT skip_body DEDENT
  ;

skip_body:
    %empty
  | skip_body any_token
  | skip_body NEWLINE
  | skip_body INDENT skip_body DEDENT
  ;

clauses:
    %empty
  | clauses ELIF skip_line
  | clauses ELSE skip_line
  | clauses EXCEPT skip_line
  | clauses FINALLY skip_line
  ;

skip_tokens:
    %empty
  | skip_tokens any_token
  ;

/* A simple statement ends at ';' too. */
skip_small:
    %empty
  | skip_small any_token_but_semicolon
  ;

any_token:
    any_token_but_semicolon
  | ';'
  ;

any_token_but_semicolon:
    NAME | NUMBER | STRING | AUGASSIGN
  | AND | AS | ASSERT | ASYNC | AWAIT | BREAK | CLASS | CONTINUE | DEF | DEL
  | ELIF | ELSE | EXCEPT | FALSE | FINALLY | FOR | FROM | GLOBAL | IF | IMPORT
  | IN | IS | LAMBDA | NONE | NONLOCAL | NOT | OR | PASS | RAISE | RETURN
  | TRUE | TRY | WHILE | WITH | YIELD
  | EQEQ | NOTEQ | LE | GE | POW | FLOORDIV | LSHIFT | RSHIFT | ARROW | ELLIPSIS | COLONEQ
  | ',' | ':' | '=' | ')' | ']' | '}' | '(' | '[' | '{' | '.' | '+' | '-' | '*' | '/'
  | '%' | '<' | '>' | '|' | '&' | '^' | '~' | '@' | '!'
  ;

/* ---- expressions ---- */

/* Sequences: "a, b" and "a," are tuples where the grammar allows them. */
seq:
    item            { $$ = seq_one(ctx, $1); }
  | seq ',' item    { $$ = $1; push(ctx, &$$.items, $3); }
  ;

seq_tc:
    seq
  | seq ','         { $$ = $1; $$.comma = true; }
  ;

item:
    namedexpr_test
  | star_expr
  ;

star_expr:
    '*' bexpr       { $$ = mk(ctx, E_STARRED, @$); $$->u.unary.operand = $2; $$ = done(ctx, $$); }
  ;

namedexpr_test:
    test
  | test COLONEQ test   {
        err(ctx, @2, "assignment expressions (':=') are not supported in definition files");
        $$ = $3;
    }
  ;

test:
    or_test
  | or_test IF or_test ELSE test {
        $$ = mk(ctx, E_IFEXP, @$);
        $$->u.ifexp.body = $1;
        $$->u.ifexp.test = $3;
        $$->u.ifexp.orelse = $5;
        $$ = done(ctx, $$);
    }
  | lambdef
  ;

lambdef:
    LAMBDA lparams ':' test {
        $$ = mk(ctx, E_LAMBDA, @$);
        $$->u.lambda.params = params(ctx, &$2);
        $$->u.lambda.body = $4;
        $$ = done(ctx, $$);
    }
  ;

lparams:
    %empty              { $$ = (node_list){0}; }
  | lparam_list
  | lparam_list ','
  ;

lparam_list:
    lparam                  { $$ = one(ctx, $1); }
  | lparam_list ',' lparam  { $$ = $1; push(ctx, &$$, $3); }
  ;

lparam:
    NAME                { $$ = rparam(ctx, RP_NAME, $1, NULL, @$); }
  | NAME '=' test       { $$ = rparam(ctx, RP_NAME, $1, $3, @$); }
  | '*'                 { $$ = rparam(ctx, RP_STAR, NULL, NULL, @$); }
  | '*' NAME            { $$ = rparam(ctx, RP_STAR, $2, NULL, @$); }
  | POW NAME            { $$ = rparam(ctx, RP_DSTAR, $2, NULL, @$); }
  | '/'                 { $$ = rparam(ctx, RP_SLASH, NULL, NULL, @$); }
  ;

/* 'or' and 'and' by declared precedence too (one level, not two), and a
 * comparison is a not_test's operand directly: fewer unit reductions per
 * operand, the same trees. */
or_test:
    not_test
  | or_test OR or_test      { $$ = binop(ctx, E_BOOLOP, OP_OR, $1, $3, @$); }
  | or_test AND or_test     { $$ = binop(ctx, E_BOOLOP, OP_AND, $1, $3, @$); }
  ;

not_test:
    NOT not_test            { $$ = unary(ctx, OP_NOT, $2, @$); }
  | bexpr
  | comp_chain
  ;

/* A chain a < b < c is one node; a parenthesized comparison is an operand. */
comp_chain:
    bexpr comp_op bexpr {
        $$ = mk(ctx, E_COMPARE, @$);
        push(ctx, &$$->u.compare.operands, $1);
        push(ctx, &$$->u.compare.ops, (void *)(intptr_t)$2);
        push(ctx, &$$->u.compare.operands, $3);
        $$ = done(ctx, $$);
    }
  | comp_chain comp_op bexpr {
        $$ = $1;
        $$->loc = L(ctx, @$);
        push(ctx, &$$->u.compare.ops, (void *)(intptr_t)$2);
        push(ctx, &$$->u.compare.operands, $3);
        /* One more operand: no need to look at all the others again. */
        if ($3->depth >= $$->depth)
            $$->depth = $3->depth + 1;
        $$ = check_depth(ctx, $$);
    }
  ;

comp_op:
    '<'         { $$ = OP_LT; }
  | '>'         { $$ = OP_GT; }
  | EQEQ        { $$ = OP_EQ; }
  | NOTEQ       { $$ = OP_NE; }
  | LE          { $$ = OP_LE; }
  | GE          { $$ = OP_GE; }
  | IN          { $$ = OP_IN; }
  | NOT IN      { $$ = OP_NOT_IN; }
  | IS          { $$ = OP_IS; }
  | IS NOT      { $$ = OP_IS_NOT; }
  ;

/* The binary operators between comparisons and unary ones, Python's
 * precedence by declaration (above) rather than a nonterminal per level: an
 * operand is then reduced once here instead of through six levels, and the
 * trees, the order of the actions and the expected-token lists of syntax
 * errors are those of the layered grammar. Bitwise operators keep their
 * place so that the expression around one parses as the user meant, and
 * each gets a diagnostic. */
bexpr:
    factor
  | bexpr '|' bexpr         { $$ = unsupported_binop(ctx, "|", @2, $1); $$->loc = L(ctx, @$); }
  | bexpr '^' bexpr         { $$ = unsupported_binop(ctx, "^", @2, $1); $$->loc = L(ctx, @$); }
  | bexpr '&' bexpr         { $$ = unsupported_binop(ctx, "&", @2, $1); $$->loc = L(ctx, @$); }
  | bexpr LSHIFT bexpr      { $$ = unsupported_binop(ctx, "<<", @2, $1); $$->loc = L(ctx, @$); }
  | bexpr RSHIFT bexpr      { $$ = unsupported_binop(ctx, ">>", @2, $1); $$->loc = L(ctx, @$); }
  | bexpr '+' bexpr         { $$ = binop(ctx, E_BINOP, OP_ADD, $1, $3, @$); }
  | bexpr '-' bexpr         { $$ = binop(ctx, E_BINOP, OP_SUB, $1, $3, @$); }
  | bexpr '*' bexpr         { $$ = binop(ctx, E_BINOP, OP_MUL, $1, $3, @$); }
  | bexpr '/' bexpr         { $$ = binop(ctx, E_BINOP, OP_DIV, $1, $3, @$); }
  | bexpr FLOORDIV bexpr    { $$ = binop(ctx, E_BINOP, OP_FLOORDIV, $1, $3, @$); }
  | bexpr '%' bexpr         { $$ = binop(ctx, E_BINOP, OP_MOD, $1, $3, @$); }
  | bexpr '@' bexpr         {
        err(ctx, @2, "matrix multiplication ('@') is not supported in definition files");
        $$ = $1;
    }
  ;

factor:
    '+' factor              { $$ = unary(ctx, OP_POS, $2, @$); }
  | '-' factor              { $$ = unary(ctx, OP_NEG, $2, @$); }
  | '~' factor              {
        err(ctx, @1, "bitwise operator '~' is not supported in definition files");
        $$ = $2;
    }
  | primary
  | primary POW factor      { $$ = binop(ctx, E_BINOP, OP_POW, $1, $3, @$); }
  | await_primary
  | await_primary POW factor { $$ = binop(ctx, E_BINOP, OP_POW, $1, $3, @$); }
  ;

/* (its own nonterminal so that its diagnostic comes before those of an
 * exponent after it) */
await_primary:
    AWAIT primary           { err(ctx, @1, "'await' is not supported in definition files"); $$ = $2; }
  ;

primary:
    atom
  | primary '.' NAME {
        $$ = mk(ctx, E_ATTR, @$);
        $$->u.attr.object = $1;
        $$->u.attr.name = $3;
        $$->u.attr.name_loc = L(ctx, @3);
        $$ = done(ctx, $$);
    }
  | primary '(' arglist ')'     { $$ = call(ctx, $1, $3, @$); }
  | primary '[' sub_seq_tc ']' {
        $$ = mk(ctx, E_SUBSCRIPT, @$);
        $$->u.subscript.object = $1;
        $$->u.subscript.index = seq_expr(ctx, $3, @3);
        $$ = done(ctx, $$);
    }
  ;

atom:
    NAME            { $$ = mk(ctx, E_NAME, @$); $$->u.name = $1; }
  | NUMBER          { $$ = number(ctx, $1); }
  | strings         { $$ = strings(ctx, &$1, @$); }
  | NONE            { $$ = mk(ctx, E_NONE, @$); }
  | TRUE            { $$ = mk(ctx, E_BOOL, @$); $$->u.b = true; }
  | FALSE           { $$ = mk(ctx, E_BOOL, @$); $$->u.b = false; }
  | ELLIPSIS        {
        err(ctx, @1, "'...' (Ellipsis) is not supported in definition files");
        $$ = placeholder(ctx, @$);
    }
  | '(' ')'         { $$ = mk(ctx, E_TUPLE, @$); }
  | '(' seq_tc ')'  {
        if ($2.items.len == 1 && !$2.comma) {
            $$ = $2.items.items[0];
            if ($$->kind == E_STARRED) {
                err(ctx, @2, "cannot use starred expression here");
                $$ = $$->u.unary.operand;
            }
        } else {
            $$ = mk(ctx, E_TUPLE, @$);
            $$->u.seq.items = $2.items;
            $$ = done(ctx, $$);
        }
    }
  | '(' yield_expr ')'      { $$ = $2; }
  | '(' item comp_fors ')'  {
        err(ctx, @$, "generator expressions are not supported in definition files; use a list comprehension");
        $$ = placeholder(ctx, @$);
    }
  | '[' ']'                 { $$ = mk(ctx, E_LIST, @$); }
  | '[' seq_tc ']'          { $$ = mk(ctx, E_LIST, @$); $$->u.seq.items = $2.items; $$ = done(ctx, $$); }
  | '[' item comp_fors ']'  { $$ = comp(ctx, E_LISTCOMP, NULL, $2, $3, @$); }
  | '{' '}'                 { $$ = mk(ctx, E_DICT, @$); }
  | '{' dict_items_tc '}'   { $$ = $2; $$->loc = L(ctx, @$); $$ = done(ctx, $$); }
  | '{' test ':' test comp_fors '}' { $$ = comp(ctx, E_DICTCOMP, $2, $4, $5, @$); }
  | '{' POW bexpr comp_fors '}' {
        err(ctx, span(@2, @3), "dict unpacking cannot be used in dict comprehension");
        $$ = placeholder(ctx, @$);
    }
  | '{' seq_tc '}'  {
        err(ctx, @$, "set literals are not supported in definition files");
        $$ = placeholder(ctx, @$);
    }
  | '{' item comp_fors '}'  {
        err(ctx, @$, "set comprehensions are not supported in definition files");
        $$ = placeholder(ctx, @$);
    }
  ;

strings:
    STRING              { $$ = one(ctx, $1); }
  | strings STRING      { $$ = $1; push(ctx, &$$, $2); }
  ;

dict_items_tc:
    dict_items
  | dict_items ','
  ;

dict_items:
    dict_item {
        $$ = mk(ctx, E_DICT, @$);
        push(ctx, &$$->u.dict.keys, $1.key);
        push(ctx, &$$->u.dict.values, $1.value);
    }
  | dict_items ',' dict_item {
        $$ = $1;
        push(ctx, &$$->u.dict.keys, $3.key);
        push(ctx, &$$->u.dict.values, $3.value);
    }
  ;

dict_item:
    test ':' test   { $$.key = $1; $$.value = $3; }
  | POW bexpr       { $$.key = NULL; $$.value = $2; }
  ;

comp_fors:
    comp_for            { $$ = one(ctx, $1); }
  | comp_fors comp_for  { $$ = $1; push(ctx, &$$, $2); }
  ;

comp_for:
    FOR tseq_tc IN or_test ifs          { $$ = comp_clause(ctx, $2, @2, $4, $5); }
  | ASYNC FOR tseq_tc IN or_test ifs    {
        err(ctx, @1, "'async' is not supported in definition files");
        $$ = comp_clause(ctx, $3, @3, $5, $6);
    }
  ;

ifs:
    %empty              { $$ = (node_list){0}; }
  | ifs IF or_test      { $$ = $1; push(ctx, &$$, $3); }
  ;

/* Comprehension targets stop before "in", so they cannot be comparisons. */
tseq:
    titem               { $$ = seq_one(ctx, $1); }
  | tseq ',' titem      { $$ = $1; push(ctx, &$$.items, $3); }
  ;

tseq_tc:
    tseq
  | tseq ','            { $$ = $1; $$.comma = true; }
  ;

titem:
    bexpr
  | star_expr
  ;

arglist:
    %empty              { $$ = (node_list){0}; }
  | args
  | args ','
  ;

args:
    arg                 { $$ = one(ctx, $1); }
  | args ',' arg        { $$ = $1; push(ctx, &$$, $3); }
  ;

arg:
    namedexpr_test      { $$ = arg(ctx, ARG_POSITIONAL, $1, @$); }
  | test '=' test       { $$ = keyword_arg(ctx, $1, $3, @$); }
  | '*' test            { $$ = arg(ctx, ARG_STAR, $2, @$); }
  | POW test            { $$ = arg(ctx, ARG_DOUBLE_STAR, $2, @$); }
  | test comp_fors      {
        $$ = arg(ctx, ARG_POSITIONAL, comp(ctx, E_LISTCOMP, NULL, $1, $2, @$), @$);
        if ($$)
            $$->name = genexp_mark;
    }
  ;

sub_seq:
    subscript               { $$ = seq_one(ctx, $1); }
  | sub_seq ',' subscript   { $$ = $1; push(ctx, &$$.items, $3); }
  ;

sub_seq_tc:
    sub_seq
  | sub_seq ','             { $$ = $1; $$.comma = true; }
  ;

subscript:
    namedexpr_test
  | slice
  | star_expr       {
        err(ctx, @1, "starred expressions in subscripts are not supported in definition files");
        $$ = $1->u.unary.operand;
    }
  ;

slice:
    opt_test ':' opt_test {
        $$ = mk(ctx, E_SLICE, @$);
        $$->u.slice.lower = $1;
        $$->u.slice.upper = $3;
        $$ = done(ctx, $$);
    }
  | opt_test ':' opt_test ':' opt_test {
        $$ = mk(ctx, E_SLICE, @$);
        $$->u.slice.lower = $1;
        $$->u.slice.upper = $3;
        $$->u.slice.step = $5;
        $$ = done(ctx, $$);
    }
  ;

opt_test:
    %empty      { $$ = NULL; }
  | test
  ;

yield_expr:
    YIELD                   { err(ctx, @1, "'yield' is not supported in definition files"); $$ = placeholder(ctx, @$); }
  | YIELD seq_tc            { err(ctx, @1, "'yield' is not supported in definition files"); $$ = placeholder(ctx, @$); }
  | YIELD FROM test         { err(ctx, @1, "'yield' is not supported in definition files"); $$ = placeholder(ctx, @$); }
  ;

%%

/* ---- building the tree ------------------------------------------------------- */

static src_loc L(parse_ctx *ctx, YYLTYPE l)
{
    return (src_loc){ctx->file, l.first_line, l.first_column, l.last_line, l.last_column};
}

static YYLTYPE span(YYLTYPE a, YYLTYPE b)
{
    return (YYLTYPE){a.first_line, a.first_column, b.last_line, b.last_column};
}

static void err(parse_ctx *ctx, YYLTYPE l, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diag_error(ctx->diags, L(ctx, l), "%s", buf);
}

static void *alloc(parse_ctx *ctx, size_t size)
{
    void *p = arena_alloc(ctx->arena, size);
    if (!p)
        ctx->oom = true;
    return p;
}

static const char *dup(parse_ctx *ctx, const char *s, size_t n)
{
    char *p = arena_strndup(ctx->arena, s, n);
    if (!p) {
        ctx->oom = true;
        return "";
    }
    return p;
}

static void push(parse_ctx *ctx, node_list *l, void *item)
{
    if (!node_list_push(ctx->arena, l, item))
        ctx->oom = true;
}

static void push_all(parse_ctx *ctx, node_list *dst, const node_list *src)
{
    for (size_t i = 0; i < src->len; i++)
        push(ctx, dst, src->items[i]);
}

static node_list one(parse_ctx *ctx, void *item)
{
    node_list l = {0};
    if (item)
        push(ctx, &l, item);
    return l;
}

static expr *mk(parse_ctx *ctx, expr_kind kind, YYLTYPE l)
{
    expr *e = arena_alloc(ctx->arena, sizeof *e);
    if (!e) {
        ctx->oom = true;
        e = &ctx->oom_expr;
    }
    e->kind = kind;
    e->loc = L(ctx, l);
    e->depth = 1;
    return e;
}

static stmt *mks(parse_ctx *ctx, stmt_kind kind, YYLTYPE l)
{
    stmt *s = arena_alloc(ctx->arena, sizeof *s);
    if (!s) {
        ctx->oom = true;
        s = &ctx->oom_stmt;
    }
    s->kind = kind;
    s->loc = L(ctx, l);
    return s;
}

/* Stands for an expression that was reported as unsupported or broken, so
 * that the tree has no holes; the file has errors, so it is never run. */
static expr *placeholder(parse_ctx *ctx, YYLTYPE l)
{
    return mk(ctx, E_NONE, l);
}

static void deepen(expr *e, const expr *child)
{
    if (child && child->depth >= e->depth)
        e->depth = child->depth + 1;
}

/* A tree deeper than EXPR_MAX_DEPTH is cut off here, after one error per
 * parse, so that no tree the parser returns is deeper. */
static expr *check_depth(parse_ctx *ctx, expr *e)
{
    if (e->depth <= EXPR_MAX_DEPTH)
        return e;
    if (!ctx->too_deep)
        diag_error(ctx->diags, e->loc, "expression too deeply nested (more than %d levels)", EXPR_MAX_DEPTH);
    ctx->too_deep = true;
    expr *p = mk(ctx, E_NONE, (YYLTYPE){e->loc.first_line, e->loc.first_col, e->loc.last_line, e->loc.last_col});
    return p;
}

/* Called once a node has its children: its depth from theirs. */
static expr *done(parse_ctx *ctx, expr *e)
{
    e->depth = 1;
    switch (e->kind) {
    case E_FSTRING:
        for (size_t i = 0; i < e->u.fstr.parts.len; i++) {
            const fstring_part *p = e->u.fstr.parts.items[i];
            deepen(e, p->value);
            deepen(e, p->format_spec);
        }
        break;
    case E_LIST: case E_TUPLE:
        for (size_t i = 0; i < e->u.seq.items.len; i++)
            deepen(e, e->u.seq.items.items[i]);
        break;
    case E_DICT:
        for (size_t i = 0; i < e->u.dict.keys.len; i++) {
            deepen(e, e->u.dict.keys.items[i]);
            deepen(e, e->u.dict.values.items[i]);
        }
        break;
    case E_STARRED: case E_UNARY:
        deepen(e, e->u.unary.operand);
        break;
    case E_ATTR:
        deepen(e, e->u.attr.object);
        break;
    case E_SUBSCRIPT:
        deepen(e, e->u.subscript.object);
        deepen(e, e->u.subscript.index);
        break;
    case E_SLICE:
        deepen(e, e->u.slice.lower);
        deepen(e, e->u.slice.upper);
        deepen(e, e->u.slice.step);
        break;
    case E_CALL:
        deepen(e, e->u.call.func);
        for (size_t i = 0; i < e->u.call.args.len; i++)
            deepen(e, ((call_arg *)e->u.call.args.items[i])->value);
        break;
    case E_BINOP: case E_BOOLOP:
        deepen(e, e->u.binop.left);
        deepen(e, e->u.binop.right);
        break;
    case E_COMPARE:
        for (size_t i = 0; i < e->u.compare.operands.len; i++)
            deepen(e, e->u.compare.operands.items[i]);
        break;
    case E_IFEXP:
        deepen(e, e->u.ifexp.test);
        deepen(e, e->u.ifexp.body);
        deepen(e, e->u.ifexp.orelse);
        break;
    case E_LISTCOMP: case E_DICTCOMP:
        deepen(e, e->u.comp.key);
        deepen(e, e->u.comp.element);
        for (size_t i = 0; i < e->u.comp.fors.len; i++) {
            const comp_for *c = e->u.comp.fors.items[i];
            deepen(e, c->target);
            deepen(e, c->iter);
            for (size_t j = 0; j < c->ifs.len; j++)
                deepen(e, c->ifs.items[j]);
        }
        break;
    case E_LAMBDA:
        for (size_t i = 0; i < e->u.lambda.params.len; i++)
            deepen(e, ((param *)e->u.lambda.params.items[i])->default_value);
        deepen(e, e->u.lambda.body);
        break;
    default:
        break;
    }
    return check_depth(ctx, e);
}

static expr *binop(parse_ctx *ctx, expr_kind kind, op_kind op, expr *a, expr *b, YYLTYPE l)
{
    expr *e = mk(ctx, kind, l);
    e->u.binop.op = op;
    e->u.binop.left = a;
    e->u.binop.right = b;
    return done(ctx, e);
}

static expr *unary(parse_ctx *ctx, op_kind op, expr *a, YYLTYPE l)
{
    expr *e = mk(ctx, E_UNARY, l);
    e->u.unary.op = op;
    e->u.unary.operand = a;
    return done(ctx, e);
}

static expr *unsupported_binop(parse_ctx *ctx, const char *op, YYLTYPE op_loc, expr *a)
{
    err(ctx, op_loc, "bitwise operator '%s' is not supported in definition files", op);
    return a;
}

static seq_val seq_one(parse_ctx *ctx, expr *e)
{
    seq_val s = {{0}, false};
    push(ctx, &s.items, e);
    return s;
}

/* "x" is x, "x," and "x, y" are tuples. */
static expr *seq_expr(parse_ctx *ctx, seq_val s, YYLTYPE l)
{
    if (s.items.len == 1 && !s.comma) {
        expr *e = s.items.items[0];
        if (e->kind == E_STARRED)
            diag_error(ctx->diags, e->loc, "cannot use starred expression here");
        return e;
    }
    expr *t = mk(ctx, E_TUPLE, l);
    t->u.seq.items = s.items;
    return done(ctx, t);
}

static import_name *import_name_new(parse_ctx *ctx, const char *name, const char *asname, YYLTYPE l)
{
    import_name *n = alloc(ctx, sizeof *n);
    if (n) {
        n->name = name;
        n->asname = asname;
        n->loc = L(ctx, l);
    }
    return n;
}

static const char *join_dotted(parse_ctx *ctx, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = arena_alloc(ctx->arena, la + lb + 2);
    if (!p) {
        ctx->oom = true;
        return a;
    }
    memcpy(p, a, la);
    p[la] = '.';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

/* ---- numbers ----------------------------------------------------------------- */

static expr *number(parse_ctx *ctx, const str_tok *t)
{
    YYLTYPE l = {t->loc.first_line, t->loc.first_col, t->loc.last_line, t->loc.last_col};
    const char *s = ctx->file->text + t->off;
    /* Underscores only group digits; the scanner checked where they are. */
    char buf[128];
    size_t n = 0;
    bool truncated = false;
    for (size_t i = 0; i < t->len; i++) {
        if (s[i] == '_')
            continue;
        if (n + 1 >= sizeof buf) {
            truncated = true;
            break;
        }
        buf[n++] = s[i];
    }
    buf[n] = '\0';

    if (t->flags & TOK_BAD)
        return placeholder(ctx, l);
    if (t->flags & TOK_IMAG) {
        err(ctx, l, "imaginary (complex) literals are not supported in definition files");
        return placeholder(ctx, l);
    }
    if (t->flags & TOK_FLOAT) {
        expr *e = mk(ctx, E_FLOAT, l);
        if (truncated) {
            /* Only a run of digits can be this long; strtod sees them all. */
            char *copy = arena_alloc(ctx->arena, t->len + 1);
            if (!copy) {
                ctx->oom = true;
                return e;
            }
            size_t k = 0;
            for (size_t i = 0; i < t->len; i++)
                if (s[i] != '_')
                    copy[k++] = s[i];
            copy[k] = '\0';
            e->u.f = strtod(copy, NULL);
        } else
            e->u.f = strtod(buf, NULL);
        return e;
    }

    int base = 10;
    const char *d = buf;
    if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
        base = 16, d += 2;
    else if (buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
        base = 8, d += 2;
    else if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
        base = 2, d += 2;
    uint64_t v = 0;
    bool too_big = truncated;
    for (; *d && !too_big; d++) {
        unsigned digit = *d <= '9' ? (unsigned)(*d - '0') : (unsigned)((*d | 0x20) - 'a' + 10);
        if (v > (UINT64_MAX - digit) / (unsigned)base)
            too_big = true;
        else
            v = v * (unsigned)base + digit;
    }
    expr *e = mk(ctx, E_INT, l);
    if (too_big || v > (uint64_t)INT64_MAX)
        err(ctx, l, "integer literal too large");
    else
        e->u.i = (int64_t)v;
    return e;
}

/* ---- strings ----------------------------------------------------------------- */

static YYLTYPE loc_at(parse_ctx *ctx, size_t off, size_t len)
{
    YYLTYPE l;
    source_position(ctx->file, off, &l.first_line, &l.first_column);
    if (len == 0) {
        l.last_line = l.first_line;
        l.last_column = l.first_column - 1;
    } else
        source_position(ctx->file, off + len - 1, &l.last_line, &l.last_column);
    return l;
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode the source bytes [off, off+len) of a string body into out, which
 * has room for len bytes (no escape decodes to more than it is written
 * with). Returns the decoded length. CRLF becomes LF, as Python reads
 * source with universal newlines. */
static size_t decode(parse_ctx *ctx, size_t off, size_t len, bool raw, char *out)
{
    const char *s = ctx->file->text + off, *end = s + len;
    size_t n = 0;
    while (s < end) {
        if (*s == '\r' && s + 1 < end && s[1] == '\n') {
            s++;
            continue;
        }
        if (raw || *s != '\\' || s + 1 == end) {
            out[n++] = *s++;
            continue;
        }
        const char *esc = s;
        char c = s[1];
        s += 2;
        switch (c) {
        case '\n': break;
        case '\r': if (s < end && *s == '\n') s++; break;
        case '\\': out[n++] = '\\'; break;
        case '\'': out[n++] = '\''; break;
        case '"': out[n++] = '"'; break;
        case 'a': out[n++] = '\a'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'v': out[n++] = '\v'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            uint32_t v = (uint32_t)(c - '0');
            for (int k = 0; k < 2 && s < end && *s >= '0' && *s <= '7'; k++)
                v = v * 8 + (uint32_t)(*s++ - '0');
            n += put_utf8(out + n, v);
            break;
        }
        case 'x': case 'u': case 'U': {
            int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            uint32_t v = 0;
            int got = 0;
            while (got < want && s < end && hexval(*s) >= 0) {
                v = v * 16 + (uint32_t)hexval(*s++);
                got++;
            }
            YYLTYPE l = loc_at(ctx, (size_t)(esc - ctx->file->text), (size_t)(s - esc));
            if (got < want) {
                err(ctx, l, "truncated \\%c escape: expected %d hex digits", c,  want);
                break;
            }
            if (v > 0x10FFFF) {
                err(ctx, l, "invalid \\U escape: U+%X is not a Unicode character", (unsigned)v);
                break;
            }
            if (v >= 0xD800 && v <= 0xDFFF) {
                err(ctx, l, "invalid escape: the surrogate U+%04X cannot be encoded in UTF-8", (unsigned)v);
                break;
            }
            n += put_utf8(out + n, v);
            break;
        }
        case 'N': {
            const char *e = s;
            if (e < end && *e == '{')
                while (e < end && *e != '}' && *e != '\n')
                    e++;
            if (e < end && *e == '}')
                s = e + 1;
            err(ctx, loc_at(ctx, (size_t)(esc - ctx->file->text), (size_t)(s - esc)),
                "named Unicode escapes ('\\N{...}') are not supported in definition files; use '\\u' or '\\U' with the code point");
            break;
        }
        default: {
            /* Python keeps the backslash and warns. */
            size_t cl = utf8_char_len(esc + 1, end);
            s = esc + 1 + cl;
            diag_add(ctx->diags, DIAG_WARNING,
                     L(ctx, loc_at(ctx, (size_t)(esc - ctx->file->text), (size_t)(s - esc))),
                     "invalid escape sequence '\\%.*s'", (int)cl, esc + 1);
            memcpy(out + n, esc, (size_t)(s - esc));
            n += (size_t)(s - esc);
            break;
        }
        }
    }
    return n;
}

static char *decode_new(parse_ctx *ctx, size_t off, size_t len, bool raw, size_t *out_len)
{
    char *out = arena_alloc(ctx->arena, len + 1);
    if (!out) {
        ctx->oom = true;
        *out_len = 0;
        return NULL;
    }
    *out_len = decode(ctx, off, len, raw, out);
    return out;
}

/* Append literal text to f-string parts, joining it to a literal before. */
static void add_literal(parse_ctx *ctx, node_list *parts, const char *s, size_t n)
{
    if (n == 0)
        return;
    fstring_part *last = parts->len ? parts->items[parts->len - 1] : NULL;
    if (last && last->literal) {
        char *j = arena_alloc(ctx->arena, last->literal_len + n + 1);
        if (!j) {
            ctx->oom = true;
            return;
        }
        memcpy(j, last->literal, last->literal_len);
        memcpy(j + last->literal_len, s, n);
        j[last->literal_len + n] = '\0';
        last->literal = j;
        last->literal_len += n;
        return;
    }
    fstring_part *p = alloc(ctx, sizeof *p);
    if (!p)
        return;
    p->literal = s;
    p->literal_len = n;
    push(ctx, parts, p);
}

/* f-strings, as CPython 3.11 reads them: the token is a string like any
 * other, and its body is then split into literal text and replacement
 * fields, whose expressions are parsed on their own. The body is the
 * source text, so offsets into it are offsets into the file. */
typedef struct fscan {
    parse_ctx *ctx;
    const char *text;   /* the file */
    size_t end;         /* end of the body */
    bool raw;
} fscan;

static bool fs_parse(fscan *f, size_t *pos, int level, node_list *parts);

static void fs_error(fscan *f, size_t off, size_t len, const char *msg)
{
    err(f->ctx, loc_at(f->ctx, off, len), "%s", msg);
}

/* Literal text up to a replacement field ('{'), the end of a format spec
 * ('}' when level > 0) or the end. Returns -1 after an error, 1 after a
 * doubled brace (the literal includes one; keep going), else 0. */
static int fs_literal(fscan *f, size_t *pos, int level, node_list *parts)
{
    const char *t = f->text;
    size_t s = *pos, start = s;
    int result = 0;
    size_t lit_end;
    while (s < f->end) {
        char ch = t[s++];
        if (!f->raw && ch == '\\' && s < f->end) {
            ch = t[s++];
            if (ch == 'N') {
                /* The braces of \N{...} are not a field; decode() rejects it. */
                if (s < f->end && t[s++] == '{')
                    while (s < f->end && t[s++] != '}')
                        ;
                continue;
            }
            if (ch == '{')
                diag_add(f->ctx->diags, DIAG_WARNING, L(f->ctx, loc_at(f->ctx, s - 2, 2)),
                         "invalid escape sequence '\\{'");
        }
        if (ch == '{' || ch == '}') {
            /* Doubled braces only at the top level: in f'{x:{y}}' the two
             * closing braces are not an escape. */
            if (level == 0) {
                if (s < f->end && t[s] == ch) {
                    lit_end = s;
                    *pos = s + 1;
                    result = 1;
                    goto done;
                }
                if (ch == '}') {
                    fs_error(f, s - 1, 1, "f-string: single '}' is not allowed");
                    return -1;
                }
            }
            s--;
            break;
        }
    }
    lit_end = s;
    *pos = s;
done:
    if (lit_end > start) {
        /* A field right after "\{" leaves a lone backslash to decode. */
        size_t n;
        char *lit = decode_new(f->ctx, start, lit_end - start, f->raw, &n);
        if (lit)
            add_literal(f->ctx, parts, lit, n);
    }
    return result;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A replacement field at '{': {expression[=][!conversion][:format_spec]}. */
static bool fs_field(fscan *f, size_t *pos, int level, node_list *parts)
{
    const char *t = f->text;
    parse_ctx *ctx = f->ctx;
    size_t open = *pos;
    if (level >= 2) {
        fs_error(f, open, 1, "f-string: expressions nested too deeply");
        return false;
    }
    size_t s = open + 1, expr_start = s;
    char quote = 0;
    int string_type = 0, depth = 0;
    char parens[200];
    size_t paren_at[200];

    /* Find the end of the expression the way CPython 3.11 does: brackets
     * and strings nest, and '!', ':', '=' and '}' end it only outside them. */
    while (s < f->end) {
        char ch = t[s];
        if (ch == '\\') {
            fs_error(f, s, 1, "f-string expression part cannot include a backslash");
            return false;
        }
        if (quote) {
            if (ch == quote) {
                if (string_type == 3) {
                    if (s + 2 < f->end && t[s + 1] == ch && t[s + 2] == ch) {
                        s += 3;
                        quote = 0;
                        string_type = 0;
                        continue;
                    }
                } else {
                    s++;
                    quote = 0;
                    string_type = 0;
                    continue;
                }
            }
        } else if (ch == '\'' || ch == '"') {
            if (s + 2 < f->end && t[s + 1] == ch && t[s + 2] == ch) {
                string_type = 3;
                s += 2;
            } else
                string_type = 1;
            quote = ch;
        } else if (ch == '[' || ch == '{' || ch == '(') {
            if (depth >= (int)sizeof parens) {
                fs_error(f, s, 1, "f-string: too many nested parentheses");
                return false;
            }
            parens[depth] = ch;
            paren_at[depth] = s;
            depth++;
        } else if (ch == '#') {
            fs_error(f, s, 1, "f-string expression part cannot include '#'");
            return false;
        } else if (depth == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
            if (s + 1 < f->end) {
                char next = t[s + 1];
                if (next == '=' && (ch == '!' || ch == '=' || ch == '<' || ch == '>')) {
                    s += 2;
                    continue;
                }
            }
            if (ch == '>' || ch == '<') {
                s++;
                continue;
            }
            break;
        } else if (ch == ']' || ch == '}' || ch == ')') {
            if (depth == 0) {
                char msg[64];
                snprintf(msg, sizeof msg, "f-string: unmatched '%c'", ch);
                fs_error(f, s, 1, msg);
                return false;
            }
            depth--;
            char opening = parens[depth];
            if (!((opening == '(' && ch == ')') || (opening == '[' && ch == ']') || (opening == '{' && ch == '}'))) {
                char msg[96];
                snprintf(msg, sizeof msg,
                         "f-string: closing parenthesis '%c' does not match opening parenthesis '%c'",
                         ch, opening);
                fs_error(f, s, 1, msg);
                return false;
            }
        }
        s++;
    }
    size_t expr_end = s;
    if (quote) {
        fs_error(f, expr_end, 0, "f-string: unterminated string");
        return false;
    }
    if (depth) {
        char msg[64];
        snprintf(msg, sizeof msg, "f-string: unmatched '%c'", parens[depth - 1]);
        fs_error(f, paren_at[depth - 1], 1, msg);
        return false;
    }
    if (s >= f->end)
        goto expecting_brace;

    bool blank = true;
    for (size_t i = expr_start; i < expr_end; i++)
        if (!is_space(t[i]))
            blank = false;
    if (blank) {
        fs_error(f, open, expr_end - open + 1, "f-string: empty expression not allowed");
        return false;
    }

    fstring_part *part = alloc(ctx, sizeof *part);
    if (!part)
        return false;
    int line, col;
    source_position(ctx->file, expr_start, &line, &col);
    part->value = dsl_parse_fexpr(ctx, expr_start, expr_end - expr_start, line, col);
    if (!part->value)
        part->value = placeholder(ctx, loc_at(ctx, expr_start, expr_end - expr_start));

    if (t[s] == '=') {
        s++;
        while (s < f->end && is_space(t[s]))
            s++;
        if (s >= f->end)
            goto expecting_brace;
        part->self_documenting = true;
        part->expr_text = dup(ctx, t + expr_start, s - expr_start);
    }
    if (t[s] == '!') {
        s++;
        if (s >= f->end)
            goto expecting_brace;
        char c = t[s];
        if (c == '}' || c == ':') {
            fs_error(f, s, 0, "f-string: missing conversion character");
            return false;
        }
        size_t cl = utf8_char_len(t + s, t + f->end);
        if (c != 's' && c != 'r' && c != 'a') {
            char msg[96];
            snprintf(msg, sizeof msg,
                     "f-string: invalid conversion character '%.*s': expected 's', 'r', or 'a'",
                     (int)cl, t + s);
            fs_error(f, s, cl, msg);
            return false;
        }
        part->conversion = c;
        s++;
    }
    if (s >= f->end)
        goto expecting_brace;
    if (t[s] == ':') {
        s++;
        size_t spec_start = s;
        node_list spec = {0};
        if (!fs_parse(f, &s, level + 1, &spec))
            return false;
        YYLTYPE sl = loc_at(ctx, spec_start, s - spec_start);
        bool all_literal = true;
        for (size_t i = 0; i < spec.len; i++)
            if (!((fstring_part *)spec.items[i])->literal)
                all_literal = false;
        if (all_literal) {
            part->format_spec = mk(ctx, E_STR, sl);
            part->format_spec->u.str.data = "";
            if (spec.len) {
                fstring_part *p = spec.items[0];
                part->format_spec->u.str.data = p->literal;
                part->format_spec->u.str.len = p->literal_len;
            }
        } else {
            part->format_spec = mk(ctx, E_FSTRING, sl);
            part->format_spec->u.fstr.parts = spec;
            part->format_spec = done(ctx, part->format_spec);
        }
    }
    if (s >= f->end || t[s] != '}')
        goto expecting_brace;
    s++;
    /* {x=} shows the repr unless a conversion or a format spec says otherwise. */
    if (part->self_documenting && !part->format_spec && !part->conversion)
        part->conversion = 'r';
    push(ctx, parts, part);
    *pos = s;
    return true;

expecting_brace:
    fs_error(f, s < f->end ? s : f->end, s < f->end ? 1 : 0, "f-string: expecting '}'");
    return false;
}

static bool fs_parse(fscan *f, size_t *pos, int level, node_list *parts)
{
    for (;;) {
        int r = fs_literal(f, pos, level, parts);
        if (r < 0)
            return false;
        if (r == 1)
            continue;
        if (*pos >= f->end || f->text[*pos] == '}')
            return true;
        if (!fs_field(f, pos, level, parts))
            return false;
    }
}

/* Adjacent literals: one E_STR, or one E_FSTRING if any is an f-string. */
static expr *strings(parse_ctx *ctx, const node_list *pieces, YYLTYPE l)
{
    bool any_f = false;
    size_t total = 0;
    for (size_t i = 0; i < pieces->len; i++) {
        const str_tok *t = pieces->items[i];
        if (t->flags & TOK_BYTES) {
            diag_error(ctx->diags, t->loc, "bytes literals are not supported in definition files");
            continue;
        }
        if (t->flags & TOK_FSTRING)
            any_f = true;
        total += t->len;
    }

    if (!any_f) {
        expr *e = mk(ctx, E_STR, l);
        char *out = arena_alloc(ctx->arena, total + 1);
        if (!out) {
            ctx->oom = true;
            e->u.str.data = "";
            return e;
        }
        size_t n = 0;
        for (size_t i = 0; i < pieces->len; i++) {
            const str_tok *t = pieces->items[i];
            if (!(t->flags & TOK_BYTES))
                n += decode(ctx, t->off, t->len, t->flags & TOK_RAW, out + n);
        }
        out[n] = '\0';
        e->u.str.data = out;
        e->u.str.len = n;
        return e;
    }

    expr *e = mk(ctx, E_FSTRING, l);
    for (size_t i = 0; i < pieces->len; i++) {
        const str_tok *t = pieces->items[i];
        if (t->flags & TOK_BYTES)
            continue;
        if (t->flags & TOK_FSTRING) {
            fscan f = {ctx, ctx->file->text, t->off + t->len, t->flags & TOK_RAW};
            size_t pos = t->off;
            /* An error ends this piece; what came before it is kept. */
            if (fs_parse(&f, &pos, 0, &e->u.fstr.parts) && pos < f.end)
                fs_error(&f, pos, 1, "f-string: single '}' is not allowed");
        } else {
            size_t n;
            char *lit = decode_new(ctx, t->off, t->len, t->flags & TOK_RAW, &n);
            if (lit)
                add_literal(ctx, &e->u.fstr.parts, lit, n);
        }
    }
    return done(ctx, e);
}

/* ---- comprehensions, calls, parameters --------------------------------------- */

static const char *describe(const expr *e)
{
    switch (e->kind) {
    case E_NAME: return "name";
    case E_NONE: return "None";
    case E_BOOL: return e->u.b ? "True" : "False";
    case E_INT: case E_FLOAT: case E_STR: return "literal";
    case E_FSTRING: return "f-string expression";
    case E_LIST: return "list";
    case E_TUPLE: return "tuple";
    case E_DICT: return "dict literal";
    case E_STARRED: return "starred";
    case E_ATTR: return "attribute";
    case E_SUBSCRIPT: return "subscript";
    case E_SLICE: return "slice";
    case E_CALL: return "function call";
    case E_BINOP: case E_UNARY: case E_BOOLOP: return "expression";
    case E_COMPARE: return "comparison";
    case E_IFEXP: return "conditional expression";
    case E_LISTCOMP: return "list comprehension";
    case E_DICTCOMP: return "dict comprehension";
    case E_LAMBDA: return "lambda";
    }
    return "expression";
}

static bool python_target(const expr *e)
{
    switch (e->kind) {
    case E_NAME: case E_ATTR: case E_SUBSCRIPT: case E_TUPLE: case E_LIST: case E_STARRED:
        return true;
    default:
        return false;
    }
}

/* Targets of "=" and of comprehensions unpack only into names here (the
 * evaluator's contract); Python's other targets get their own message. */
static void check_unpack(parse_ctx *ctx, expr *e, const char *where)
{
    for (size_t i = 0; i < e->u.seq.items.len; i++) {
        expr *x = e->u.seq.items.items[i];
        if (x->kind == E_NAME)
            continue;
        if (x->kind == E_STARRED)
            diag_error(ctx->diags, x->loc, "starred %s targets are not supported in definition files", where);
        else if (python_target(x))
            diag_error(ctx->diags, x->loc,
                       "unpacking into %s %s is not supported in definition files; unpack into names",
                       x->kind == E_ATTR ? "an" : "a", describe(x));
        else
            diag_error(ctx->diags, x->loc, "cannot assign to %s", describe(x));
    }
}

static void check_target(parse_ctx *ctx, expr *e, bool augmented)
{
    switch (e->kind) {
    case E_NAME: case E_ATTR: case E_SUBSCRIPT:
        return;
    case E_TUPLE: case E_LIST:
        if (augmented)
            diag_error(ctx->diags, e->loc, "'%s' is an illegal expression for augmented assignment",
                       describe(e));
        else
            check_unpack(ctx, e, "assignment");
        return;
    case E_STARRED:
        if (!augmented)
            return;   /* already reported by seq_expr */
        break;
    default:
        break;
    }
    if (augmented && e->kind != E_STARRED)
        diag_error(ctx->diags, e->loc, "'%s' is an illegal expression for augmented assignment",
                   describe(e));
    else if (augmented)
        diag_error(ctx->diags, e->loc, "'starred' is an illegal expression for augmented assignment");
    else
        diag_error(ctx->diags, e->loc, "cannot assign to %s", describe(e));
}

static stmt *assign(parse_ctx *ctx, node_list chain, YYLTYPE l)
{
    stmt *s = mks(ctx, S_ASSIGN, l);
    for (size_t i = 0; i + 1 < chain.len; i++) {
        check_target(ctx, chain.items[i], false);
        push(ctx, &s->u.assign.targets, chain.items[i]);
    }
    s->u.assign.value = chain.len ? chain.items[chain.len - 1] : placeholder(ctx, l);
    return s;
}

static comp_for *comp_clause(parse_ctx *ctx, seq_val target, YYLTYPE target_loc, expr *iter, node_list ifs)
{
    comp_for *c = alloc(ctx, sizeof *c);
    if (!c)
        return NULL;
    expr *t;
    if (target.items.len == 1 && !target.comma)
        t = target.items.items[0];
    else {
        t = mk(ctx, E_TUPLE, target_loc);
        t->u.seq.items = target.items;
        t = done(ctx, t);
    }
    if (t->kind == E_TUPLE)
        check_unpack(ctx, t, "comprehension");
    else if (t->kind == E_STARRED)
        diag_error(ctx->diags, t->loc, "starred comprehension targets are not supported in definition files");
    else if (t->kind != E_NAME) {
        if (python_target(t))
            diag_error(ctx->diags, t->loc,
                       "a comprehension target must be a name or a tuple of names in definition files");
        else
            diag_error(ctx->diags, t->loc, "cannot assign to %s", describe(t));
    }
    c->target = t;
    c->iter = iter;
    c->ifs = ifs;
    return c;
}

static expr *comp(parse_ctx *ctx, expr_kind kind, expr *key, expr *element, node_list fors, YYLTYPE l)
{
    if (element->kind == E_STARRED)
        diag_error(ctx->diags, element->loc, "iterable unpacking cannot be used in comprehension");
    expr *e = mk(ctx, kind, l);
    e->u.comp.key = key;
    e->u.comp.element = element;
    for (size_t i = 0; i < fors.len; i++)
        if (fors.items[i])
            push(ctx, &e->u.comp.fors, fors.items[i]);
    return done(ctx, e);
}

static call_arg *arg(parse_ctx *ctx, arg_kind kind, expr *value, YYLTYPE l)
{
    call_arg *a = alloc(ctx, sizeof *a);
    if (!a)
        return NULL;
    a->kind = kind;
    a->value = value;
    a->loc = L(ctx, l);
    return a;
}

static call_arg *keyword_arg(parse_ctx *ctx, expr *name, expr *value, YYLTYPE l)
{
    call_arg *a = arg(ctx, ARG_KEYWORD, value, l);
    if (!a)
        return NULL;
    if (name->kind != E_NAME) {
        diag_error(ctx->diags, name->loc, "expression cannot contain assignment, perhaps you meant \"==\"?");
        a->name = "";
    } else
        a->name = name->u.name;
    a->name_loc = name->loc;
    return a;
}

/* Python's rules on the order of arguments. */
static expr *call(parse_ctx *ctx, expr *func, node_list args, YYLTYPE l)
{
    expr *e = mk(ctx, E_CALL, l);
    e->u.call.func = func;
    bool keyword = false, double_star = false;
    for (size_t i = 0; i < args.len; i++) {
        call_arg *a = args.items[i];
        if (!a)
            continue;
        if (a->name == genexp_mark) {
            a->name = NULL;
            if (args.len > 1)
                diag_error(ctx->diags, a->loc, "generator expression must be parenthesized");
        }
        switch (a->kind) {
        case ARG_POSITIONAL:
            if (double_star)
                diag_error(ctx->diags, a->loc, "positional argument follows keyword argument unpacking");
            else if (keyword)
                diag_error(ctx->diags, a->loc, "positional argument follows keyword argument");
            break;
        case ARG_STAR:
            if (double_star)
                diag_error(ctx->diags, a->loc, "iterable argument unpacking follows keyword argument unpacking");
            break;
        case ARG_KEYWORD:
            keyword = true;
            for (size_t j = 0; j < i; j++) {
                call_arg *b = args.items[j];
                if (b && b->kind == ARG_KEYWORD && *a->name && strcmp(a->name, b->name) == 0) {
                    diag_error(ctx->diags, a->name_loc, "keyword argument repeated: %s", a->name);
                    break;
                }
            }
            break;
        case ARG_DOUBLE_STAR:
            double_star = true;
            break;
        }
        push(ctx, &e->u.call.args, a);
    }
    return done(ctx, e);
}

static raw_param *rparam(parse_ctx *ctx, raw_param_tag tag, const char *name, expr *def, YYLTYPE l)
{
    raw_param *p = alloc(ctx, sizeof *p);
    if (!p)
        return NULL;
    p->tag = tag;
    p->name = name;
    p->default_value = def;
    p->loc = L(ctx, l);
    return p;
}

/* Python's rules on the order of parameters; a bare '*' makes the rest
 * keyword-only and is not itself a parameter. */
static node_list params(parse_ctx *ctx, const node_list *raw)
{
    node_list out = {0};
    enum { POSITIONAL, KEYWORD_ONLY, AFTER_KWARGS } state = POSITIONAL;
    bool seen_default = false;
    raw_param *bare_star = NULL;
    for (size_t i = 0; i < raw->len; i++) {
        raw_param *r = raw->items[i];
        if (!r)
            continue;
        if (state == AFTER_KWARGS) {
            diag_error(ctx->diags, r->loc, "arguments cannot follow var-keyword argument");
            continue;
        }
        if (r->tag == RP_SLASH) {
            diag_error(ctx->diags, r->loc,
                       "positional-only parameters ('/') are not supported in definition files");
            continue;
        }
        if (r->tag == RP_STAR && state == KEYWORD_ONLY) {
            diag_error(ctx->diags, r->loc, "* argument may appear only once");
            continue;
        }
        if (r->tag == RP_STAR && !r->name) {
            state = KEYWORD_ONLY;
            bare_star = r;
            continue;
        }
        for (size_t j = 0; j < out.len; j++)
            if (strcmp(((param *)out.items[j])->name, r->name) == 0) {
                diag_error(ctx->diags, r->loc, "duplicate argument '%s' in function definition", r->name);
                break;
            }
        param *p = alloc(ctx, sizeof *p);
        if (!p)
            continue;
        p->name = r->name;
        p->default_value = r->default_value;
        p->loc = r->loc;
        switch (r->tag) {
        case RP_NAME:
            if (state == POSITIONAL) {
                p->kind = PARAM_NORMAL;
                if (r->default_value)
                    seen_default = true;
                else if (seen_default)
                    diag_error(ctx->diags, r->loc, "non-default argument follows default argument");
            } else
                p->kind = PARAM_KWONLY;
            bare_star = NULL;
            break;
        case RP_STAR:
            p->kind = PARAM_VARARGS;
            state = KEYWORD_ONLY;
            if (r->default_value)
                diag_error(ctx->diags, r->default_value->loc, "var-positional argument cannot have default value");
            break;
        case RP_DSTAR:
            p->kind = PARAM_KWARGS;
            state = AFTER_KWARGS;
            if (r->default_value)
                diag_error(ctx->diags, r->default_value->loc, "var-keyword argument cannot have default value");
            break;
        case RP_SLASH:
            break;
        }
        push(ctx, &out, p);
    }
    if (bare_star)
        diag_error(ctx->diags, bare_star->loc, "named arguments must follow bare *");
    return out;
}

static stmt *if_stmt(parse_ctx *ctx, expr *test, node_list body, node_list orelse, YYLTYPE l)
{
    stmt *s = mks(ctx, S_IF, l);
    s->u.if_stmt.test = test;
    s->u.if_stmt.body = body;
    s->u.if_stmt.orelse = orelse;
    return s;
}

/* Python rejects a return at module level when it compiles the module. */
static void outside_def(parse_ctx *ctx, const stmt *s)
{
    if (s->kind == S_RETURN)
        diag_error(ctx->diags, s->loc, "'return' outside function");
    if (s->kind != S_IF)
        return;
    for (size_t i = 0; i < s->u.if_stmt.body.len; i++)
        outside_def(ctx, s->u.if_stmt.body.items[i]);
    for (size_t i = 0; i < s->u.if_stmt.orelse.len; i++)
        outside_def(ctx, s->u.if_stmt.orelse.items[i]);
}

/* ---- syntax errors ----------------------------------------------------------- */

#ifndef DSL_PARSE_FAST

static bool is_continuation(yysymbol_kind_t k, const bool *want)
{
    /* Tokens that could extend what came before the error: listing them
     * ("expected '+', '-', '*', ...") would bury the useful ones. 'in' is
     * one only where comparisons are possible: after "for x" it is needed. */
    if (k == YYSYMBOL_IN)
        return want[YYTRANSLATE('<')];
    static const int tokens[] = {
        AND, OR, NOT, IS, IF, FOR, ASYNC, STRING, EQEQ, NOTEQ, LE, GE, POW, FLOORDIV,
        LSHIFT, RSHIFT, ARROW, COLONEQ, AUGASSIGN, ELLIPSIS,
        '(', '[', '.', '+', '-', '*', '/', '%', '<', '>', '|', '&', '^', '@', '=',
    };
    for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++)
        if (YYTRANSLATE(tokens[i]) == k)
            return true;
    return false;
}

static char closer_of(char open)
{
    return open == '(' ? ')' : open == '[' ? ']' : '}';
}

static yysymbol_kind_t closer_symbol(char close)
{
    int code = (unsigned char)close;
    return YYTRANSLATE(code);
}

static bool text_is(parse_ctx *ctx, size_t off, size_t len, const char *s)
{
    return strlen(s) == len && memcmp(ctx->file->text + off, s, len) == 0;
}

#endif

static int yyreport_syntax_error(const yypcontext_t *pc, yyscan_t scanner, parse_ctx *ctx)
{
#ifdef DSL_PARSE_FAST
    /* Without LAC the expected tokens may be wrong: report nothing, stop
     * (2 ends the parse as if out of memory; dsl_yyerror below says
     * nothing either) and let the exact parser do it again. */
    (void)pc;
    (void)scanner;
    (void)yypcontext_expected_tokens; /* used by the exact parser only */
    ctx->needs_exact = true;
    return 2;
#else
    const tok_info *t = dsl_lex_last(scanner);
    yysymbol_kind_t la = yypcontext_token(pc);
    YYLTYPE at = *yypcontext_location(pc);
    if (ctx->quiet_line && at.first_line == ctx->quiet_line)
        return 0;

    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(pc, expected, YYNTOKENS);
    if (n < 0)
        n = 0;
    bool want[YYNTOKENS] = {false};
    for (int i = 0; i < n; i++)
        want[expected[i]] = true;

    /* What the user wrote, as they would name it. */
    char what[96];
    const char *text = ctx->file->text + t->off;
    int tlen = t->len > 40 ? 40 : (int)t->len;
    switch (la) {
    case YYSYMBOL_YYEOF:
        snprintf(what, sizeof what, "%s", ctx->module ? "end of file" : "end of the replacement field");
        break;
    case YYSYMBOL_NEWLINE: snprintf(what, sizeof what, "newline"); break;
    case YYSYMBOL_INDENT: snprintf(what, sizeof what, "indent"); break;
    case YYSYMBOL_DEDENT: snprintf(what, sizeof what, "dedent"); break;
    case YYSYMBOL_NAME: snprintf(what, sizeof what, "name '%.*s'", tlen, text); break;
    case YYSYMBOL_NUMBER: snprintf(what, sizeof what, "number '%.*s'", tlen, text); break;
    case YYSYMBOL_STRING: snprintf(what, sizeof what, "string literal"); break;
    default:
        if (t->len)
            snprintf(what, sizeof what, "'%.*s'", tlen, text);
        else
            snprintf(what, sizeof what, "%s", yysymbol_name(la));
        break;
    }

    /* Soft keywords and Python 2 habits: the line's first token says more
     * than the token where parsing failed. */
    if (t->first_len && t->first_line == at.first_line) {
        YYLTYPE fl = {t->first_line, t->first_col, t->first_line, t->first_col + (int)t->first_len - 1};
        if (text_is(ctx, t->first_off, t->first_len, "match") && (t->index_in_line == 1 || la == YYTRANSLATE(':') ||
             (la == YYSYMBOL_NEWLINE && t->prev_kind == ':'))) {
            err(ctx, fl, "'match' statements are not supported in definition files");
            return 0;
        }
        if (text_is(ctx, t->first_off, t->first_len, "print") && t->index_in_line == 1 &&
            (la == YYSYMBOL_STRING || la == YYSYMBOL_NAME || la == YYSYMBOL_NUMBER)) {
            err(ctx, fl, "missing parentheses in call to 'print'; did you mean print(...)?");
            return 0;
        }
    }

    if (la == YYSYMBOL_INDENT) {
        err(ctx, at, "unexpected indent");
        return 0;
    }
    bool is_closer = la == YYTRANSLATE(')') || la == YYTRANSLATE(']') || la == YYTRANSLATE('}');
    if (la == YYSYMBOL_YYEOF && t->in_bracket) {
        YYLTYPE o = {t->open_line, t->open_col, t->open_line, t->open_col};
        err(ctx, o, "'%c' was never closed", t->open_ch);
        return 0;
    }
    if (is_closer && !t->in_bracket) {
        err(ctx, at, "unmatched '%.*s'", tlen, text);
        return 0;
    }
    if (is_closer && closer_of(t->open_ch) != text[0]) {
        err(ctx, at, "closing parenthesis '%c' does not match opening parenthesis '%c' at %d:%d",
            text[0], t->open_ch, t->open_line, t->open_col);
        dsl_lex_drop_brackets(scanner);
        return 0;
    }
    /* A later line that starts no further right than the line that opened
     * the bracket is a new statement: the bracket was never closed. */
    if (t->in_bracket && want[closer_symbol(closer_of(t->open_ch))] && t->line > t->open_line &&
        t->line_indent <= t->open_line_indent) {
        err(ctx, at, "expected '%c' to close '%c' opened at %d:%d", closer_of(t->open_ch), t->open_ch,
            t->open_line, t->open_col);
        dsl_lex_drop_brackets(scanner);
        return 0;
    }

    /* Where a statement could start, or the statement or the replacement
     * field could have ended, what follows is what is wrong. */
    if (want[YYSYMBOL_NEWLINE] || want[YYSYMBOL_PASS] || (!ctx->module && want[YYSYMBOL_YYEOF]) || n == 0) {
        err(ctx, at, "unexpected %s", what);
        return 0;
    }
    if (want[YYSYMBOL_NUMBER]) {
        err(ctx, at, "expected an expression");
        return 0;
    }

    /* A short list of what could come next. */
    yysymbol_kind_t list[YYNTOKENS];
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!is_continuation(expected[i], want))
            list[m++] = expected[i];
    if (m == 0)
        for (int i = 0; i < n; i++)
            list[m++] = expected[i];
    /* "a name or ')'" reads better than "')' or a name". */
    for (int i = 0; i < m; i++)
        if (list[i] == YYSYMBOL_NAME) {
            memmove(list + 1, list, (size_t)i * sizeof *list);
            list[0] = YYSYMBOL_NAME;
        }
    if (m > 4) {
        err(ctx, at, "unexpected %s", what);
        return 0;
    }
    char msg[256];
    size_t len = (size_t)snprintf(msg, sizeof msg, "expected ");
    for (int i = 0; i < m && len < sizeof msg; i++)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s",
                                i == 0 ? "" : i == m - 1 ? " or " : ", ", yysymbol_name(list[i]));
    err(ctx, at, "%s", msg);
    return 0;
#endif
}

static void dsl_yyerror(YYLTYPE *loc, yyscan_t scanner, parse_ctx *ctx, const char *msg)
{
    (void)scanner;
    /* Bison only calls this when its stack cannot grow. */
    (void)msg;
#ifdef DSL_PARSE_FAST
    (void)loc;
    ctx->needs_exact = true;
#else
    err(ctx, *loc, "too deeply nested: the parser ran out of stack");
#endif
}
