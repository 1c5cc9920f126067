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

static void emit(walk *w, const char *base)
{
    char *py = str_printf("%s.py", base), *init = str_printf("%s/__init__.py", base);
    if (py && init) {
        w->fn(w->ud, py);
        w->fn(w->ud, init);
    } else {
        w->oom = true;
    }
    free(py);
    free(init);
}

/* dir (a folder, or NULL) then the dotted name as folders: every prefix
 * ending at a '/', then the whole; dots in dir are kept (folder names). */
static void emit_module(walk *w, const char *dir, const char *dotted)
{
    dotted = dotted ? dotted : "";
    char *path = dir && *dir ? (*dotted ? str_printf("%s/%s", dir, dotted) : str_printf("%s", dir))
                             : str_printf("%s", dotted);
    if (!path) {
        w->oom = true;
        return;
    }
    size_t from = !(dir && *dir) ? 0 : *dotted ? strlen(dir) + 1 : strlen(path);
    for (char *p = path + from; *p; p++)
        if (*p == '.')
            *p = '/';
    for (char *p = path; *p; p++)
        if (*p == '/') {
            *p = '\0';
            emit(w, path);
            *p = '/';
        }
    if (*path)
        emit(w, path);
    free(path);
}

static void walk_body(walk *w, const node_list *body);

static void walk_stmt(walk *w, const stmt *s)
{
    if (s->kind == S_IMPORT) {
        for (size_t i = 0; i < s->u.import.names.len; i++)
            emit_module(w, NULL, ((const import_name *)s->u.import.names.items[i])->name);
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
        emit_module(w, dir, module);
        /* from pkg import name: name may be a module of pkg */
        for (size_t i = 0; i < s->u.from_import.names.len; i++) {
            const char *name = ((const import_name *)s->u.from_import.names.items[i])->name;
            char *sub = *module ? str_printf("%s.%s", module, name) : str_printf("%s", name);
            if (sub)
                emit_module(w, dir, sub);
            else
                w->oom = true;
            free(sub);
        }
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
