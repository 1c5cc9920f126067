/* Thrift structs as definition values: `ttypes.X(...)` driven by the IDL's
 * reflection table, and the conversion of finished values into the generated
 * C types (where every field is checked against its IDL type). */
#ifndef DSL_THRIFT_VALUES_H
#define DSL_THRIFT_VALUES_H

#include "eval.h"

/* ttypes.X(...): positional arguments in field order, keywords by field
 * name; IDL defaults applied as fresh values (Query().setups == []). */
value *thrift_construct(eval_ctx *ctx, const tj_struct_desc *desc, call_args *args, src_loc loc);

/* A new object of desc with its IDL defaults and no other field set. */
value *thrift_new(eval_ctx *ctx, const tj_struct_desc *desc, src_loc loc);

/* The module ai.chronon.api.ttypes: every struct as a class, every enum as a
 * namespace of ints. */
module *ttypes_module(eval_ctx *ctx);

/* Convert an object value into a zeroed C struct of its type (malloc'd
 * storage, owned by the struct: release with tj_free). Type errors are
 * reported at the offending value's location with the field path, e.g.
 *   "GroupBy.keyColumns: expected a list of strings, got str".
 * Returns false after reporting. */
bool value_to_struct(eval_ctx *ctx, const value *obj, void *out);

/* Describe an IDL type for messages: "a list of strings", "an int (i32)". */
const char *describe_type(const tj_type *t, char *buf, size_t size);

#endif
