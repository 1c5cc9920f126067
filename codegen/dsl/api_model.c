/* ai.chronon.model (docs/internals/python-api.md §9): InferenceSpec, Model,
 * ModelTransform, ModelTransforms, and the DataType holder re-exported from
 * ai.chronon.join. None of them check anything. */
#include "api_shared.h"
#include "api_tables.h"
#include "chronon_api.h"
#include "thrift_values.h"

BUILTIN(m_model)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"name", P_REQUIRED}, {"inference_spec", P_REQUIRED},
                                        {"input_schema", P_REQUIRED}, {"output_schema", P_REQUIRED}};
    value *a[4];
    if (!bind_args(ctx, "Model", params, 4, args, loc, a))
        return api_err(ctx);
    static const char *const md_fields[] = {"name"};
    value *md = api_new_struct(ctx, &chronon_MetaData_desc, md_fields, a, 1, loc);
    if (IS_ERR(md))
        return md;
    value *schemas[2];
    static const char *const suffix[] = {"_inputs", "_outputs"};
    for (size_t i = 0; i < 2; i++) {
        src_loc at = api_arg_loc(args, params, 2 + i, loc);
        schemas[i] = api_datatype_schema(ctx, "model_", a[0], suffix[i], a[2 + i], at, loc);
        if (IS_ERR(schemas[i]))
            return schemas[i];
    }
    static const char *const fields[] = {"metaData", "inferenceSpec", "inputSchema", "outputSchema"};
    value *vals[] = {md, a[1], schemas[0], schemas[1]};
    return api_new_struct(ctx, &chronon_Model_desc, fields, vals, 4, loc);
}

static const builtin model_builtins[] = {
    API_STRUCT("InferenceSpec", &chronon_InferenceSpec_desc, {"model_backend", P_REQUIRED, "modelBackend"},
               {"model_backend_params", P_REQUIRED, "modelBackendParams"}),
    {"Model", m_model, NULL},
    API_STRUCT("ModelTransform", &chronon_ModelTransform_desc, {"model", P_REQUIRED, "model"},
               {"input_mappings", P_OPTIONAL, "inputMappings"}, {"output_mappings", P_OPTIONAL, "outputMappings"},
               {"prefix", P_OPTIONAL, "prefix"}),
    API_STRUCT("ModelTransforms", &chronon_ModelTransforms_desc, {"transforms", P_REQUIRED, "transforms"},
               {"passthrough_fields", P_OPTIONAL, "passthroughFields"}),
};

bool api_model_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    return api_def_all(ctx, m, model_builtins, NPARAMS(model_builtins)) &&
           api_set_attr(ctx, m, "DataType", api_datatype_holder(ctx)) &&
           api_export_module(ctx, m, "api", "ai.chronon.api.ttypes") &&
           api_set_attr(ctx, m, "FieldsType", v_none(ctx->arena, none));
}
