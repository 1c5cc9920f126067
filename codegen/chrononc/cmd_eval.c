/* chrononc eval FILE.py: evaluate one definition file and print every
 * module-level Chronon object as the JSON it would compile to, before
 * compile.py's naming and team defaults. A tool for checking the definition
 * language against chronon-ai, one file at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "loader.h"
#include "thrift_values.h"

static void eval_usage(FILE *out)
{
    fprintf(out, "usage: chrononc eval [--root DIR] FILE.py\n"
                 "\n"
                 "Evaluate FILE.py (a path under the root, or relative to it) and print, for each\n"
                 "module-level Thrift object, '# <variable> (<Type>)' and its JSON.\n"
                 "  --root DIR   the definitions repo (default: $CHRONON_ROOT, else the current folder)\n");
}

static const char *relative_to(const char *root, const char *path)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (strncmp(path, root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

int cmd_eval(int argc, char **argv)
{
    const char *root = getenv("CHRONON_ROOT");
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            eval_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) {
            root = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "chrononc eval: unknown option '%s'\n", argv[i]);
            eval_usage(stderr);
            return 2;
        } else if (!file) {
            file = argv[i];
        } else {
            eval_usage(stderr);
            return 2;
        }
    }
    if (!file) {
        eval_usage(stderr);
        return 2;
    }
    if (!root || !*root)
        root = ".";
    arena a;
    arena_init(&a);
    diag_set diags;
    diag_init(&diags);
    int status = 1;
    loader *l = loader_new(root, &a, &diags, NULL);
    if (!l) {
        fprintf(stderr, "chrononc eval: out of memory\n");
        goto done;
    }
    module *m = loader_load_path(l, relative_to(root, file));
    eval_ctx *ctx = loader_ctx(l);
    if (m && !m->failed) {
        for (size_t i = 0; i < m->attrs->len; i++) {
            value *v = m->attrs->values[i];
            if (v->kind != V_OBJECT)
                continue;
            const tj_struct_desc *desc = v->u.obj->desc;
            void *c = calloc(1, desc->size);
            if (!c)
                break;
            if (value_to_struct(ctx, v, c)) {
                tj_error err;
                char *json = tj_to_json(desc, c, NULL, &err);
                if (json) {
                    printf("# %s (%s)\n%s\n", m->attrs->keys[i]->u.str.data, desc->name, json);
                    free(json);
                } else {
                    diag_error(&diags, v->loc, "%s: %s", err.path, err.message);
                }
                tj_free(desc, c);
            }
            free(c);
        }
    }
    loader_finish(l); /* the failed modules' remaining statements, for their errors */
    if (diags.errors == 0 && m)
        status = 0;
    diag_print(&diags, stderr, diag_use_color(DIAG_COLOR_AUTO, 2)); /* NO_COLOR, TERM=dumb: as compile and check */
done:
    loader_free(l);
    diag_free(&diags);
    arena_free(&a);
    return status;
}
