/* Tree helpers: growing node lists, and the dump the parser tests compare. */
#include "ast.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool node_list_push(arena *a, node_list *l, void *item)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        if (cap > SIZE_MAX / sizeof *l->items)
            return false;
        /* The old array stays in the arena until the arena goes. */
        void **items = arena_alloc(a, cap * sizeof *items);
        if (!items)
            return false;
        if (l->len)
            memcpy(items, l->items, l->len * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = item;
    return true;
}

/* ---- dump ------------------------------------------------------------------------ */

static const char *op_name(op_kind op)
{
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_FLOORDIV: return "//";
    case OP_MOD: return "%";
    case OP_POW: return "**";
    case OP_NEG: return "-";
    case OP_POS: return "+";
    case OP_NOT: return "not";
    case OP_AND: return "and";
    case OP_OR: return "or";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_IN: return "in";
    case OP_NOT_IN: return "not in";
    case OP_IS: return "is";
    case OP_IS_NOT: return "is not";
    }
    return "?";
}

static void indent(FILE *out, int depth, const char *label)
{
    fprintf(out, "%*s", depth * 2, "");
    if (label)
        fprintf(out, "%s: ", label);
}

static void block_label(FILE *out, int depth, const char *label)
{
    fprintf(out, "%*s%s:\n", depth * 2, "", label);
}

static void put_loc(FILE *out, src_loc l)
{
    fprintf(out, " @%d:%d-%d:%d\n", l.first_line, l.first_col, l.last_line, l.last_col);
}

/* A string as a Python-ish literal: printable UTF-8 as is, the rest escaped. */
static void put_str(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (c < 0x20 || c == 0x7F)
                fprintf(out, "\\x%02x", c);
            else
                fputc(c, out);
        }
    }
    fputc('"', out);
}

/* As Python's repr: the fewest digits that read back as the same double,
 * positional from 1e-4 up to 1e16, and always with a '.' or an exponent. */
static void put_float(FILE *out, double f)
{
    if (isnan(f)) {
        fputs("nan", out);
        return;
    }
    if (isinf(f)) {
        fputs(f < 0 ? "-inf" : "inf", out);
        return;
    }
    char buf[64];
    int digits = 1;
    for (; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*e", digits - 1, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    int exp = atoi(strchr(buf, 'e') + 1);
    if (exp < -4 || exp >= 16) {
        fputs(buf, out);
        return;
    }
    int decimals = digits - 1 - exp;
    snprintf(buf, sizeof buf, "%.*f", decimals > 0 ? decimals : 0, f);
    fputs(buf, out);
    if (!strchr(buf, '.'))
        fputs(".0", out);
}

static void dump_expr(FILE *out, const expr *e, int depth, const char *label);
static void dump_stmts(FILE *out, const node_list *l, int depth);

static void dump_opt(FILE *out, const expr *e, int depth, const char *label)
{
    if (e)
        dump_expr(out, e, depth, label);
    else {
        indent(out, depth, label);
        fputs("-\n", out);
    }
}

static void dump_params(FILE *out, const node_list *params, int depth)
{
    static const char *const kinds[] = {"", "*", "kwonly ", "**"};
    for (size_t i = 0; i < params->len; i++) {
        const param *p = params->items[i];
        indent(out, depth, "param");
        fprintf(out, "%s%s", kinds[p->kind], p->name);
        put_loc(out, p->loc);
        if (p->default_value)
            dump_expr(out, p->default_value, depth + 1, "default");
    }
}

static void dump_fstring_parts(FILE *out, const node_list *parts, int depth)
{
    for (size_t i = 0; i < parts->len; i++) {
        const fstring_part *p = parts->items[i];
        indent(out, depth, NULL);
        if (p->literal) {
            fputs("Literal ", out);
            put_str(out, p->literal, p->literal_len);
            fputc('\n', out);
            continue;
        }
        fputs("Field", out);
        if (p->conversion)
            fprintf(out, " !%c", p->conversion);
        if (p->self_documenting) {
            fputs(" text=", out);
            put_str(out, p->expr_text, strlen(p->expr_text));
        }
        fputc('\n', out);
        dump_expr(out, p->value, depth + 1, "value");
        if (p->format_spec)
            dump_expr(out, p->format_spec, depth + 1, "spec");
    }
}

static void dump_expr(FILE *out, const expr *e, int depth, const char *label)
{
    indent(out, depth, label);
    switch (e->kind) {
    case E_NAME:
        fprintf(out, "Name %s", e->u.name);
        put_loc(out, e->loc);
        break;
    case E_NONE:
        fputs("None", out);
        put_loc(out, e->loc);
        break;
    case E_BOOL:
        fputs(e->u.b ? "True" : "False", out);
        put_loc(out, e->loc);
        break;
    case E_INT:
        fprintf(out, "Int %" PRId64, e->u.i);
        put_loc(out, e->loc);
        break;
    case E_FLOAT:
        fputs("Float ", out);
        put_float(out, e->u.f);
        put_loc(out, e->loc);
        break;
    case E_STR:
        fputs("Str ", out);
        put_str(out, e->u.str.data, e->u.str.len);
        put_loc(out, e->loc);
        break;
    case E_FSTRING:
        fputs("FString", out);
        put_loc(out, e->loc);
        dump_fstring_parts(out, &e->u.fstr.parts, depth + 1);
        break;
    case E_LIST:
    case E_TUPLE:
        fputs(e->kind == E_LIST ? "List" : "Tuple", out);
        put_loc(out, e->loc);
        for (size_t i = 0; i < e->u.seq.items.len; i++)
            dump_expr(out, e->u.seq.items.items[i], depth + 1, NULL);
        break;
    case E_DICT:
        fputs("Dict", out);
        put_loc(out, e->loc);
        for (size_t i = 0; i < e->u.dict.keys.len; i++) {
            const expr *k = e->u.dict.keys.items[i];
            if (k)
                dump_expr(out, k, depth + 1, "key");
            dump_expr(out, e->u.dict.values.items[i], depth + 1, k ? "value" : "**");
        }
        break;
    case E_STARRED:
        fputs("Starred", out);
        put_loc(out, e->loc);
        dump_expr(out, e->u.unary.operand, depth + 1, NULL);
        break;
    case E_ATTR:
        fprintf(out, "Attr .%s", e->u.attr.name);
        put_loc(out, e->loc);
        dump_expr(out, e->u.attr.object, depth + 1, NULL);
        break;
    case E_SUBSCRIPT:
        fputs("Subscript", out);
        put_loc(out, e->loc);
        dump_expr(out, e->u.subscript.object, depth + 1, "object");
        dump_expr(out, e->u.subscript.index, depth + 1, "index");
        break;
    case E_SLICE:
        fputs("Slice", out);
        put_loc(out, e->loc);
        dump_opt(out, e->u.slice.lower, depth + 1, "lower");
        dump_opt(out, e->u.slice.upper, depth + 1, "upper");
        dump_opt(out, e->u.slice.step, depth + 1, "step");
        break;
    case E_CALL:
        fputs("Call", out);
        put_loc(out, e->loc);
        dump_expr(out, e->u.call.func, depth + 1, "func");
        for (size_t i = 0; i < e->u.call.args.len; i++) {
            const call_arg *a = e->u.call.args.items[i];
            char label_buf[256];
            switch (a->kind) {
            case ARG_POSITIONAL: snprintf(label_buf, sizeof label_buf, "arg"); break;
            case ARG_STAR: snprintf(label_buf, sizeof label_buf, "*arg"); break;
            case ARG_KEYWORD: snprintf(label_buf, sizeof label_buf, "%s=", a->name); break;
            case ARG_DOUBLE_STAR: snprintf(label_buf, sizeof label_buf, "**arg"); break;
            }
            dump_expr(out, a->value, depth + 1, label_buf);
        }
        break;
    case E_BINOP:
    case E_BOOLOP:
        fprintf(out, "%s %s", e->kind == E_BINOP ? "BinOp" : "BoolOp", op_name(e->u.binop.op));
        put_loc(out, e->loc);
        dump_expr(out, e->u.binop.left, depth + 1, NULL);
        dump_expr(out, e->u.binop.right, depth + 1, NULL);
        break;
    case E_UNARY:
        fprintf(out, "Unary %s", op_name(e->u.unary.op));
        put_loc(out, e->loc);
        dump_expr(out, e->u.unary.operand, depth + 1, NULL);
        break;
    case E_COMPARE:
        fputs("Compare", out);
        for (size_t i = 0; i < e->u.compare.ops.len; i++)
            fprintf(out, " %s", op_name((op_kind)(intptr_t)e->u.compare.ops.items[i]));
        put_loc(out, e->loc);
        for (size_t i = 0; i < e->u.compare.operands.len; i++)
            dump_expr(out, e->u.compare.operands.items[i], depth + 1, NULL);
        break;
    case E_IFEXP:
        fputs("IfExp", out);
        put_loc(out, e->loc);
        dump_expr(out, e->u.ifexp.test, depth + 1, "test");
        dump_expr(out, e->u.ifexp.body, depth + 1, "body");
        dump_expr(out, e->u.ifexp.orelse, depth + 1, "orelse");
        break;
    case E_LISTCOMP:
    case E_DICTCOMP:
        fputs(e->kind == E_LISTCOMP ? "ListComp" : "DictComp", out);
        put_loc(out, e->loc);
        if (e->u.comp.key)
            dump_expr(out, e->u.comp.key, depth + 1, "key");
        dump_expr(out, e->u.comp.element, depth + 1, e->u.comp.key ? "value" : "element");
        for (size_t i = 0; i < e->u.comp.fors.len; i++) {
            const comp_for *c = e->u.comp.fors.items[i];
            indent(out, depth + 1, NULL);
            fputs("for\n", out);
            dump_expr(out, c->target, depth + 2, "target");
            dump_expr(out, c->iter, depth + 2, "iter");
            for (size_t j = 0; j < c->ifs.len; j++)
                dump_expr(out, c->ifs.items[j], depth + 2, "if");
        }
        break;
    case E_LAMBDA:
        fputs("Lambda", out);
        put_loc(out, e->loc);
        dump_params(out, &e->u.lambda.params, depth + 1);
        dump_expr(out, e->u.lambda.body, depth + 1, "body");
        break;
    }
}

static void dump_import_names(FILE *out, const node_list *names, int depth)
{
    for (size_t i = 0; i < names->len; i++) {
        const import_name *n = names->items[i];
        indent(out, depth, NULL);
        fprintf(out, "alias %s", n->name);
        if (n->asname)
            fprintf(out, " as %s", n->asname);
        put_loc(out, n->loc);
    }
}

static void dump_stmt(FILE *out, const stmt *s, int depth)
{
    indent(out, depth, NULL);
    switch (s->kind) {
    case S_IMPORT:
        fputs("Import", out);
        put_loc(out, s->loc);
        dump_import_names(out, &s->u.import.names, depth + 1);
        break;
    case S_FROM_IMPORT:
        fputs("FromImport ", out);
        for (int i = 0; i < s->u.from_import.level; i++)
            fputc('.', out);
        fprintf(out, "%s%s", s->u.from_import.module ? s->u.from_import.module : "",
                s->u.from_import.star ? " *" : "");
        put_loc(out, s->loc);
        dump_import_names(out, &s->u.from_import.names, depth + 1);
        break;
    case S_ASSIGN:
        fputs("Assign", out);
        put_loc(out, s->loc);
        for (size_t i = 0; i < s->u.assign.targets.len; i++)
            dump_expr(out, s->u.assign.targets.items[i], depth + 1, "target");
        dump_expr(out, s->u.assign.value, depth + 1, "value");
        break;
    case S_AUG_ASSIGN:
        fprintf(out, "AugAssign %s=", op_name(s->u.aug_assign.op));
        put_loc(out, s->loc);
        dump_expr(out, s->u.aug_assign.target, depth + 1, "target");
        dump_expr(out, s->u.aug_assign.value, depth + 1, "value");
        break;
    case S_EXPR:
        fputs("Expr", out);
        put_loc(out, s->loc);
        dump_expr(out, s->u.expr_stmt.value, depth + 1, NULL);
        break;
    case S_DEF:
        fprintf(out, "Def %s", s->u.def.name);
        put_loc(out, s->loc);
        for (size_t i = 0; i < s->u.def.decorators.len; i++)
            dump_expr(out, s->u.def.decorators.items[i], depth + 1, "decorator");
        dump_params(out, &s->u.def.params, depth + 1);
        block_label(out, depth + 1, "body");
        dump_stmts(out, &s->u.def.body, depth + 2);
        break;
    case S_RETURN:
        fputs("Return", out);
        put_loc(out, s->loc);
        if (s->u.ret.value)
            dump_expr(out, s->u.ret.value, depth + 1, NULL);
        break;
    case S_PASS:
        fputs("Pass", out);
        put_loc(out, s->loc);
        break;
    case S_IF:
        fputs("If", out);
        put_loc(out, s->loc);
        dump_expr(out, s->u.if_stmt.test, depth + 1, "test");
        block_label(out, depth + 1, "body");
        dump_stmts(out, &s->u.if_stmt.body, depth + 2);
        if (s->u.if_stmt.orelse.len) {
            block_label(out, depth + 1, "orelse");
            dump_stmts(out, &s->u.if_stmt.orelse, depth + 2);
        }
        break;
    }
}

static void dump_stmts(FILE *out, const node_list *l, int depth)
{
    for (size_t i = 0; i < l->len; i++)
        dump_stmt(out, l->items[i], depth);
}

void ast_dump(const module_ast *m, FILE *out)
{
    fprintf(out, "Module %s\n", m->file ? m->file->path : "");
    dump_stmts(out, &m->body, 1);
}
