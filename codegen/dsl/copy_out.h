/* A module's values, copied out of the arena it ran in.
 *
 * compile runs each definition file of a pass as a top-level module in an
 * arena of its own (loader.c): the temporaries of its run (call arguments,
 * keyword dicts, the values of expressions it threw away) and its syntax tree
 * are garbage once it has run. What can still be reached is what its globals
 * hold; module_copy_out copies that into the loader's arena, and the module's
 * arena is freed. At 10,000 one-GroupBy files this is what bounds a pass's
 * memory: the configs, not every file's run.
 *
 * Values outside the arena are shared, not copied (an imported source stays
 * the one object every GroupBy holds), and sharing inside it is kept (a
 * GroupBy in two Joins stays one object): Python's identity is unchanged. */
#ifndef DSL_COPY_OUT_H
#define DSL_COPY_OUT_H

#include "strmap.h"
#include "value.h"

/* Replace m->attrs by a copy in `to` of everything it reaches that is in
 * `from` (m->attrs itself is in `from`), and of the code of every function
 * it reaches that was made while the module ran (that code is in the
 * module's syntax tree). False, with m unchanged, when memory runs out: then
 * `from` and the tree must live on. names: the keyword names copied so far
 * (in `to`), shared by every call. */
bool module_copy_out(module *m, arena *from, arena *to, arena *const *outer, size_t nouter, strmap *names);

/* The modules below on the import stack (outer[0..nouter)) are still
 * running: a module that read their partly run globals holds their values.
 * module_copy_out pins (arena.h) each outer arena a copied value points into;
 * for a module whose arena is kept whole, this pins each outer arena some word
 * of a points into (a conservative scan: a dead word pins too). */
void arenas_pin_referenced(const arena *a, arena *const *outer, size_t nouter);

/* The loader's checking mode (CHRONONC_CHECK_COPY_OUT): the first of
 * mods[0..n) from whose globals something that points into target can be
 * reached (a value, object, dict, function default or closure, a string they
 * hold), or NULL. Run after target's values were copied out, it finds a
 * store the write barrier missed. */
const module *modules_reaching(module *const *mods, size_t n, arena *target);

#endif
