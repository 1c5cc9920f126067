/* ai.chronon.model (docs/internals/python-api.md §9): InferenceSpec, Model,
 * ModelTransform, ModelTransforms, and the DataType holder re-exported from
 * ai.chronon.join. None of them check anything. */
#include <string.h>

#include "api_tables.h"
#include "chronon_api.h"
#include "repo.h"
#include "thrift_values.h"

#define BUILTIN(name) \
    static value *name(eval_ctx *ctx, const builtin *def, value *self, call_args *args, src_loc loc)
#define UNUSED_SELF ((void)self, (void)def)
#define NPARAMS(p) (sizeof(p) / sizeof((p)[0]))
#define IS_ERR(v) ((v)->kind == V_ERROR)

static value *err(eval_ctx *ctx) { return v_error(ctx->arena); }

/* An object of desc with fields[i] = values[i] (NULL/None leaves it unset). */
static value *build(eval_ctx *ctx, const tj_struct_desc *desc, const char *const *fields, value **values, size_t n,
                    src_loc loc)
{
    value *o = thrift_new(ctx, desc, loc);
    if (IS_ERR(o))
        return o;
    for (size_t i = 0; i < n; i++)
        if (!obj_set(o, fields[i], values[i]))
            return eval_error(ctx, loc, "internal error: %s has no field %s", desc->name, fields[i]);
    return o;
}

BUILTIN(m_inference_spec)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"model_backend", P_REQUIRED}, {"model_backend_params", P_REQUIRED}};
    static const char *const fields[] = {"modelBackend", "modelBackendParams"};
    value *a[2];
    if (!bind_args(ctx, "InferenceSpec", params, 2, args, loc, a))
        return err(ctx);
    return build(ctx, &chronon_InferenceSpec_desc, fields, a, 2, loc);
}

static src_loc arg_loc(const call_args *args, const param_spec *params, size_t idx, src_loc fallback)
{
    if (idx < args->npositional)
        return args->positional_loc[idx];
    for (size_t k = 0; k < args->nkeywords; k++)
        if (strcmp(args->names[k], params[idx].name) == 0)
            return args->keyword_loc[k];
    return fallback;
}

BUILTIN(m_model)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"name", P_REQUIRED}, {"inference_spec", P_REQUIRED},
                                        {"input_schema", P_REQUIRED}, {"output_schema", P_REQUIRED}};
    value *a[4];
    if (!bind_args(ctx, "Model", params, 4, args, loc, a))
        return err(ctx);
    static const char *const md_fields[] = {"name"};
    value *md = build(ctx, &chronon_MetaData_desc, md_fields, a, 1, loc);
    if (IS_ERR(md))
        return md;
    value *schemas[2];
    static const char *const suffix[] = {"inputs", "outputs"};
    for (int i = 0; i < 2; i++) {
        value **items;
        size_t n;
        if (!api_star_items(ctx, "DataType.STRUCT", a[2 + i], arg_loc(args, params, 2 + (size_t)i, loc), &items, &n))
            return err(ctx);
        const char *name = api_py_str(ctx, a[0]);
        char *s = name ? arena_sprintf(ctx->arena, "model_%s_%s", name, suffix[i]) : NULL;
        value *sv = s ? v_cstr(ctx->arena, s, loc) : NULL;
        if (!sv)
            return eval_oom(ctx, loc);
        schemas[i] = api_datatype_struct(ctx, sv, items, n, loc);
        if (IS_ERR(schemas[i]))
            return schemas[i];
    }
    static const char *const fields[] = {"metaData", "inferenceSpec", "inputSchema", "outputSchema"};
    value *vals[] = {md, a[1], schemas[0], schemas[1]};
    return build(ctx, &chronon_Model_desc, fields, vals, 4, loc);
}

BUILTIN(m_model_transform)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"model", P_REQUIRED}, {"input_mappings", P_OPTIONAL},
                                        {"output_mappings", P_OPTIONAL}, {"prefix", P_OPTIONAL}};
    static const char *const fields[] = {"model", "inputMappings", "outputMappings", "prefix"};
    value *a[4];
    if (!bind_args(ctx, "ModelTransform", params, 4, args, loc, a))
        return err(ctx);
    return build(ctx, &chronon_ModelTransform_desc, fields, a, 4, loc);
}

BUILTIN(m_model_transforms)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"transforms", P_REQUIRED}, {"passthrough_fields", P_OPTIONAL}};
    static const char *const fields[] = {"transforms", "passthroughFields"};
    value *a[2];
    if (!bind_args(ctx, "ModelTransforms", params, 2, args, loc, a))
        return err(ctx);
    return build(ctx, &chronon_ModelTransforms_desc, fields, a, 2, loc);
}

static const builtin model_builtins[] = {
    {"InferenceSpec", m_inference_spec, NULL},
    {"Model", m_model, NULL},
    {"ModelTransform", m_model_transform, NULL},
    {"ModelTransforms", m_model_transforms, NULL},
};

bool api_model_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    for (size_t i = 0; i < NPARAMS(model_builtins); i++)
        if (!api_def(ctx, m, &model_builtins[i]))
            return false;
    value *dt = api_datatype_holder(ctx);
    module *tt = api_module(ctx, "ai.chronon.api.ttypes");
    value *ttv = tt ? v_module(ctx->arena, tt, none) : NULL;
    value *fields = v_none(ctx->arena, none);
    return dt && ttv && fields && dict_set_str(ctx->arena, m->attrs, "DataType", dt, none) &&
           dict_set_str(ctx->arena, m->attrs, "api", ttv, none) &&
           dict_set_str(ctx->arena, m->attrs, "FieldsType", fields, none);
}
