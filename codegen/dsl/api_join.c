/* ai.chronon.join (docs/internals/python-api.md §7): Join, JoinPart,
 * LabelPart, BootstrapPart, Derivation, ExternalSource, ContextualSource,
 * ExternalPart, the DataType holder and validate_left_source, as
 * chronon-ai 0.0.115 builds them. */
#include <stdio.h>
#include <string.h>

#include "api_deps.h"
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
static bool is_none(const value *v) { return !v || v->kind == V_NONE; }

/* Where the argument bound to params[idx] was written; fallback if defaulted. */
static src_loc arg_loc(const call_args *args, const param_spec *params, size_t idx, src_loc fallback)
{
    if (idx < args->npositional)
        return args->positional_loc[idx];
    for (size_t k = 0; k < args->nkeywords; k++)
        if (strcmp(args->names[k], params[idx].name) == 0)
            return args->keyword_loc[k];
    return fallback;
}

/* A new object of desc with no field set (but its IDL defaults). */
static value *make(eval_ctx *ctx, const tj_struct_desc *desc, src_loc loc)
{
    return thrift_new(ctx, desc, loc);
}

static bool set(eval_ctx *ctx, value *obj, const char *field, value *v, src_loc loc)
{
    if (IS_ERR(obj))
        return false;
    if (!obj_set(obj, field, v)) {
        eval_error(ctx, loc, "internal error: %s has no field %s", value_type_name(obj), field);
        return false;
    }
    return true;
}

static value *str_value(eval_ctx *ctx, const char *s, src_loc loc)
{
    value *v = v_cstr(ctx->arena, s, loc);
    return v ? v : eval_oom(ctx, loc);
}

static value *int_value(eval_ctx *ctx, int64_t i, src_loc loc)
{
    value *v = v_int(ctx->arena, i, loc);
    return v ? v : eval_oom(ctx, loc);
}

static value *new_list(eval_ctx *ctx, size_t cap, src_loc loc)
{
    value *l = v_list(ctx->arena, V_LIST, cap, loc);
    return l ? l : eval_oom(ctx, loc);
}

static bool push(eval_ctx *ctx, value *list, value *item, src_loc loc)
{
    if (v_list_push(ctx->arena, list, item))
        return true;
    eval_oom(ctx, loc);
    return false;
}

static const char *py_str(eval_ctx *ctx, const value *v)
{
    const char *s = api_py_str(ctx, v);
    return s ? s : "";
}

/* ---- DataType (§7.2) --------------------------------------------------------------- */

static value *tdatatype(eval_ctx *ctx, int64_t kind, value *params, value *name, src_loc loc)
{
    value *t = make(ctx, &chronon_TDataType_desc, loc);
    value *k = int_value(ctx, kind, loc);
    if (IS_ERR(t) || IS_ERR(k) || !set(ctx, t, "kind", k, loc) || !set(ctx, t, "params", params, loc) ||
        !set(ctx, t, "name", name, loc))
        return err(ctx);
    return t;
}

static value *datafield(eval_ctx *ctx, value *name, value *type, src_loc loc)
{
    value *f = make(ctx, &chronon_DataField_desc, loc);
    if (IS_ERR(f) || !set(ctx, f, "name", name, loc) || !set(ctx, f, "dataType", type, loc))
        return err(ctx);
    return f;
}

value *api_datatype_struct(eval_ctx *ctx, value *name, value **fields, size_t nfields, src_loc loc)
{
    value *params = new_list(ctx, nfields, loc);
    if (IS_ERR(params))
        return params;
    for (size_t i = 0; i < nfields; i++) {
        value *f = fields[i];
        src_loc floc = f->loc.file ? f->loc : loc;
        if (f->kind == V_ERROR)
            return f;
        if (f->kind != V_LIST && f->kind != V_TUPLE && f->kind != V_STR && f->kind != V_DICT)
            return eval_error(ctx, floc, "cannot unpack non-iterable %s object", value_type_name(f));
        value **items;
        size_t n;
        if (!api_iter(ctx, f, floc, &items, &n))
            return err(ctx);
        if (n < 2)
            return eval_error(ctx, floc, "not enough values to unpack (expected 2, got %zu)", n);
        if (n > 2)
            return eval_error(ctx, floc, "too many values to unpack (expected 2)");
        value *df = datafield(ctx, items[0], items[1], loc);
        if (IS_ERR(df))
            return df;
        params->u.list.items[params->u.list.len++] = df;
    }
    return tdatatype(ctx, 13, params, name, loc);
}

BUILTIN(dt_map)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"key_type", P_REQUIRED}, {"value_type", P_REQUIRED}};
    value *a[2];
    if (!bind_args(ctx, "DataType.MAP", params, 2, args, loc, a))
        return err(ctx);
    value *string = tdatatype(ctx, 7, NULL, NULL, loc);
    if (IS_ERR(string))
        return string;
    if (!value_equal(a[0], string))
        return eval_error(ctx, arg_loc(args, params, 0, loc), "key_type has to STRING for MAP types");
    value *l = new_list(ctx, 2, loc);
    value *k = str_value(ctx, "key", loc), *v = str_value(ctx, "value", loc);
    if (IS_ERR(l) || IS_ERR(k) || IS_ERR(v))
        return err(ctx);
    value *kf = datafield(ctx, k, a[0], loc), *vf = datafield(ctx, v, a[1], loc);
    if (IS_ERR(kf) || IS_ERR(vf))
        return err(ctx);
    l->u.list.items[l->u.list.len++] = kf;
    l->u.list.items[l->u.list.len++] = vf;
    return tdatatype(ctx, 11, l, NULL, loc);
}

BUILTIN(dt_list)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"elem_type", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "DataType.LIST", params, 1, args, loc, a))
        return err(ctx);
    value *l = new_list(ctx, 1, loc);
    value *e = str_value(ctx, "elem", loc);
    if (IS_ERR(l) || IS_ERR(e))
        return err(ctx);
    value *f = datafield(ctx, e, a[0], loc);
    if (IS_ERR(f))
        return f;
    l->u.list.items[l->u.list.len++] = f;
    return tdatatype(ctx, 12, l, NULL, loc);
}

BUILTIN(dt_struct)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"name", P_REQUIRED}, {"fields", P_VARARGS}};
    value *a[2];
    if (!bind_args(ctx, "DataType.STRUCT", params, 2, args, loc, a))
        return err(ctx);
    return api_datatype_struct(ctx, a[0], a[1]->u.list.items, a[1]->u.list.len, loc);
}

static const builtin datatype_builtins[] = {
    {"DataType.MAP", dt_map, NULL},
    {"DataType.LIST", dt_list, NULL},
    {"DataType.STRUCT", dt_struct, NULL},
};

static value *make_datatype_holder(eval_ctx *ctx)
{
    src_loc none = {0};
    module *ns = module_new(ctx->arena, "DataType", NULL);
    value *nv = ns ? v_module(ctx->arena, ns, none) : NULL;
    if (!nv)
        return NULL;
    static const struct { const char *name; int kind; } kinds[] = {
        {"BOOLEAN", 0}, {"SHORT", 2}, {"INT", 3}, {"LONG", 4},
        {"FLOAT", 5}, {"DOUBLE", 6}, {"STRING", 7}, {"BINARY", 8},
    };
    for (size_t i = 0; i < NPARAMS(kinds); i++) {
        value *t = tdatatype(ctx, kinds[i].kind, NULL, NULL, none);
        if (IS_ERR(t) || !dict_set_str(ctx->arena, ns->attrs, kinds[i].name, t, none))
            return NULL;
    }
    static const char *const short_names[] = {"MAP", "LIST", "STRUCT"};
    for (size_t i = 0; i < NPARAMS(datatype_builtins); i++) {
        value *b = v_builtin(ctx->arena, &datatype_builtins[i], NULL, none);
        if (!b || !dict_set_str(ctx->arena, ns->attrs, short_names[i], b, none))
            return NULL;
    }
    return nv;
}

value *api_datatype_holder(eval_ctx *ctx)
{
    module *j = api_module(ctx, "ai.chronon.join");
    return j ? dict_get_str(j->attrs, "DataType") : NULL;
}

/* STRUCT("<prefix><name><suffix>", *fields) */
static value *schema(eval_ctx *ctx, const char *fname, const char *prefix, value *name, const char *suffix,
                     value *fields, src_loc fields_loc, src_loc loc)
{
    value **items;
    size_t n;
    if (!api_star_items(ctx, fname, fields, fields_loc, &items, &n))
        return err(ctx);
    char *s = arena_sprintf(ctx->arena, "%s%s%s", prefix, name ? py_str(ctx, name) : "", suffix);
    value *sv = s ? str_value(ctx, s, loc) : eval_oom(ctx, loc);
    if (IS_ERR(sv))
        return sv;
    return api_datatype_struct(ctx, sv, items, n, loc);
}

/* ---- JoinPart (§7.1) ----------------------------------------------------------------- */

BUILTIN(j_join_part)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"group_by", P_REQUIRED}, {"key_mapping", P_OPTIONAL},
                                        {"prefix", P_OPTIONAL}, {"tags", P_OPTIONAL}};
    value *a[4];
    if (!bind_args(ctx, "JoinPart", params, 4, args, loc, a))
        return err(ctx);
    value *gb = a[0];
    if (!api_auto_name_group_by(ctx, gb, arg_loc(args, params, 0, loc)))
        return err(ctx);
    if (a[1] && value_truthy(a[1])) {
        src_loc km_loc = arg_loc(args, params, 1, loc);
        if (a[1]->kind != V_DICT)
            return eval_error(ctx, km_loc, "'%s' object has no attribute 'values'", value_type_name(a[1]));
        dict *d = a[1]->u.dict;
        value *vals = new_list(ctx, d->len, loc);
        if (IS_ERR(vals))
            return vals;
        for (size_t i = 0; i < d->len; i++)
            vals->u.list.items[vals->u.list.len++] = d->values[i];
        value *keys = api_attr(ctx, gb, "keyColumns", loc);
        value *md = IS_ERR(keys) ? keys : api_attr(ctx, gb, "metaData", loc);
        value *name = IS_ERR(md) ? md : api_attr(ctx, md, "name", loc);
        if (IS_ERR(name) || !api_check_contains(ctx, vals, keys, "key", name, NULL, km_loc))
            return err(ctx);
    }
    value *jp = make(ctx, &chronon_JoinPart_desc, loc);
    if (IS_ERR(jp) || !set(ctx, jp, "groupBy", gb, loc) || !set(ctx, jp, "keyMapping", a[1], loc) ||
        !set(ctx, jp, "prefix", a[2], loc))
        return err(ctx);
    value *tags = a[3] ? a[3] : v_none(ctx->arena, loc);
    if (!tags || !api_set_extra(ctx, jp, "tags", tags, loc))
        return tags ? err(ctx) : eval_oom(ctx, loc);
    return jp;
}

/* ---- ExternalSource, ContextualSource, ExternalPart (§7.3-§7.5) ------------------------ */

BUILTIN(j_external_source)
{
    UNUSED_SELF;
    static const param_spec params[] = {
        {"name", P_REQUIRED}, {"team", P_REQUIRED}, {"key_fields", P_REQUIRED}, {"value_fields", P_REQUIRED},
        {"custom_json", P_OPTIONAL}, {"factory_name", P_OPTIONAL}, {"factory_params", P_OPTIONAL},
        {"offline_group_by", P_OPTIONAL}};
    value *a[8];
    if (!bind_args(ctx, "ExternalSource", params, 8, args, loc, a))
        return err(ctx);
    if (a[0]->kind == V_STR && strcmp(a[0]->u.str.data, "contextual") == 0 &&
        strlen(a[0]->u.str.data) == a[0]->u.str.len)
        return eval_error(ctx, arg_loc(args, params, 0, loc), "Please use `ContextualSource`");
    if (!is_none(a[7]) && !api_auto_name_group_by(ctx, a[7], arg_loc(args, params, 7, loc)))
        return err(ctx);
    value *factory = NULL;
    if (!is_none(a[5]) || !is_none(a[6])) {
        factory = make(ctx, &chronon_ExternalSourceFactoryConfig_desc, loc);
        if (IS_ERR(factory) || !set(ctx, factory, "factoryName", a[5], loc) ||
            !set(ctx, factory, "factoryParams", a[6], loc))
            return err(ctx);
    }
    value *md = make(ctx, &chronon_MetaData_desc, loc);
    if (IS_ERR(md) || !set(ctx, md, "name", a[0], loc) || !set(ctx, md, "team", a[1], loc) ||
        !set(ctx, md, "customJson", a[4], loc))
        return err(ctx);
    value *keys = schema(ctx, "DataType.STRUCT", "ext_", a[0], "_keys", a[2], arg_loc(args, params, 2, loc), loc);
    if (IS_ERR(keys))
        return keys;
    value *vals = schema(ctx, "DataType.STRUCT", "ext_", a[0], "_values", a[3], arg_loc(args, params, 3, loc), loc);
    if (IS_ERR(vals))
        return vals;
    value *es = make(ctx, &chronon_ExternalSource_desc, loc);
    if (IS_ERR(es) || !set(ctx, es, "metadata", md, loc) || !set(ctx, es, "keySchema", keys, loc) ||
        !set(ctx, es, "valueSchema", vals, loc) || !set(ctx, es, "factoryConfig", factory, loc) ||
        !set(ctx, es, "offlineGroupBy", a[7], loc))
        return err(ctx);
    return es;
}

BUILTIN(j_contextual_source)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"fields", P_REQUIRED}, {"team", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "ContextualSource", params, 2, args, loc, a))
        return err(ctx);
    value *team = a[1] ? a[1] : str_value(ctx, "default", loc);
    value *name = str_value(ctx, "contextual", loc);
    value *md = make(ctx, &chronon_MetaData_desc, loc);
    if (IS_ERR(team) || IS_ERR(name) || IS_ERR(md) || !set(ctx, md, "name", name, loc) ||
        !set(ctx, md, "team", team, loc))
        return err(ctx);
    src_loc floc = arg_loc(args, params, 0, loc);
    value *keys = schema(ctx, "DataType.STRUCT", "contextual_keys", NULL, "", a[0], floc, loc);
    if (IS_ERR(keys))
        return keys;
    value *vals = schema(ctx, "DataType.STRUCT", "contextual_values", NULL, "", a[0], floc, loc);
    if (IS_ERR(vals))
        return vals;
    value *es = make(ctx, &chronon_ExternalSource_desc, loc);
    if (IS_ERR(es) || !set(ctx, es, "metadata", md, loc) || !set(ctx, es, "keySchema", keys, loc) ||
        !set(ctx, es, "valueSchema", vals, loc))
        return err(ctx);
    return es;
}

BUILTIN(j_external_part)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"source", P_REQUIRED}, {"key_mapping", P_OPTIONAL}, {"prefix", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, "ExternalPart", params, 3, args, loc, a))
        return err(ctx);
    value *p = make(ctx, &chronon_ExternalPart_desc, loc);
    if (IS_ERR(p) || !set(ctx, p, "source", a[0], loc) || !set(ctx, p, "keyMapping", a[1], loc) ||
        !set(ctx, p, "prefix", a[2], loc))
        return err(ctx);
    return p;
}

/* ---- LabelPart, Derivation, BootstrapPart (§7.6, §7.7, §5) ----------------------------- */

BUILTIN(j_label_part)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"labels", P_REQUIRED}, {"left_start_offset", P_REQUIRED},
                                        {"left_end_offset", P_REQUIRED}, {"label_offline_schedule", P_OPTIONAL}};
    value *a[4];
    if (!bind_args(ctx, "LabelPart", params, 4, args, loc, a))
        return err(ctx);
    value *schedule = a[3] ? a[3] : str_value(ctx, "@daily", loc);
    value *md = make(ctx, &chronon_MetaData_desc, loc);
    if (IS_ERR(schedule) || IS_ERR(md) || !set(ctx, md, "offlineSchedule", schedule, loc))
        return err(ctx);
    src_loc labels_loc = arg_loc(args, params, 0, loc);
    value **labels;
    size_t nlabels;
    if (!api_iter(ctx, a[0], labels_loc, &labels, &nlabels))
        return err(ctx);
    for (size_t i = 0; i < nlabels; i++) {
        value *gb = api_attr(ctx, labels[i], "groupBy", labels_loc);
        value *aggs = IS_ERR(gb) ? gb : api_attr(ctx, gb, "aggregations", labels_loc);
        if (IS_ERR(aggs))
            return aggs;
        if (aggs->kind == V_NONE)
            continue;
        if (nlabels != 1)
            return eval_error(ctx, labels_loc, "Multiple label joinPart is not supported yet");
        value **items;
        size_t n;
        if (aggs->kind != V_LIST && aggs->kind != V_TUPLE && aggs->kind != V_DICT && aggs->kind != V_STR)
            return eval_error(ctx, labels_loc, "object of type '%s' has no len()", value_type_name(aggs));
        if (!api_iter(ctx, aggs, labels_loc, &items, &n))
            return err(ctx);
        bool valid = n == 1;
        value *windows = NULL;
        if (valid) {
            windows = api_attr(ctx, items[0], "windows", labels_loc);
            if (IS_ERR(windows))
                return windows;
            valid = windows->kind != V_NONE;
        }
        value **ws = NULL;
        size_t nw = 0;
        if (valid) {
            if (windows->kind != V_LIST && windows->kind != V_TUPLE && windows->kind != V_DICT &&
                windows->kind != V_STR)
                return eval_error(ctx, labels_loc, "object of type '%s' has no len()", value_type_name(windows));
            if (!api_iter(ctx, windows, labels_loc, &ws, &nw))
                return err(ctx);
            valid = nw == 1;
        }
        if (!valid)
            return eval_error(ctx, labels_loc,
                              "Too many aggregations or invalid windows found. Single aggregation with one window "
                              "allowed.");
        value *unit = api_attr(ctx, ws[0], "timeUnit", labels_loc);
        if (IS_ERR(unit))
            return unit;
        value *days = int_value(ctx, 1, loc);
        if (IS_ERR(days))
            return days;
        if (!value_equal(unit, days))
            return eval_error(ctx, labels_loc, "Label aggregation window unit must be DAYS");
        value *size = api_attr(ctx, ws[0], "length", labels_loc);
        if (IS_ERR(size))
            return size;
        if (!value_equal(a[1], size) || !value_equal(a[2], size))
            return eval_error(ctx, arg_loc(args, params, value_equal(a[1], size) ? 2 : 1, loc),
                              "left_start_offset and left_end_offset will be inferred to be same as "
                              "aggregationwindow {window_size} and the incorrect values will be ignored. ");
    }
    value *lp = make(ctx, &chronon_LabelPart_desc, loc);
    if (IS_ERR(lp) || !set(ctx, lp, "labels", a[0], loc) || !set(ctx, lp, "leftStartOffset", a[1], loc) ||
        !set(ctx, lp, "leftEndOffset", a[2], loc) || !set(ctx, lp, "metaData", md, loc))
        return err(ctx);
    return lp;
}

BUILTIN(j_derivation)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"name", P_REQUIRED}, {"expression", P_REQUIRED},
                                        {"description", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, "Derivation", params, 3, args, loc, a))
        return err(ctx);
    value *md = NULL;
    if (a[2] && value_truthy(a[2])) {
        md = make(ctx, &chronon_MetaData_desc, loc);
        if (IS_ERR(md) || !set(ctx, md, "description", a[2], loc))
            return err(ctx);
    }
    value *d = make(ctx, &chronon_Derivation_desc, loc);
    if (IS_ERR(d) || !set(ctx, d, "name", a[0], loc) || !set(ctx, d, "expression", a[1], loc) ||
        !set(ctx, d, "metaData", md, loc))
        return err(ctx);
    return d;
}

BUILTIN(j_bootstrap_part)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"table", P_REQUIRED}, {"key_columns", P_OPTIONAL}, {"query", P_OPTIONAL}};
    value *a[3];
    if (!bind_args(ctx, "BootstrapPart", params, 3, args, loc, a))
        return err(ctx);
    value *b = make(ctx, &chronon_BootstrapPart_desc, loc);
    if (IS_ERR(b) || !set(ctx, b, "table", a[0], loc) || !set(ctx, b, "query", a[2], loc) ||
        !set(ctx, b, "keyColumns", a[1], loc))
        return err(ctx);
    return b;
}

/* ---- validate_left_source (§7.8) ------------------------------------------------------ */

static bool validate_left_source(eval_ctx *ctx, value *source, src_loc loc)
{
    value *events = api_attr(ctx, source, "events", loc);
    if (IS_ERR(events))
        return false;
    if (value_truthy(events)) {
        value *cum = api_attr(ctx, events, "isCumulative", loc);
        if (IS_ERR(cum))
            return false;
        if (value_truthy(cum)) {
            eval_error(ctx, loc,
                       "Using EventSource with isCumulative=True as Left source in Joins is NOT supported by Chronon "
                       "now. You can use either EntitySource or EventSource with isCumulative=False.");
            return false;
        }
    }
    value *js = api_attr(ctx, source, "joinSource", loc);
    if (IS_ERR(js))
        return false;
    if (value_truthy(js)) {
        eval_error(ctx, loc,
                   "Using JoinSource as Left source in Joins is NOT supported by Chronon now. For offline-only use "
                   "case, you can directly depend on the Join's output table.");
        return false;
    }
    return true;
}

BUILTIN(j_validate_left_source)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"source", P_REQUIRED}};
    value *a[1];
    if (!bind_args(ctx, "validate_left_source", params, 1, args, loc, a))
        return err(ctx);
    if (!validate_left_source(ctx, a[0], arg_loc(args, params, 0, loc)))
        return err(ctx);
    value *n = v_none(ctx->arena, loc);
    return n ? n : eval_oom(ctx, loc);
}

/* ---- Join (§7.9) ------------------------------------------------------------------------ */

enum {
    J_LEFT, J_RIGHT_PARTS, J_CHECK_CONSISTENCY, J_ADDITIONAL_ARGS, J_ADDITIONAL_ENV, J_DEPENDENCIES, J_ONLINE,
    J_PRODUCTION, J_OUTPUT_NAMESPACE, J_TABLE_PROPERTIES, J_ENV, J_LAG, J_SKEW_KEYS, J_SAMPLE_PERCENT,
    J_CONSISTENCY_SAMPLE_PERCENT, J_ONLINE_EXTERNAL_PARTS, J_OFFLINE_SCHEDULE, J_HISTORICAL_BACKFILL, J_ROW_IDS,
    J_BOOTSTRAP_PARTS, J_BOOTSTRAP_FROM_LOG, J_LABEL_PART, J_DERIVATIONS, J_DEPRECATION_DATE, J_TAGS,
    J_DESCRIPTION, J_MODEL_TRANSFORMS, J_KWARGS, J_NPARAMS
};

static const param_spec join_params[J_NPARAMS] = {
    {"left", P_REQUIRED},
    {"right_parts", P_REQUIRED},
    {"check_consistency", P_OPTIONAL},
    {"additional_args", P_OPTIONAL},
    {"additional_env", P_OPTIONAL},
    {"dependencies", P_OPTIONAL},
    {"online", P_OPTIONAL},
    {"production", P_OPTIONAL},
    {"output_namespace", P_OPTIONAL},
    {"table_properties", P_OPTIONAL},
    {"env", P_OPTIONAL},
    {"lag", P_OPTIONAL},
    {"skew_keys", P_OPTIONAL},
    {"sample_percent", P_OPTIONAL},
    {"consistency_sample_percent", P_OPTIONAL},
    {"online_external_parts", P_OPTIONAL},
    {"offline_schedule", P_OPTIONAL},
    {"historical_backfill", P_OPTIONAL},
    {"row_ids", P_OPTIONAL},
    {"bootstrap_parts", P_OPTIONAL},
    {"bootstrap_from_log", P_OPTIONAL},
    {"label_part", P_OPTIONAL},
    {"derivations", P_OPTIONAL},
    {"deprecation_date", P_OPTIONAL},
    {"tags", P_OPTIONAL},
    {"description", P_OPTIONAL},
    {"model_transforms", P_OPTIONAL},
    {"kwargs", P_KWARGS},
};

/* a + b for two lists of dependency strings, into out */
static bool extend(eval_ctx *ctx, value *out, value *more, src_loc loc)
{
    if (IS_ERR(more))
        return false;
    for (size_t i = 0; i < more->u.list.len; i++)
        if (!push(ctx, out, more->u.list.items[i], loc))
            return false;
    return true;
}

/* x > 0 for a Python number; -1 after a TypeError */
static int positive(eval_ctx *ctx, value *x, src_loc loc)
{
    switch (x->kind) {
    case V_BOOL: return x->u.b;
    case V_INT: return x->u.i > 0;
    case V_FLOAT: return x->u.f > 0;
    default:
        eval_error(ctx, loc, "'>' not supported between instances of '%s' and 'int'", value_type_name(x));
        return -1;
    }
}

static bool dset(eval_ctx *ctx, value *d, const char *key, value *v, src_loc loc)
{
    if (dict_set_str(ctx->arena, d->u.dict, key, v, loc))
        return true;
    eval_oom(ctx, loc);
    return false;
}

BUILTIN(j_join)
{
    UNUSED_SELF;
    value *a[J_NPARAMS];
    arena *ar = ctx->arena;
    if (!bind_args(ctx, "Join", join_params, J_NPARAMS, args, loc, a))
        return err(ctx);
#define ALOC(i) arg_loc(args, join_params, (i), loc)
    value *vnone = v_none(ar, loc), *vfalse = v_bool(ar, false, loc), *vzero = v_int(ar, 0, loc);
    value *vfive = v_float(ar, 5.0, loc), *vdaily = v_cstr(ar, "@daily", loc);
    if (!vnone || !vfalse || !vzero || !vfive || !vdaily)
        return eval_oom(ctx, loc);
    value *check_consistency = a[J_CHECK_CONSISTENCY] ? a[J_CHECK_CONSISTENCY] : vfalse;
    value *online = a[J_ONLINE] ? a[J_ONLINE] : vfalse;
    value *production = a[J_PRODUCTION] ? a[J_PRODUCTION] : vfalse;
    value *lag = a[J_LAG] ? a[J_LAG] : vzero;
    value *csp = a[J_CONSISTENCY_SAMPLE_PERCENT] ? a[J_CONSISTENCY_SAMPLE_PERCENT] : vfive;
    value *schedule = a[J_OFFLINE_SCHEDULE] ? a[J_OFFLINE_SCHEDULE] : vdaily;
    value *bootstrap_from_log = a[J_BOOTSTRAP_FROM_LOG] ? a[J_BOOTSTRAP_FROM_LOG] : vfalse;
    for (size_t i = 0; i < J_NPARAMS; i++)
        if (!a[i])
            a[i] = vnone;
    value *left = a[J_LEFT], *right_parts = a[J_RIGHT_PARTS];
    value *dependencies = a[J_DEPENDENCIES];
    value *user_deps = is_none(dependencies) ? NULL : dependencies;

    /* 1-2: the left source, deep-copied, with ts added to event selects */
    src_loc left_loc = ALOC(J_LEFT);
    if (!validate_left_source(ctx, left, left_loc))
        return err(ctx);
    value *updated_left = api_deepcopy(ctx, left);
    if (IS_ERR(updated_left))
        return updated_left;
    value *events = api_attr(ctx, left, "events", left_loc);
    if (IS_ERR(events))
        return events;
    if (value_truthy(events)) {
        value *query = api_attr(ctx, events, "query", left_loc);
        value *selects = IS_ERR(query) ? query : api_attr(ctx, query, "selects", left_loc);
        if (IS_ERR(selects))
            return selects;
        if (value_truthy(selects)) {
            if (selects->kind != V_DICT)
                return eval_error(ctx, left_loc, "'%s' object has no attribute 'keys'", value_type_name(selects));
            if (dict_get_str(selects->u.dict, "ts"))
                return eval_error(ctx, left_loc,
                                  "'ts' is a reserved key word for Chronon, please specify the expression in "
                                  "timeColumn");
            value *cev = obj_get(updated_left, "events");
            value *cq = cev ? obj_get(cev, "query") : NULL;
            value *csel = cq ? obj_get(cq, "selects") : NULL;
            value *tc = cq ? obj_get(cq, "timeColumn") : NULL;
            if (!csel || csel->kind != V_DICT)
                return eval_error(ctx, left_loc, "internal error: the copy of left lost its selects");
            if (!dset(ctx, csel, "ts", tc ? tc : vnone, loc))
                return err(ctx);
        }
    }

    /* 3-4: dependencies of the left and of every join part's GroupBy */
    value *left_deps = deps_get_dependencies(ctx, left, user_deps, NULL, lag, left_loc);
    if (IS_ERR(left_deps))
        return left_deps;
    src_loc parts_loc = ALOC(J_RIGHT_PARTS);
    value **parts;
    size_t nparts;
    if (!api_iter(ctx, right_parts, parts_loc, &parts, &nparts))
        return err(ctx);
    value *right_sources = new_list(ctx, 0, loc), *right_meta = new_list(ctx, 0, loc);
    if (IS_ERR(right_sources) || IS_ERR(right_meta))
        return err(ctx);
    for (size_t i = 0; i < nparts; i++) {
        src_loc ploc = parts[i]->loc.file ? parts[i]->loc : parts_loc;
        value *gb = api_attr(ctx, parts[i], "groupBy", ploc);
        value *sources = IS_ERR(gb) ? gb : api_attr(ctx, gb, "sources", ploc);
        value *md = IS_ERR(sources) ? sources : api_attr(ctx, gb, "metaData", ploc);
        if (IS_ERR(md))
            return md;
        value **srcs;
        size_t nsrcs;
        if (!api_iter(ctx, sources, ploc, &srcs, &nsrcs))
            return err(ctx);
        for (size_t k = 0; k < nsrcs; k++)
            if (!push(ctx, right_sources, srcs[k], loc) || !push(ctx, right_meta, md, loc))
                return err(ctx);
    }
    value *right_deps = new_list(ctx, 0, loc);
    if (IS_ERR(right_deps))
        return right_deps;
    for (size_t i = 0; i < right_sources->u.list.len; i++) {
        value *md = right_meta->u.list.items[i];
        value *deps = deps_get_dependencies(ctx, right_sources->u.list.items[i], user_deps,
                                            is_none(md) ? NULL : md, lag, parts_loc);
        if (!extend(ctx, right_deps, deps, loc))
            return err(ctx);
    }

    /* 5: the label part, rebuilt with its own dependencies */
    value *label_part = a[J_LABEL_PART];
    if (value_truthy(label_part)) {
        src_loc lloc = ALOC(J_LABEL_PART);
        value *label_deps = deps_label_table_dependencies(ctx, label_part, lloc);
        if (IS_ERR(label_deps))
            return label_deps;
        value *both = new_list(ctx, 0, loc);
        if (IS_ERR(both) || !extend(ctx, both, left_deps, loc) || !extend(ctx, both, label_deps, loc))
            return err(ctx);
        value *deduped = deps_dedupe_in_order(ctx, both, lloc);
        value *lmd = IS_ERR(deduped) ? deduped : api_attr(ctx, label_part, "metaData", lloc);
        value *lsched = IS_ERR(lmd) ? lmd : api_attr(ctx, lmd, "offlineSchedule", lloc);
        value *labels = IS_ERR(lsched) ? lsched : api_attr(ctx, label_part, "labels", lloc);
        value *start = IS_ERR(labels) ? labels : api_attr(ctx, label_part, "leftStartOffset", lloc);
        value *end = IS_ERR(start) ? start : api_attr(ctx, label_part, "leftEndOffset", lloc);
        if (IS_ERR(end))
            return end;
        value *md = make(ctx, &chronon_MetaData_desc, lloc);
        if (IS_ERR(md) || !set(ctx, md, "dependencies", deduped, loc) ||
            !set(ctx, md, "offlineSchedule", lsched, loc))
            return err(ctx);
        value *lp = make(ctx, &chronon_LabelPart_desc, lloc);
        if (IS_ERR(lp) || !set(ctx, lp, "labels", labels, loc) || !set(ctx, lp, "leftStartOffset", start, loc) ||
            !set(ctx, lp, "leftEndOffset", end, loc) || !set(ctx, lp, "metaData", md, loc))
            return err(ctx);
        label_part = lp;
    }

    /* 6: customJson */
    value *custom = v_dict(ar, loc);
    if (!custom)
        return eval_oom(ctx, loc);
    if (!dset(ctx, custom, "check_consistency", check_consistency, loc) || !dset(ctx, custom, "lag", lag, loc))
        return err(ctx);
    if (value_truthy(a[J_ADDITIONAL_ARGS]) && !dset(ctx, custom, "additional_args", a[J_ADDITIONAL_ARGS], loc))
        return err(ctx);
    if (value_truthy(a[J_ADDITIONAL_ENV]) && !dset(ctx, custom, "additional_env", a[J_ADDITIONAL_ENV], loc))
        return err(ctx);
    dict *kw = a[J_KWARGS]->u.dict;
    for (size_t i = 0; i < kw->len; i++)
        if (!dict_set(ar, custom->u.dict, kw->keys[i], kw->values[i]))
            return eval_oom(ctx, loc);
    if (!dset(ctx, custom, "join_tags", a[J_TAGS], loc))
        return err(ctx);
    value *part_tags = v_dict(ar, loc);
    if (!part_tags)
        return eval_oom(ctx, loc);
    for (size_t i = 0; i < nparts; i++) {
        value *jp = parts[i];
        src_loc ploc = jp->loc.file ? jp->loc : parts_loc;
        value *tags = obj_get_extra(jp, "tags");
        value *gb = api_attr(ctx, jp, "groupBy", ploc);
        if (IS_ERR(gb))
            return gb;
        if (tags && value_truthy(tags)) {
            value *prefix = api_attr(ctx, jp, "prefix", ploc);
            value *md = IS_ERR(prefix) ? prefix : api_attr(ctx, gb, "metaData", ploc);
            value *name = IS_ERR(md) ? md : api_attr(ctx, md, "name", ploc);
            if (IS_ERR(name))
                return name;
            if (value_truthy(prefix) && prefix->kind != V_STR)
                return eval_error(ctx, ploc, "unsupported operand type(s) for +: '%s' and 'str'",
                                  value_type_name(prefix));
            char *key = arena_sprintf(ar, "%s%s%s", value_truthy(prefix) ? prefix->u.str.data : "",
                                      value_truthy(prefix) ? "_" : "", py_str(ctx, name));
            if (!key || !dset(ctx, part_tags, key, tags, loc))
                return key ? err(ctx) : eval_oom(ctx, loc);
        }
        if (!group_by_validate(ctx, gb, ploc))
            return err(ctx);
    }
    if (!dset(ctx, custom, "join_part_tags", part_tags, loc))
        return err(ctx);

    /* 7 */
    value *consistency_percent = value_truthy(check_consistency) ? csp : vnone;

    /* 8: external parts must be unique on (prefix, source.metadata.name) */
    value *ext = a[J_ONLINE_EXTERNAL_PARTS];
    if (value_truthy(ext)) {
        src_loc eloc = ALOC(J_ONLINE_EXTERNAL_PARTS);
        value **eparts;
        size_t neparts;
        if (!api_iter(ctx, ext, eloc, &eparts, &neparts))
            return err(ctx);
        value **keys = arena_alloc(ar, (neparts ? neparts : 1) * sizeof *keys);
        size_t *counts = arena_alloc(ar, (neparts ? neparts : 1) * sizeof *counts);
        size_t nkeys = 0;
        if (!keys || !counts)
            return eval_oom(ctx, loc);
        for (size_t i = 0; i < neparts; i++) {
            value *prefix = api_attr(ctx, eparts[i], "prefix", eloc);
            value *src = IS_ERR(prefix) ? prefix : api_attr(ctx, eparts[i], "source", eloc);
            value *md = IS_ERR(src) ? src : api_attr(ctx, src, "metadata", eloc);
            value *name = IS_ERR(md) ? md : api_attr(ctx, md, "name", eloc);
            if (IS_ERR(name))
                return name;
            value *key = v_list(ar, V_TUPLE, 2, loc);
            if (!key)
                return eval_oom(ctx, loc);
            key->u.list.items[0] = prefix;
            key->u.list.items[1] = name;
            key->u.list.len = 2;
            if (!value_hashable(key))
                return eval_error(ctx, eloc, "unhashable type: '%s'",
                                  value_type_name(value_hashable(prefix) ? name : prefix));
            size_t k;
            for (k = 0; k < nkeys; k++)
                if (value_equal(keys[k], key))
                    break;
            if (k == nkeys) {
                keys[nkeys] = key;
                counts[nkeys++] = 0;
            }
            counts[k]++;
        }
        bool duplicates = false;
        for (size_t k = 0; k < nkeys; k++)
            duplicates |= counts[k] > 1;
        if (duplicates) {
            eval_error(ctx, eloc, "Please address all the above mentioned duplicates.");
            for (size_t k = 0; k < nkeys; k++)
                if (counts[k] > 1)
                    diag_note(ctx->diags, eloc, "Found %zu duplicate(s) for external part %s", counts[k] - 1,
                              api_repr(ctx, keys[k]));
            return err(ctx);
        }
    }

    /* 9: bootstrap from the logged table */
    value *bootstrap_parts = a[J_BOOTSTRAP_PARTS];
    if (value_truthy(bootstrap_from_log)) {
        value *sp = a[J_SAMPLE_PERCENT];
        bool has_logging = false;
        if (!is_none(sp)) {
            int pos = positive(ctx, sp, ALOC(J_SAMPLE_PERCENT));
            if (pos < 0)
                return err(ctx);
            has_logging = pos && value_truthy(online);
        }
        if (!has_logging)
            return eval_error(ctx, ALOC(J_BOOTSTRAP_FROM_LOG),
                              "Join must be online with sample_percent set in order to use bootstrap_from_log "
                              "option");
        value *parts_list = new_list(ctx, 0, loc);
        if (IS_ERR(parts_list))
            return parts_list;
        if (value_truthy(bootstrap_parts)) {
            if (bootstrap_parts->kind != V_LIST)
                return eval_error(ctx, ALOC(J_BOOTSTRAP_PARTS), "can only concatenate %s (not \"list\") to %s",
                                  value_type_name(bootstrap_parts), value_type_name(bootstrap_parts));
            if (!extend(ctx, parts_list, bootstrap_parts, loc))
                return err(ctx);
        }
        value *logged = make(ctx, &chronon_BootstrapPart_desc, loc);
        value *table = str_value(ctx, "{{ logged_table }}", loc);
        if (IS_ERR(logged) || IS_ERR(table) || !set(ctx, logged, "table", table, loc) ||
            !push(ctx, parts_list, logged, loc))
            return err(ctx);
        bootstrap_parts = parts_list;
    }

    /* 10 */
    value *bootstrap_deps;
    if (user_deps) {
        bootstrap_deps = new_list(ctx, 0, loc);
    } else {
        bootstrap_deps = deps_bootstrap_dependencies(ctx, is_none(bootstrap_parts) ? NULL : bootstrap_parts,
                                                     ALOC(J_BOOTSTRAP_PARTS));
    }
    if (IS_ERR(bootstrap_deps))
        return bootstrap_deps;

    /* 11: MetaData */
    value *all = new_list(ctx, 0, loc);
    if (IS_ERR(all) || !extend(ctx, all, left_deps, loc) || !extend(ctx, all, right_deps, loc) ||
        !extend(ctx, all, bootstrap_deps, loc))
        return err(ctx);
    value *deps = deps_dedupe_in_order(ctx, all, loc);
    if (IS_ERR(deps))
        return deps;
    value *custom_json = api_pyjson(ctx, custom, loc);
    if (IS_ERR(custom_json))
        return custom_json;
    value *md = make(ctx, &chronon_MetaData_desc, loc);
    if (IS_ERR(md) || !set(ctx, md, "online", online, loc) || !set(ctx, md, "production", production, loc) ||
        !set(ctx, md, "customJson", custom_json, loc) || !set(ctx, md, "dependencies", deps, loc) ||
        !set(ctx, md, "outputNamespace", a[J_OUTPUT_NAMESPACE], loc) ||
        !set(ctx, md, "tableProperties", a[J_TABLE_PROPERTIES], loc) ||
        !set(ctx, md, "modeToEnvMap", a[J_ENV], loc) || !set(ctx, md, "samplePercent", a[J_SAMPLE_PERCENT], loc) ||
        !set(ctx, md, "offlineSchedule", schedule, loc) ||
        !set(ctx, md, "consistencySamplePercent", consistency_percent, loc) ||
        !set(ctx, md, "historicalBackfill", a[J_HISTORICAL_BACKFILL], loc) ||
        !set(ctx, md, "deprecationDate", a[J_DEPRECATION_DATE], loc) ||
        !set(ctx, md, "description", a[J_DESCRIPTION], loc))
        return err(ctx);

    /* 12 */
    value *join = make(ctx, &chronon_Join_desc, loc);
    if (IS_ERR(join) || !set(ctx, join, "left", updated_left, loc) ||
        !set(ctx, join, "joinParts", right_parts, loc) || !set(ctx, join, "metaData", md, loc) ||
        !set(ctx, join, "skewKeys", a[J_SKEW_KEYS], loc) ||
        !set(ctx, join, "onlineExternalParts", a[J_ONLINE_EXTERNAL_PARTS], loc) ||
        !set(ctx, join, "bootstrapParts", bootstrap_parts, loc) || !set(ctx, join, "rowIds", a[J_ROW_IDS], loc) ||
        !set(ctx, join, "labelPart", label_part, loc) || !set(ctx, join, "derivations", a[J_DERIVATIONS], loc) ||
        !set(ctx, join, "modelTransforms", a[J_MODEL_TRANSFORMS], loc))
        return err(ctx);
    return join;
#undef ALOC
}

/* ---- the module ----------------------------------------------------------------------- */

static const builtin join_builtins[] = {
    {"JoinPart", j_join_part, NULL},
    {"ExternalSource", j_external_source, NULL},
    {"ContextualSource", j_contextual_source, NULL},
    {"ExternalPart", j_external_part, NULL},
    {"LabelPart", j_label_part, NULL},
    {"Derivation", j_derivation, NULL},
    {"BootstrapPart", j_bootstrap_part, NULL},
    {"validate_left_source", j_validate_left_source, NULL},
    {"Join", j_join, NULL},
};

bool api_join_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    for (size_t i = 0; i < NPARAMS(join_builtins); i++)
        if (!api_def(ctx, m, &join_builtins[i]))
            return false;
    value *dt = make_datatype_holder(ctx);
    if (!dt || !dict_set_str(ctx->arena, m->attrs, "DataType", dt, none))
        return false;
    /* names join.py imports: `api`, `utils`, `validate_group_by`; FieldsType is a typing alias */
    module *tt = api_module(ctx, "ai.chronon.api.ttypes");
    module *utils = api_module(ctx, "ai.chronon.utils");
    module *gb = api_module(ctx, "ai.chronon.group_by");
    value *ttv = tt ? v_module(ctx->arena, tt, none) : NULL;
    value *uv = utils ? v_module(ctx->arena, utils, none) : NULL;
    value *fields = v_none(ctx->arena, none);
    if (!ttv || !uv || !fields || !dict_set_str(ctx->arena, m->attrs, "api", ttv, none) ||
        !dict_set_str(ctx->arena, m->attrs, "utils", uv, none) ||
        !dict_set_str(ctx->arena, m->attrs, "FieldsType", fields, none))
        return false;
    value *vgb = gb ? dict_get_str(gb->attrs, "validate_group_by") : NULL;
    if (vgb && !dict_set_str(ctx->arena, m->attrs, "validate_group_by", vgb, none))
        return false;
    return true;
}
