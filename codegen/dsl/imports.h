/* The files an import statement may run, read from a parsed file without
 * running it: `import a.b.c` and `from a.b import c` may run a/__init__.py,
 * a/b/__init__.py, a/b/c.py (and a.py, a/b.py, a/b/c/__init__.py: whichever
 * the repo has); a relative import starts from the file's folder. Used by
 * `chrononc check FILE...` (which files import a changed one) and by the
 * loader's parse-ahead (which files a window of files will import). */
#ifndef DSL_IMPORTS_H
#define DSL_IMPORTS_H

#include <stdbool.h>

#include "ast.h"

/* Called with each candidate path, relative to the repo root (for every
 * module an import names, and every package on the way to it: base.py and
 * base/__init__.py); paths may repeat. */
typedef void (*import_path_fn)(void *ud, const char *rel_path);

/* Every import statement of body (also inside an if or a def) of the file
 * at file_rel (relative to the root). False when memory runs out. */
bool ast_import_paths(const char *file_rel, const node_list *body, import_path_fn fn, void *ud);

#endif
