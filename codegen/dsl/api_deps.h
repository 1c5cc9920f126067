/* Dependency strings and source inspection, as ai.chronon.utils computes
 * them (python-api.md §11, §12.1, §12.5), for GroupBy, Join and LabelPart;
 * plus the GroupBy checks other API files need (§5, §6.8).
 *
 * Conventions (those of api_shared.h, which has the helpers the API files
 * share): every function that returns a value * returns a V_ERROR value
 * after reporting an error at the most useful location (never NULL).
 * Arguments may be NULL where the Python parameter is optional (meaning
 * None, or the Python default). Errors carry Python's exception text. */
#ifndef DSL_API_DEPS_H
#define DSL_API_DEPS_H

#include "eval.h"

/* ---- §12.1 source inspection ---- */

/* utils.get_underlying_source(src): the entities, else the events, else the
 * joinSource object of a ttypes.Source (a None value when none is set). */
value *deps_underlying_source(eval_ctx *ctx, value *src, src_loc loc);
/* utils.get_query(src): the underlying source's query (None value if unset). */
value *deps_get_query(eval_ctx *ctx, value *src, src_loc loc);
/* utils.get_columns(src): the query's selects dict (iterate its keys);
 * asserts "Please specify selects in your Source/Query". */
value *deps_get_columns(eval_ctx *ctx, value *src, src_loc loc);
/* utils.is_streaming(src) as Python's value: True, False or None. */
value *deps_is_streaming_value(eval_ctx *ctx, value *src, src_loc loc);
/* Its truth; false for anything that is not a Source (no error). */
bool deps_is_streaming(const value *src);
/* utils.has_topic(group_by): True/False. */
value *deps_has_topic(eval_ctx *ctx, value *group_by, src_loc loc);
/* utils.get_streaming_sources(group_by): a new list. */
value *deps_streaming_sources(eval_ctx *ctx, value *group_by, src_loc loc);
/* utils.get_table(src): the table cut at the first '/'; for a join source
 * the parent join's full output table name (naming the join). */
value *deps_get_table(eval_ctx *ctx, value *src, src_loc loc);
/* utils.get_topic(src). */
value *deps_get_topic(eval_ctx *ctx, value *src, src_loc loc);

/* ---- §11 dependency strings ---- */

/* utils.wait_for_simple_schema(table, lag, start, end, query): a new dict
 * {name, spec, start, end}, or a None value when table is falsy. lag NULL
 * means 0; start/end/query NULL mean None. */
value *deps_wait_for_simple_schema(eval_ctx *ctx, value *table, value *lag, value *start, value *end,
                                   value *query, src_loc loc);
/* utils.wait_for_name(dep) for a str dep, in the arena (NULL: out of memory,
 * reported). */
const char *deps_wait_for_name(eval_ctx *ctx, const char *dep, size_t len, src_loc loc);

/* ---- §12.5 dependency helpers ---- */

/* utils.get_dependencies(src, dependencies, meta_data, lag): a new list of
 * str (py-json of each dependency dict). user_deps, meta_data and lag may be
 * NULL (None, None, 0). For a join source this names the parent join and
 * fills its outputNamespace (join_output_table_name, api_tables.h). */
value *deps_get_dependencies(eval_ctx *ctx, value *src, value *user_deps, value *meta_data, value *lag,
                             src_loc loc);
/* The same without meta_data: what GroupBy and Join use for their own sources. */
value *deps_for_source(eval_ctx *ctx, value *source, value *user_deps, value *lag, src_loc loc);
/* utils.get_bootstrap_dependencies(parts): a new list of str ([] for None). */
value *deps_bootstrap_dependencies(eval_ctx *ctx, value *bootstrap_parts, src_loc loc);
/* utils.get_label_table_dependencies(label_part): a new list of str. */
value *deps_label_table_dependencies(eval_ctx *ctx, value *label_part, src_loc loc);
/* utils.dedupe_in_order(seq): a new list keeping each element's first
 * occurrence. */
value *deps_dedupe_in_order(eval_ctx *ctx, value *seq, src_loc loc);

/* The functions above as Python callables, for ai.chronon.utils (register
 * each with api_def): wait_for_simple_schema, wait_for_name,
 * get_dependencies, get_bootstrap_dependencies,
 * get_label_table_dependencies, dedupe_in_order, is_streaming, has_topic,
 * get_streaming_sources, get_underlying_source, get_query, get_table,
 * get_topic, get_columns. */
extern const builtin deps_utils_builtins[];
extern const size_t deps_utils_builtin_count;

/* ---- GroupBy helpers (implemented in api_group_by.c) ---- */

/* group_by.validate_group_by(gb): every check of §6.8, in order. False after
 * reporting the first failure (at the offending aggregation or source when
 * it has a location, else at loc). */
bool group_by_validate(eval_ctx *ctx, value *group_by, src_loc loc);
/* group_by.get_output_col_names(agg): a new list of str. */
value *group_by_output_col_names(eval_ctx *ctx, value *aggregation, src_loc loc);
/* group_by.op_to_str(op) in the arena; NULL after reporting a KeyError. */
const char *group_by_op_to_str(eval_ctx *ctx, const value *op, src_loc loc);
/* Derivation(name, expression, description=None), the builtin: group_by.py
 * and join.py define it alike. */
value *group_by_derivation(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc);

#endif
