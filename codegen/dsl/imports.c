/* See imports.h. */
#include "imports.h"

#include <stdlib.h>
#include <string.h>

#include "str_printf.h"

typedef struct walk {
    const char *file;
    import_path_fn fn;
    void *ud;
    bool oom;
} walk;

/* Paths are put together in a buffer on the stack when they fit (a window
 * of parsed files is scanned for imports on the loader's thread, and its
 * names are short), else on the heap. */
#define PATH_STACK 256

/* base[0..n) as a module file and as a package: base.py, base/__init__.py. */
static void emit(walk *w, const char *base, size_t n)
{
    char stack[PATH_STACK];
    size_t need = n + sizeof "/__init__.py";
    char *buf = need <= sizeof stack ? stack : malloc(need);
    if (!buf) {
        w->oom = true;
        return;
    }
    memcpy(buf, base, n);
    memcpy(buf + n, ".py", sizeof ".py");
    w->fn(w->ud, buf);
    memcpy(buf + n, "/__init__.py", sizeof "/__init__.py");
    w->fn(w->ud, buf);
    if (buf != stack)
        free(buf);
}

/* dir (a folder, or NULL) then the dotted name a, and b after it when not
 * NULL (the module a.b), as folders: every prefix ending at a '/', then the
 * whole; dots in dir are kept (folder names). */
static void emit_module(walk *w, const char *dir, const char *a, const char *b)
{
    a = a ? a : "";
    size_t dl = dir ? strlen(dir) : 0, al = strlen(a), bl = b ? strlen(b) : 0;
    size_t dotted = al && bl ? al + 1 + bl : al + bl;
    size_t len = dl && dotted ? dl + 1 + dotted : dl + dotted;
    char stack[PATH_STACK];
    char *path = len < sizeof stack ? stack : malloc(len + 1);
    if (!path) {
        w->oom = true;
        return;
    }
    size_t o = 0;
    if (dl) {
        memcpy(path, dir, dl);
        o = dl;
        if (dotted)
            path[o++] = '/';
    }
    for (size_t i = 0; i < al; i++)
        path[o++] = a[i] == '.' ? '/' : a[i];
    if (al && bl)
        path[o++] = '/';
    for (size_t i = 0; i < bl; i++)
        path[o++] = b[i] == '.' ? '/' : b[i];
    path[o] = '\0';
    for (size_t i = 0; i < o && !w->oom; i++)
        if (path[i] == '/')
            emit(w, path, i);
    if (o && !w->oom)
        emit(w, path, o);
    if (path != stack)
        free(path);
}

static void walk_body(walk *w, const node_list *body);

static void walk_stmt(walk *w, const stmt *s)
{
    if (s->kind == S_IMPORT) {
        for (size_t i = 0; i < s->u.import.names.len; i++)
            emit_module(w, NULL, ((const import_name *)s->u.import.names.items[i])->name, NULL);
    } else if (s->kind == S_FROM_IMPORT) {
        /* a relative import's package: the file's folder, up level-1 */
        char *dir = NULL;
        if (s->u.from_import.level > 0) {
            if (!(dir = str_printf("%s", w->file))) {
                w->oom = true;
                return;
            }
            for (int up = 0; up < s->u.from_import.level; up++) {
                char *slash = strrchr(dir, '/');
                *(slash ? slash : dir) = '\0';
            }
        }
        const char *module = s->u.from_import.module ? s->u.from_import.module : "";
        emit_module(w, dir, module, NULL);
        /* from pkg import name: name may be a module of pkg */
        for (size_t i = 0; i < s->u.from_import.names.len; i++)
            emit_module(w, dir, module, ((const import_name *)s->u.from_import.names.items[i])->name);
        free(dir);
    } else if (s->kind == S_DEF) {
        walk_body(w, &s->u.def.body);
    } else if (s->kind == S_IF) {
        walk_body(w, &s->u.if_stmt.body);
        walk_body(w, &s->u.if_stmt.orelse);
    }
}

static void walk_body(walk *w, const node_list *body)
{
    for (size_t i = 0; i < body->len && !w->oom; i++)
        walk_stmt(w, body->items[i]);
}

bool ast_import_paths(const char *file_rel, const node_list *body, import_path_fn fn, void *ud)
{
    walk w = {.file = file_rel, .fn = fn, .ud = ud};
    walk_body(&w, body);
    return !w.oom;
}
