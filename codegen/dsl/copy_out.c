/* Copying a module's reachable values out of its arena: see copy_out.h. */
#include "copy_out.h"

#include "eval.h"
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct copier {
    arena *from, *to;
    arena *const *outer; /* the arenas of the modules below on the import stack */
    size_t nouter;
    /* what was copied already: old address -> copy (open addressing, heap) */
    const void **olds;
    void **copies;
    size_t cap, len;
    bool failed; /* something cannot be copied, or out of memory */
    strmap *names;  /* keyword names, one copy each: name -> its copy */
} copier;

static size_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (size_t)x;
}

static void *memo_get(const copier *c, const void *old)
{
    if (!c->cap)
        return NULL;
    for (size_t i = ptr_hash(old) & (c->cap - 1); c->olds[i]; i = (i + 1) & (c->cap - 1))
        if (c->olds[i] == old)
            return c->copies[i];
    return NULL;
}

static bool memo_put(copier *c, const void *old, void *copy)
{
    if ((c->len + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        const void **olds = calloc(cap, sizeof *olds);
        void **copies = calloc(cap, sizeof *copies);
        if (!olds || !copies) {
            free(olds);
            free(copies);
            return c->failed = true, false;
        }
        for (size_t k = 0; k < c->cap; k++) {
            if (!c->olds[k])
                continue;
            size_t i = ptr_hash(c->olds[k]) & (cap - 1);
            while (olds[i])
                i = (i + 1) & (cap - 1);
            olds[i] = c->olds[k];
            copies[i] = c->copies[k];
        }
        free(c->olds);
        free(c->copies);
        c->olds = olds;
        c->copies = copies;
        c->cap = cap;
    }
    size_t i = ptr_hash(old) & (c->cap - 1);
    while (c->olds[i])
        i = (i + 1) & (c->cap - 1);
    c->olds[i] = old;
    c->copies[i] = copy;
    c->len++;
    return true;
}

/* Whether p is in the arena being copied out. A pointer into the arena of a
 * module still running below this one on the import stack (read from its
 * partly run globals) pins that arena: it must outlive the copy. */
static bool young(const copier *c, const void *p)
{
    if (!p)
        return false;
    if (arena_contains(c->from, p))
        return true;
    for (size_t i = 0; i < c->nouter; i++)
        if (c->outer[i] && !c->outer[i]->pinned && arena_contains(c->outer[i], p))
            c->outer[i]->escaped = c->outer[i]->pinned = true;
    return false;
}

/* n bytes of `to`, or NULL (and failed) */
static void *take(copier *c, size_t n)
{
    void *p = arena_alloc(c->to, n ? n : 1);
    if (!p)
        c->failed = true;
    return p;
}

static char *copy_str(copier *c, const char *s, size_t n)
{
    char *p = take(c, n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

static value *copy_value(copier *c, value *v);
static dict *copy_dict(copier *c, dict *d);

/* ---- a function's code: its part of the syntax tree ----
 * The module's tree is freed once it has run; a def or lambda that can
 * still be called takes a copy of its own nodes (shared between the
 * function values one def made). */

static expr *copy_expr(copier *c, const expr *e);
static stmt *copy_stmt(copier *c, const stmt *s);

static const char *copy_cstr(copier *c, const char *s) { return s ? copy_str(c, s, strlen(s)) : NULL; }

typedef void *(*node_copy)(copier *c, const void *node);

/* A node list whose items node_copy copies (NULL items stay NULL); raw:
 * the items are not pointers (a comparison's operators). */
static node_list copy_nodes(copier *c, node_list l, node_copy copy, bool raw)
{
    node_list n = {.len = l.len, .cap = l.len};
    if (!l.len || c->failed)
        return n;
    void *known = memo_get(c, l.items);
    if (known) {
        n.items = known;
        return n;
    }
    if (!(n.items = take(c, l.len * sizeof *n.items)) || !memo_put(c, l.items, n.items))
        return n;
    for (size_t i = 0; i < l.len; i++)
        n.items[i] = raw || !l.items[i] ? l.items[i] : copy(c, l.items[i]);
    return n;
}

static void *copy_expr_node(copier *c, const void *e) { return copy_expr(c, e); }
static void *copy_stmt_node(copier *c, const void *s) { return copy_stmt(c, s); }

static void *copy_param(copier *c, const void *node)
{
    const param *p = node;
    param *n = take(c, sizeof *n);
    if (!n)
        return NULL;
    *n = *p;
    n->name = copy_cstr(c, p->name);
    n->default_value = copy_expr(c, p->default_value);
    return n;
}

static void *copy_call_arg(copier *c, const void *node)
{
    const call_arg *a = node;
    call_arg *n = take(c, sizeof *n);
    if (!n)
        return NULL;
    *n = *a;
    n->name = copy_cstr(c, a->name);
    n->value = copy_expr(c, a->value);
    return n;
}

static void *copy_fstring_part(copier *c, const void *node)
{
    const fstring_part *p = node;
    fstring_part *n = take(c, sizeof *n);
    if (!n)
        return NULL;
    *n = *p;
    n->literal = p->literal ? copy_str(c, p->literal, p->literal_len) : NULL;
    n->value = copy_expr(c, p->value);
    n->format_spec = copy_expr(c, p->format_spec);
    n->expr_text = copy_cstr(c, p->expr_text);
    return n;
}

static void *copy_comp_for(copier *c, const void *node)
{
    const comp_for *f = node;
    comp_for *n = take(c, sizeof *n);
    if (!n)
        return NULL;
    n->target = copy_expr(c, f->target);
    n->iter = copy_expr(c, f->iter);
    n->ifs = copy_nodes(c, f->ifs, copy_expr_node, false);
    return n;
}

static void *copy_import_name(copier *c, const void *node)
{
    const import_name *in = node;
    import_name *n = take(c, sizeof *n);
    if (!n)
        return NULL;
    *n = *in;
    n->name = copy_cstr(c, in->name);
    n->asname = copy_cstr(c, in->asname);
    return n;
}

static expr *copy_expr(copier *c, const expr *e)
{
    if (!e || c->failed)
        return (expr *)e;
    expr *n = memo_get(c, e);
    if (n)
        return n;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, e, n))
        return (expr *)e;
    *n = *e;
    switch (e->kind) {
    case E_NAME: n->u.name = copy_cstr(c, e->u.name); break;
    case E_NONE: case E_BOOL: case E_INT: case E_FLOAT: break;
    case E_STR: n->u.str.data = copy_str(c, e->u.str.data, e->u.str.len); break;
    case E_FSTRING: n->u.fstr.parts = copy_nodes(c, e->u.fstr.parts, copy_fstring_part, false); break;
    case E_LIST: case E_TUPLE: n->u.seq.items = copy_nodes(c, e->u.seq.items, copy_expr_node, false); break;
    case E_DICT:
        n->u.dict.keys = copy_nodes(c, e->u.dict.keys, copy_expr_node, false);
        n->u.dict.values = copy_nodes(c, e->u.dict.values, copy_expr_node, false);
        break;
    case E_STARRED: case E_UNARY: n->u.unary.operand = copy_expr(c, e->u.unary.operand); break;
    case E_ATTR:
        n->u.attr.object = copy_expr(c, e->u.attr.object);
        n->u.attr.name = copy_cstr(c, e->u.attr.name);
        break;
    case E_SUBSCRIPT:
        n->u.subscript.object = copy_expr(c, e->u.subscript.object);
        n->u.subscript.index = copy_expr(c, e->u.subscript.index);
        break;
    case E_SLICE:
        n->u.slice.lower = copy_expr(c, e->u.slice.lower);
        n->u.slice.upper = copy_expr(c, e->u.slice.upper);
        n->u.slice.step = copy_expr(c, e->u.slice.step);
        break;
    case E_CALL:
        n->u.call.func = copy_expr(c, e->u.call.func);
        n->u.call.args = copy_nodes(c, e->u.call.args, copy_call_arg, false);
        break;
    case E_BINOP: case E_BOOLOP:
        n->u.binop.left = copy_expr(c, e->u.binop.left);
        n->u.binop.right = copy_expr(c, e->u.binop.right);
        break;
    case E_COMPARE:
        n->u.compare.ops = copy_nodes(c, e->u.compare.ops, NULL, true);
        n->u.compare.operands = copy_nodes(c, e->u.compare.operands, copy_expr_node, false);
        break;
    case E_IFEXP:
        n->u.ifexp.test = copy_expr(c, e->u.ifexp.test);
        n->u.ifexp.body = copy_expr(c, e->u.ifexp.body);
        n->u.ifexp.orelse = copy_expr(c, e->u.ifexp.orelse);
        break;
    case E_LISTCOMP: case E_DICTCOMP:
        n->u.comp.key = copy_expr(c, e->u.comp.key);
        n->u.comp.element = copy_expr(c, e->u.comp.element);
        n->u.comp.fors = copy_nodes(c, e->u.comp.fors, copy_comp_for, false);
        break;
    case E_LAMBDA:
        n->u.lambda.params = copy_nodes(c, e->u.lambda.params, copy_param, false);
        n->u.lambda.body = copy_expr(c, e->u.lambda.body);
        break;
    }
    return n;
}

static stmt *copy_stmt(copier *c, const stmt *s)
{
    if (!s || c->failed)
        return (stmt *)s;
    stmt *n = memo_get(c, s);
    if (n)
        return n;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, s, n))
        return (stmt *)s;
    *n = *s;
    switch (s->kind) {
    case S_IMPORT: n->u.import.names = copy_nodes(c, s->u.import.names, copy_import_name, false); break;
    case S_FROM_IMPORT:
        n->u.from_import.module = copy_cstr(c, s->u.from_import.module);
        n->u.from_import.names = copy_nodes(c, s->u.from_import.names, copy_import_name, false);
        break;
    case S_ASSIGN:
        n->u.assign.targets = copy_nodes(c, s->u.assign.targets, copy_expr_node, false);
        n->u.assign.value = copy_expr(c, s->u.assign.value);
        break;
    case S_AUG_ASSIGN:
        n->u.aug_assign.target = copy_expr(c, s->u.aug_assign.target);
        n->u.aug_assign.value = copy_expr(c, s->u.aug_assign.value);
        break;
    case S_EXPR: n->u.expr_stmt.value = copy_expr(c, s->u.expr_stmt.value); break;
    case S_DEF:
        n->u.def.name = copy_cstr(c, s->u.def.name);
        n->u.def.params = copy_nodes(c, s->u.def.params, copy_param, false);
        n->u.def.decorators = copy_nodes(c, s->u.def.decorators, copy_expr_node, false);
        n->u.def.body = copy_nodes(c, s->u.def.body, copy_stmt_node, false);
        break;
    case S_RETURN: n->u.ret.value = copy_expr(c, s->u.ret.value); break;
    case S_PASS: break;
    case S_IF:
        n->u.if_stmt.test = copy_expr(c, s->u.if_stmt.test);
        n->u.if_stmt.body = copy_nodes(c, s->u.if_stmt.body, copy_stmt_node, false);
        n->u.if_stmt.orelse = copy_nodes(c, s->u.if_stmt.orelse, copy_stmt_node, false);
        break;
    }
    return n;
}

/* A keyword's name: a few dozen distinct ones over a whole repo */
static const char *copy_name(copier *c, const char *name)
{
    size_t *known = strmap_get(c->names, name);
    if (known)
        return (const char *)(uintptr_t)*known;
    char *n = copy_str(c, name, strlen(name));
    if (n && !strmap_put(c->names, n, (uintptr_t)n))
        c->failed = true;
    return n;
}

static env *copy_env(copier *c, env *e)
{
    if (!young(c, e) || c->failed)
        return e;
    env *n = memo_get(c, e);
    if (n)
        return n;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, e, n))
        return e;
    n->vars = copy_dict(c, e->vars);
    n->parent = copy_env(c, e->parent);
    return n;
}

/* A def or lambda: its code is copied (the module's tree is freed), its
 * defaults and closure are values. */
static function *copy_function(copier *c, function *f)
{
    if (!young(c, f) || c->failed)
        return f;
    function *n = memo_get(c, f);
    if (n)
        return n;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, f, n))
        return f;
    *n = *f;
    n->name = copy_cstr(c, f->name);
    n->params = copy_nodes(c, f->params, copy_param, false);
    n->body = copy_nodes(c, f->body, copy_stmt_node, false);
    n->lambda_body = copy_expr(c, f->lambda_body);
    size_t np = f->params.len;
    if (!(n->defaults = take(c, (np ? np : 1) * sizeof *n->defaults)))
        return f;
    for (size_t i = 0; i < np; i++)
        n->defaults[i] = copy_value(c, f->defaults[i]);
    n->closure = copy_env(c, f->closure);
    return n;
}

static dict *copy_dict(copier *c, dict *d)
{
    if (!young(c, d) || c->failed)
        return d;
    dict *n = memo_get(c, d);
    if (n)
        return n;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, d, n))
        return d;
    *n = *d;
    n->cap = d->len; /* most are never added to again; one that is grows as any */
    n->keys = take(c, n->cap * sizeof *n->keys);
    n->values = take(c, n->cap * sizeof *n->values);
    if (d->index && (n->index = take(c, d->index_cap * sizeof *n->index)))
        memcpy(n->index, d->index, d->index_cap * sizeof *n->index);
    if (c->failed)
        return d;
    for (size_t i = 0; i < d->len; i++) {
        n->keys[i] = copy_value(c, d->keys[i]);
        n->values[i] = copy_value(c, d->values[i]);
    }
    return n;
}

/* An object's made_by: the names (they may point into the syntax tree, which
 * is freed with the arena), the keyword locations and the item locations.
 * One made before this module ran (or the shared one of a call without
 * keywords) stays: its names are a copy already, or in a tree that is kept. */
static const call_args *copy_made_by(copier *c, const call_args *a)
{
    if (!young(c, a) || c->failed)
        return a;
    call_args *n = memo_get(c, a);
    if (n)
        return n;
    if (a->keyword_expr || a->npositional || a->keywords) {
        c->failed = true; /* not what obj_set_made_by keeps */
        return a;
    }
    size_t k = a->nkeywords;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, a, n))
        return a;
    const char **names = take(c, k * sizeof *names);
    src_loc *locs = take(c, k * sizeof *locs);
    item_locs *items = a->keyword_items ? take(c, k * sizeof *items) : NULL;
    if (c->failed)
        return a;
    for (size_t i = 0; i < k; i++) {
        names[i] = copy_name(c, a->names[i]);
        locs[i] = a->keyword_loc[i];
        if (items && a->keyword_items[i].n) {
            src_loc *il = take(c, a->keyword_items[i].n * sizeof *il);
            if (!il)
                return a;
            memcpy(il, a->keyword_items[i].locs, a->keyword_items[i].n * sizeof *il);
            items[i] = (item_locs){.locs = il, .n = a->keyword_items[i].n};
        }
    }
    if (c->failed)
        return a;
    *n = (call_args){.names = names, .keyword_loc = locs, .keyword_items = items, .nkeywords = k};
    return n;
}

static object *copy_object(copier *c, object *o)
{
    if (!young(c, o) || c->failed)
        return o;
    object *n = memo_get(c, o);
    if (n)
        return n;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, o, n))
        return o;
    *n = *o;
    size_t count = o->desc->field_count;
    if (!(n->fields = take(c, count * sizeof *n->fields)))
        return o;
    for (size_t i = 0; i < count; i++)
        n->fields[i] = copy_value(c, o->fields[i]);
    if (young(c, o->bound_name))
        n->bound_name = copy_str(c, o->bound_name, strlen(o->bound_name));
    n->extra = o->extra ? copy_dict(c, o->extra) : NULL;
    n->made_by = copy_made_by(c, o->made_by);
    return n;
}

static value *copy_value(copier *c, value *v)
{
    if (!young(c, v) || c->failed)
        return v;
    value *n = memo_get(c, v);
    if (n)
        return n;
    if (!(n = take(c, sizeof *n)) || !memo_put(c, v, n))
        return v;
    *n = *v;
    switch (v->kind) {
    case V_ERROR:
    case V_NONE:
    case V_BOOL:
    case V_INT:
    case V_FLOAT:
    case V_CLASS:
        break;
    case V_STR:
        if (young(c, v->u.str.data))
            n->u.str.data = copy_str(c, v->u.str.data, v->u.str.len);
        break;
    case V_LIST:
    case V_TUPLE: {
        size_t len = v->u.list.len;
        value **items = take(c, len * sizeof *items);
        if (!items)
            break;
        for (size_t i = 0; i < len; i++)
            items[i] = copy_value(c, v->u.list.items[i]);
        n->u.list.items = items;
        n->u.list.cap = len;
        break;
    }
    case V_DICT:
        n->u.dict = copy_dict(c, v->u.dict);
        break;
    case V_BUILTIN:
        n->u.builtin.self = copy_value(c, v->u.builtin.self);
        break;
    case V_MODULE:
        if (young(c, v->u.module))
            c->failed = true; /* modules are made in the loader's arena: not expected */
        break;
    case V_OBJECT:
        n->u.obj = copy_object(c, v->u.obj);
        break;
    case V_FUNCTION:
        n->u.fn = copy_function(c, v->u.fn);
        break;
    }
    return n;
}

bool module_copy_out(module *m, arena *from, arena *to, arena *const *outer, size_t nouter, strmap *names)
{
    copier c = {.from = from, .to = to, .outer = outer, .nouter = nouter, .names = names};
    dict *attrs = copy_dict(&c, m->attrs);
    free(c.olds);
    free(c.copies);
    if (c.failed)
        return false; /* what was copied so far is garbage in `to` */
    m->attrs = attrs;
    return true;
}

/* ---- the checking mode: what still points into a freed arena ---- */

typedef struct reach {
    copier seen;   /* memo as a visited set; seen.from: the arena looked for */
    bool hit;
} reach;

static bool hits(reach *r, const void *p)
{
    if (p && arena_contains(r->seen.from, p))
        r->hit = true;
    return r->hit;
}

/* True the first time p is met (and p is not NULL). */
static bool first_visit(reach *r, const void *p)
{
    if (!p || r->hit || memo_get(&r->seen, p))
        return false;
    return memo_put(&r->seen, p, (void *)p);
}

static void reach_value(reach *r, const value *v);

void arenas_pin_referenced(const arena *a, arena *const *outer, size_t nouter)
{
    for (const arena_block *b = arena_first_block(a); b; b = arena_next_block(b)) {
        size_t n;
        const void *const *w = arena_block_words(a, b, &n);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; w[i] && k < nouter; k++)
                if (outer[k] && !outer[k]->pinned && arena_contains(outer[k], w[i]))
                    outer[k]->escaped = outer[k]->pinned = true;
    }
}

static void reach_dict(reach *r, const dict *d)
{
    if (!first_visit(r, d) || hits(r, d) || hits(r, d->keys) || hits(r, d->values) || hits(r, d->index))
        return;
    for (size_t i = 0; i < d->len && !r->hit; i++) {
        reach_value(r, d->keys[i]);
        reach_value(r, d->values[i]);
    }
}

static void reach_env(reach *r, const env *e)
{
    for (; e && first_visit(r, e) && !hits(r, e); e = e->parent)
        reach_dict(r, e->vars);
}

static void reach_value(reach *r, const value *v)
{
    if (!first_visit(r, v) || hits(r, v))
        return;
    switch (v->kind) {
    case V_STR:
        hits(r, v->u.str.data);
        break;
    case V_LIST:
    case V_TUPLE:
        if (!hits(r, v->u.list.items))
            for (size_t i = 0; i < v->u.list.len && !r->hit; i++)
                reach_value(r, v->u.list.items[i]);
        break;
    case V_DICT:
        reach_dict(r, v->u.dict);
        break;
    case V_FUNCTION: {
        const function *f = v->u.fn;
        if (hits(r, f) || hits(r, f->name) || hits(r, f->defaults) || hits(r, f->params.items) ||
            hits(r, f->body.items) || hits(r, f->lambda_body))
            break;
        for (size_t i = 0; i < f->params.len && !r->hit; i++)
            reach_value(r, f->defaults[i]);
        reach_env(r, f->closure);
        break;
    }
    case V_BUILTIN:
        reach_value(r, v->u.builtin.self);
        break;
    case V_MODULE:
        hits(r, v->u.module); /* its globals are roots of their own */
        break;
    case V_OBJECT: {
        const object *o = v->u.obj;
        if (hits(r, o) || hits(r, o->fields) || hits(r, o->bound_name))
            break;
        for (size_t i = 0; i < o->desc->field_count && !r->hit; i++)
            reach_value(r, o->fields[i]);
        if (o->extra)
            reach_dict(r, o->extra);
        const call_args *a = o->made_by;
        if (a && !hits(r, a) && !hits(r, a->names) && !hits(r, a->keyword_loc) && !hits(r, a->keyword_items))
            for (size_t i = 0; i < a->nkeywords && !r->hit; i++)
                if (!hits(r, a->names[i]) && a->keyword_items)
                    hits(r, a->keyword_items[i].locs);
        break;
    }
    default:
        break;
    }
}

const module *modules_reaching(module *const *mods, size_t n, arena *target)
{
    reach r = {.seen = {.from = target}};
    const module *through = NULL;
    for (size_t i = 0; i < n && !through; i++) {
        if (hits(&r, mods[i]->attrs))
            through = mods[i];
        else if ((reach_dict(&r, mods[i]->attrs), r.hit))
            through = mods[i];
    }
    free(r.seen.olds);
    free(r.seen.copies);
    return through;
}
