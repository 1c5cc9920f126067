/*
 * The model: what the templates see. It turns the document of
 * `thrift --gen json` into a jansson object in which every C spelling the
 * generated code needs (types, declarations, offsets, descriptor references,
 * default values as C string literals) is already worked out, so templates
 * only place text. docs/generated-c.md is the contract it implements.
 *
 * Context shape (all strings unless noted):
 *   idl, name, guard, prefix, struct_count (int), enum_count (int)
 *   enums[]      name, c_name, doc, count (int), values[]: name, c_name, value (int), doc
 *   containers[] c_name, idl_name, kind ("TJ_LIST"...), is_map (bool),
 *                elem_ref, key_ref, items_decl | keys_decl + values_decl
 *   structs[]    name, c_name, kind ("struct"/"union"/"exception"), is_union
 *                (bool), doc, field_count (int), has_fields (bool), fields_ref,
 *                fields[]: id (int), name, c_name, idl_type, decl, has_flag
 *                (bool), has_name, type_ref, req, offset, has_offset,
 *                default_c (a C string literal of the default's JSON, or null), doc
 *   doc is {"lines": [{"text": line}]} ("" for a blank line), or null.
 * Keys a template tests are present on every item, null when they do not
 * apply, so that a lookup never falls through to an enclosing item.
 */
#ifndef THRIFTGEN_MODEL_H
#define THRIFTGEN_MODEL_H

#include <stddef.h>

#include <jansson.h>

typedef struct model_options {
    const char *prefix;    /* of every C identifier, e.g. "chronon_" */
    const char *name;      /* output base name, e.g. "chronon_api" */
    const char *idl_path;  /* as given on the command line; quoted in the output */
} model_options;

/* Build the context from idl (the document idl_load() returns). Returns a new
 * reference, or NULL with a one-line message in err naming the IDL element at
 * fault ("struct Window, field timeUnit: ..."). */
json_t *model_build(json_t *idl, const model_options *opt, char *err, size_t errsize);

#endif
