/* Which definition files `chrononc check FILE...` checks: the changed files
 * and every definition file that imports one of them, directly or through
 * other modules of the repo (a pre-commit hook passes only the files a
 * commit changes; a changed sources/ module matters through the GroupBys
 * that import it).
 *
 * The import graph is read from the parsed files (every import statement,
 * also inside an if or a def), without running them: `import a.b` and
 * `from a import b` make a file depend on a/b.py (or a/b/__init__.py) and on
 * the packages' __init__.py on the way; relative imports resolve against the
 * file's folder. An import chrononc cannot see (a name built at run time)
 * is not followed; the full `chrononc check` still sees everything. */
#ifndef CHRONONC_IMPORTERS_H
#define CHRONONC_IMPORTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct affected {
    char **files;     /* definition files, relative to the root, sorted (in a) */
    size_t len;
    bool whole_repo;  /* teams.json changed: every definition depends on it */
    const char *not_found; /* a changed file that does not exist (then false is returned) */
} affected;

/* changed: paths as given (relative to the current folder or absolute);
 * those outside root, and files that are neither .py nor teams.json, are
 * ignored. False with out->not_found set for a file that does not exist;
 * false with it NULL when memory runs out. */
bool affected_definitions(const char *root, char *const *changed, size_t n, arena *a, affected *out);

#endif
