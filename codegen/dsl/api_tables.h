/* Table names of Chronon configs, with the side effects chronon-ai 0.0.115's
 * helpers have (docs/internals/python-api.md §12.2, §12.3, §13.2, §13.3):
 * asking for a Join's or a StagingQuery's table names the object (and every
 * object of its class bound at the top level of the same module) after its
 * module variable, and a Join's outputNamespace is filled from teams.json.
 *
 * Also the few helpers of ai.chronon.utils and ai.chronon.join that the other
 * API files use (the generic ones are in api_shared.h). Everything here is
 * implemented in api_utils.c, except the DataType helpers (api_join.c).
 * Every function that can fail reports its error (Python's message) at loc
 * and returns NULL, false or a V_ERROR value. The const char * results live
 * in the compile's arena. */
#ifndef DSL_API_TABLES_H
#define DSL_API_TABLES_H

#include "eval.h"

/* ---- output table names (full_name=True: "<namespace or {{ db }}>.<table>") ---- */

/* utils.get_join_output_table_name(join, True): names the join through its
 * joins module (error if none), sets join.metaData.outputNamespace from
 * teams.json when unset, returns "<ns>.<sanitized name>". */
const char *join_output_table_name(eval_ctx *ctx, value *join, src_loc loc);
/* utils.get_staging_query_output_table_name(sq, True): always names sq through
 * its staging_queries module (error if none); "<ns or {{ db }}>.<sanitized name>". */
const char *staging_query_output_table_name(eval_ctx *ctx, value *sq, src_loc loc);
/* utils.group_by_output_table_name(gb, True): names gb through its group_bys
 * module only when its name is unset; "<ns or {{ db }}>.<sanitized name>". */
const char *group_by_output_table_name(eval_ctx *ctx, value *gb, src_loc loc);

/* The same with Python's full_name argument. The result is a V_STR, V_NONE
 * (full_name=False and the name is None) or V_ERROR after a report. */
value *api_join_output_table_name(eval_ctx *ctx, value *join, bool full_name, src_loc loc);
value *api_staging_query_output_table_name(eval_ctx *ctx, value *sq, bool full_name, src_loc loc);
value *api_group_by_output_table_name(eval_ctx *ctx, value *gb, bool full_name, src_loc loc);
/* utils.output_table_name(obj, full_name): no naming side effects. */
value *api_output_table_name(eval_ctx *ctx, value *obj, bool full_name, src_loc loc);

/* StagingQueryEventSource's table resolution (§8.1): the table and its
 * namespace. False after a report. */
bool api_resolve_staging_query_table(eval_ctx *ctx, value *sq, src_loc loc, const char **table,
                                     const char **ns);

/* ---- naming (§13.2) ---- */

/* utils.__set_name(obj, cls, prefix): name every `desc` object of the module
 * (whose name starts with prefix) binding obj at top level; asserts
 * "Couldn't find module name for object:\n<repr>\n" when there is none.
 * When several such modules bind obj, the one chronon-ai's gc lookup was
 * seen to find (naming_module in api_utils.c). */
bool api_set_name(eval_ctx *ctx, value *obj, const tj_struct_desc *desc, const char *prefix, src_loc loc);
/* join._auto_set_group_by_name(gb) (JoinPart, ExternalSource): name gb's
 * group_bys module, or require gb.metaData.name. */
bool api_auto_name_group_by(eval_ctx *ctx, value *gb, src_loc loc);

/* ---- teams.json (repo.teams.get_team_conf) ---- */

/* The team's value for key, falling back to the "default" team; NULL with
 * *missing_team set (no report) when the team is not a top-level key, NULL
 * after a report when teams.json is missing or neither team has the key. */
value *api_team_conf(eval_ctx *ctx, const char *team, const char *key, src_loc loc, bool *missing_team);
/* The teams.json path as Chronon prints it: os.path.join(root, "teams.json"). */
const char *api_teams_path(eval_ctx *ctx);

/* ---- the helpers of ai.chronon.utils and ai.chronon.join the others use ---- */

/* sanitize(name): every code point outside [a-zA-Z0-9_] becomes "_". */
const char *api_sanitize(eval_ctx *ctx, const char *s, size_t len);
/* DataType.STRUCT("<prefix><str(name)><suffix>", *fields) (no name part for a
 * NULL name): TDataType(STRUCT, [DataField(n, t) ...], ...); fields_loc is
 * where the fields iterable was written. */
value *api_datatype_schema(eval_ctx *ctx, const char *prefix, value *name, const char *suffix, value *fields,
                           src_loc fields_loc, src_loc loc);
/* The ai.chronon.join.DataType holder (made once per repo, shared by model). */
value *api_datatype_holder(eval_ctx *ctx);
/* utils.check_contains(candidates, valid_items, type_name, name, print_function=repr). */
bool api_check_contains(eval_ctx *ctx, value *candidates, value *valid_items, const char *type_name,
                        value *name, value *print_function, src_loc loc);

#endif
