/* ai.chronon.join (docs/internals/python-api.md §7): Join, JoinPart,
 * LabelPart, BootstrapPart, Derivation, ExternalSource, ContextualSource,
 * ExternalPart, the DataType holder and validate_left_source, as
 * chronon-ai 0.0.115 builds them. */
#include <stdio.h>
#include <string.h>

#include "api_deps.h"
#include "api_shared.h"
#include "api_tables.h"
#include "chronon_api.h"
#include "thrift_values.h"

/* obj.field = v (an internal error if obj's struct has no such field) */
static bool set(eval_ctx *ctx, value *obj, const char *field, value *v, src_loc loc)
{
    if (IS_ERR(obj))
        return false;
    if (obj->kind == V_OBJECT)
        arena_note_store(ctx->arena, obj->u.obj);
    if (!obj_set(obj, field, v)) {
        eval_error(ctx, loc, "internal error: %s has no field %s", value_type_name(obj), field);
        return false;
    }
    return true;
}

/* ---- DataType (§7.2) --------------------------------------------------------------- */

static value *tdatatype(eval_ctx *ctx, int64_t kind, value *params, value *name, src_loc loc)
{
    value *t = thrift_new(ctx, &chronon_TDataType_desc, loc);
    value *k = api_int(ctx, kind, loc);
    if (IS_ERR(t) || IS_ERR(k) || !set(ctx, t, "kind", k, loc) || !set(ctx, t, "params", params, loc) ||
        !set(ctx, t, "name", name, loc))
        return api_err(ctx);
    return t;
}

static value *datafield(eval_ctx *ctx, value *name, value *type, src_loc loc)
{
    value *f = thrift_new(ctx, &chronon_DataField_desc, loc);
    if (IS_ERR(f) || !set(ctx, f, "name", name, loc) || !set(ctx, f, "dataType", type, loc))
        return api_err(ctx);
    return f;
}

/* DataType.STRUCT(name, *fields): TDataType(STRUCT, [DataField(n, t) ...], name). */
static value *datatype_struct(eval_ctx *ctx, value *name, value **fields, size_t nfields, src_loc loc)
{
    value *params = api_list(ctx, nfields, loc);
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
            return api_err(ctx);
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
        return api_err(ctx);
    value *string = tdatatype(ctx, 7, NULL, NULL, loc);
    if (IS_ERR(string))
        return string;
    if (!value_equal(a[0], string))
        return eval_error(ctx, api_arg_loc(args, params, 0, loc), "key_type has to STRING for MAP types");
    value *l = api_list(ctx, 2, loc);
    value *k = api_str(ctx, "key", loc), *v = api_str(ctx, "value", loc);
    if (IS_ERR(l) || IS_ERR(k) || IS_ERR(v))
        return api_err(ctx);
    value *kf = datafield(ctx, k, a[0], loc), *vf = datafield(ctx, v, a[1], loc);
    if (IS_ERR(kf) || IS_ERR(vf))
        return api_err(ctx);
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
        return api_err(ctx);
    value *l = api_list(ctx, 1, loc);
    value *e = api_str(ctx, "elem", loc);
    if (IS_ERR(l) || IS_ERR(e))
        return api_err(ctx);
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
        return api_err(ctx);
    return datatype_struct(ctx, a[0], a[1]->u.list.items, a[1]->u.list.len, loc);
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

value *api_datatype_schema(eval_ctx *ctx, const char *prefix, value *name, const char *suffix, value *fields,
                           src_loc fields_loc, src_loc loc)
{
    value **items;
    size_t n;
    if (!api_star_items(ctx, "DataType.STRUCT", fields, fields_loc, &items, &n))
        return api_err(ctx);
    char *s = arena_sprintf(ctx->arena, "%s%s%s", prefix, name ? api_text(ctx, name) : "", suffix);
    value *sv = s ? api_str(ctx, s, loc) : eval_oom(ctx, loc);
    if (IS_ERR(sv))
        return sv;
    return datatype_struct(ctx, sv, items, n, loc);
}

/* ---- JoinPart (§7.1) ----------------------------------------------------------------- */

BUILTIN(j_join_part)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"group_by", P_REQUIRED}, {"key_mapping", P_OPTIONAL},
                                        {"prefix", P_OPTIONAL}, {"tags", P_OPTIONAL}};
    value *a[4];
    if (!bind_args(ctx, "JoinPart", params, 4, args, loc, a))
        return api_err(ctx);
    value *gb = a[0];
    if (!api_auto_name_group_by(ctx, gb, api_arg_loc(args, params, 0, loc)))
        return api_err(ctx);
    if (a[1] && value_truthy(a[1])) {
        src_loc km_loc = api_arg_loc(args, params, 1, loc);
        if (a[1]->kind != V_DICT)
            return eval_error(ctx, km_loc, "'%s' object has no attribute 'values'", value_type_name(a[1]));
        dict *d = a[1]->u.dict;
        value *vals = api_list(ctx, d->len, loc);
        if (IS_ERR(vals))
            return vals;
        for (size_t i = 0; i < d->len; i++)
            vals->u.list.items[vals->u.list.len++] = d->values[i];
        value *keys = api_attr(ctx, gb, "keyColumns", loc);
        value *name = IS_ERR(keys) ? keys : api_metadata_attr(ctx, gb, "name", loc);
        if (IS_ERR(name) || !api_check_contains(ctx, vals, keys, "key", name, NULL, km_loc))
            return api_err(ctx);
    }
    value *jp = thrift_new(ctx, &chronon_JoinPart_desc, loc);
    if (IS_ERR(jp) || !set(ctx, jp, "groupBy", gb, loc) || !set(ctx, jp, "keyMapping", a[1], loc) ||
        !set(ctx, jp, "prefix", a[2], loc))
        return api_err(ctx);
    value *tags = a[3] ? a[3] : v_none(ctx->arena, loc);
    if (!tags || !api_set_extra(ctx, jp, "tags", tags, loc))
        return tags ? api_err(ctx) : eval_oom(ctx, loc);
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
        return api_err(ctx);
    if (a[0]->kind == V_STR && strcmp(a[0]->u.str.data, "contextual") == 0 &&
        strlen(a[0]->u.str.data) == a[0]->u.str.len)
        return eval_error(ctx, api_arg_loc(args, params, 0, loc), "Please use `ContextualSource`");
    if (!api_is_none(a[7]) && !api_auto_name_group_by(ctx, a[7], api_arg_loc(args, params, 7, loc)))
        return api_err(ctx);
    value *factory = NULL;
    if (!api_is_none(a[5]) || !api_is_none(a[6])) {
        factory = thrift_new(ctx, &chronon_ExternalSourceFactoryConfig_desc, loc);
        if (IS_ERR(factory) || !set(ctx, factory, "factoryName", a[5], loc) ||
            !set(ctx, factory, "factoryParams", a[6], loc))
            return api_err(ctx);
    }
    value *md = thrift_new(ctx, &chronon_MetaData_desc, loc);
    if (IS_ERR(md) || !set(ctx, md, "name", a[0], loc) || !set(ctx, md, "team", a[1], loc) ||
        !set(ctx, md, "customJson", a[4], loc))
        return api_err(ctx);
    value *keys = api_datatype_schema(ctx, "ext_", a[0], "_keys", a[2], api_arg_loc(args, params, 2, loc), loc);
    if (IS_ERR(keys))
        return keys;
    value *vals = api_datatype_schema(ctx, "ext_", a[0], "_values", a[3], api_arg_loc(args, params, 3, loc), loc);
    if (IS_ERR(vals))
        return vals;
    value *es = thrift_new(ctx, &chronon_ExternalSource_desc, loc);
    if (IS_ERR(es) || !set(ctx, es, "metadata", md, loc) || !set(ctx, es, "keySchema", keys, loc) ||
        !set(ctx, es, "valueSchema", vals, loc) || !set(ctx, es, "factoryConfig", factory, loc) ||
        !set(ctx, es, "offlineGroupBy", a[7], loc))
        return api_err(ctx);
    return es;
}

BUILTIN(j_contextual_source)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"fields", P_REQUIRED}, {"team", P_OPTIONAL}};
    value *a[2];
    if (!bind_args(ctx, "ContextualSource", params, 2, args, loc, a))
        return api_err(ctx);
    value *team = a[1] ? a[1] : api_str(ctx, "default", loc);
    value *name = api_str(ctx, "contextual", loc);
    value *md = thrift_new(ctx, &chronon_MetaData_desc, loc);
    if (IS_ERR(team) || IS_ERR(name) || IS_ERR(md) || !set(ctx, md, "name", name, loc) ||
        !set(ctx, md, "team", team, loc))
        return api_err(ctx);
    src_loc floc = api_arg_loc(args, params, 0, loc);
    value *keys = api_datatype_schema(ctx, "contextual_keys", NULL, "", a[0], floc, loc);
    if (IS_ERR(keys))
        return keys;
    value *vals = api_datatype_schema(ctx, "contextual_values", NULL, "", a[0], floc, loc);
    if (IS_ERR(vals))
        return vals;
    value *es = thrift_new(ctx, &chronon_ExternalSource_desc, loc);
    if (IS_ERR(es) || !set(ctx, es, "metadata", md, loc) || !set(ctx, es, "keySchema", keys, loc) ||
        !set(ctx, es, "valueSchema", vals, loc))
        return api_err(ctx);
    return es;
}

/* ---- LabelPart (§7.6); Derivation (§7.7) is group_by's, BootstrapPart (§5) a plain struct ---- */

BUILTIN(j_label_part)
{
    UNUSED_SELF;
    static const param_spec params[] = {{"labels", P_REQUIRED}, {"left_start_offset", P_REQUIRED},
                                        {"left_end_offset", P_REQUIRED}, {"label_offline_schedule", P_OPTIONAL}};
    value *a[4];
    if (!bind_args(ctx, "LabelPart", params, 4, args, loc, a))
        return api_err(ctx);
    value *schedule = a[3] ? a[3] : api_str(ctx, "@daily", loc);
    value *md = thrift_new(ctx, &chronon_MetaData_desc, loc);
    if (IS_ERR(schedule) || IS_ERR(md) || !set(ctx, md, "offlineSchedule", schedule, loc))
        return api_err(ctx);
    src_loc labels_loc = api_arg_loc(args, params, 0, loc);
    value **labels;
    size_t nlabels;
    if (!api_iter(ctx, a[0], labels_loc, &labels, &nlabels))
        return api_err(ctx);
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
            return api_err(ctx);
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
                return api_err(ctx);
            valid = nw == 1;
        }
        if (!valid)
            return eval_error(ctx, labels_loc,
                              "Too many aggregations or invalid windows found. Single aggregation with one window "
                              "allowed.");
        value *unit = api_attr(ctx, ws[0], "timeUnit", labels_loc);
        if (IS_ERR(unit))
            return unit;
        if (!api_eq_int(unit, 1))
            return eval_error(ctx, labels_loc, "Label aggregation window unit must be DAYS");
        value *size = api_attr(ctx, ws[0], "length", labels_loc);
        if (IS_ERR(size))
            return size;
        if (!value_equal(a[1], size) || !value_equal(a[2], size))
            return eval_error(ctx, api_arg_loc(args, params, value_equal(a[1], size) ? 2 : 1, loc),
                              "left_start_offset and left_end_offset will be inferred to be same as "
                              "aggregationwindow {window_size} and the incorrect values will be ignored. ");
    }
    value *lp = thrift_new(ctx, &chronon_LabelPart_desc, loc);
    if (IS_ERR(lp) || !set(ctx, lp, "labels", a[0], loc) || !set(ctx, lp, "leftStartOffset", a[1], loc) ||
        !set(ctx, lp, "leftEndOffset", a[2], loc) || !set(ctx, lp, "metaData", md, loc))
        return api_err(ctx);
    return lp;
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
        return api_err(ctx);
    if (!validate_left_source(ctx, a[0], api_arg_loc(args, params, 0, loc)))
        return api_err(ctx);
    return api_none(ctx, loc);
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
        return api_err(ctx);
#define ALOC(i) api_arg_loc(args, join_params, (i), loc)
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
    value *user_deps = api_is_none(dependencies) ? NULL : dependencies;

    /* 1-2: the left source, deep-copied, with ts added to event selects */
    src_loc left_loc = ALOC(J_LEFT);
    if (!validate_left_source(ctx, left, left_loc))
        return api_err(ctx);
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
                return eval_error(ctx, deps_loc(dict_key_str(selects->u.dict, "ts"), left_loc),
                                  "'ts' is a reserved key word for Chronon, please specify the expression in "
                                  "timeColumn");
            value *cev = obj_get(updated_left, "events");
            value *cq = cev ? obj_get(cev, "query") : NULL;
            value *csel = cq ? obj_get(cq, "selects") : NULL;
            value *tc = cq ? obj_get(cq, "timeColumn") : NULL;
            if (!csel || csel->kind != V_DICT)
                return eval_error(ctx, left_loc, "internal error: the copy of left lost its selects");
            if (!dset(ctx, csel, "ts", tc ? tc : vnone, loc))
                return api_err(ctx);
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
        return api_err(ctx);
    value *right_sources = api_list(ctx, 0, loc), *right_meta = api_list(ctx, 0, loc);
    if (IS_ERR(right_sources) || IS_ERR(right_meta))
        return api_err(ctx);
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
            return api_err(ctx);
        for (size_t k = 0; k < nsrcs; k++)
            if (!api_push(ctx, right_sources, srcs[k], loc) || !api_push(ctx, right_meta, md, loc))
                return api_err(ctx);
    }
    value *right_deps = api_list(ctx, 0, loc);
    if (IS_ERR(right_deps))
        return right_deps;
    for (size_t i = 0; i < right_sources->u.list.len; i++) {
        value *md = right_meta->u.list.items[i];
        value *deps = deps_get_dependencies(ctx, right_sources->u.list.items[i], user_deps,
                                            api_is_none(md) ? NULL : md, lag, parts_loc);
        if (!api_extend(ctx, right_deps, deps, loc))
            return api_err(ctx);
    }

    /* 5: the label part, rebuilt with its own dependencies */
    value *label_part = a[J_LABEL_PART];
    if (value_truthy(label_part)) {
        src_loc lloc = ALOC(J_LABEL_PART);
        value *label_deps = deps_label_table_dependencies(ctx, label_part, lloc);
        if (IS_ERR(label_deps))
            return label_deps;
        value *both = api_list(ctx, 0, loc);
        if (IS_ERR(both) || !api_extend(ctx, both, left_deps, loc) || !api_extend(ctx, both, label_deps, loc))
            return api_err(ctx);
        value *deduped = deps_dedupe_in_order(ctx, both, lloc);
        value *lmd = IS_ERR(deduped) ? deduped : api_attr(ctx, label_part, "metaData", lloc);
        value *lsched = IS_ERR(lmd) ? lmd : api_attr(ctx, lmd, "offlineSchedule", lloc);
        value *labels = IS_ERR(lsched) ? lsched : api_attr(ctx, label_part, "labels", lloc);
        value *start = IS_ERR(labels) ? labels : api_attr(ctx, label_part, "leftStartOffset", lloc);
        value *end = IS_ERR(start) ? start : api_attr(ctx, label_part, "leftEndOffset", lloc);
        if (IS_ERR(end))
            return end;
        value *md = thrift_new(ctx, &chronon_MetaData_desc, lloc);
        if (IS_ERR(md) || !set(ctx, md, "dependencies", deduped, loc) ||
            !set(ctx, md, "offlineSchedule", lsched, loc))
            return api_err(ctx);
        value *lp = thrift_new(ctx, &chronon_LabelPart_desc, lloc);
        if (IS_ERR(lp) || !set(ctx, lp, "labels", labels, loc) || !set(ctx, lp, "leftStartOffset", start, loc) ||
            !set(ctx, lp, "leftEndOffset", end, loc) || !set(ctx, lp, "metaData", md, loc))
            return api_err(ctx);
        label_part = lp;
    }

    /* 6: customJson */
    value *custom = v_dict(ar, loc);
    if (!custom)
        return eval_oom(ctx, loc);
    if (!dset(ctx, custom, "check_consistency", check_consistency, loc) || !dset(ctx, custom, "lag", lag, loc))
        return api_err(ctx);
    if (value_truthy(a[J_ADDITIONAL_ARGS]) && !dset(ctx, custom, "additional_args", a[J_ADDITIONAL_ARGS], loc))
        return api_err(ctx);
    if (value_truthy(a[J_ADDITIONAL_ENV]) && !dset(ctx, custom, "additional_env", a[J_ADDITIONAL_ENV], loc))
        return api_err(ctx);
    dict *kw = a[J_KWARGS]->u.dict;
    for (size_t i = 0; i < kw->len; i++)
        if (!dict_set(ar, custom->u.dict, kw->keys[i], kw->values[i]))
            return eval_oom(ctx, loc);
    if (!dset(ctx, custom, "join_tags", a[J_TAGS], loc))
        return api_err(ctx);
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
            value *name = IS_ERR(prefix) ? prefix : api_metadata_attr(ctx, gb, "name", ploc);
            if (IS_ERR(name))
                return name;
            if (value_truthy(prefix) && prefix->kind != V_STR)
                return eval_error(ctx, ploc, "unsupported operand type(s) for +: '%s' and 'str'",
                                  value_type_name(prefix));
            char *key = arena_sprintf(ar, "%s%s%s", value_truthy(prefix) ? prefix->u.str.data : "",
                                      value_truthy(prefix) ? "_" : "", api_text(ctx, name));
            if (!key || !dset(ctx, part_tags, key, tags, loc))
                return key ? api_err(ctx) : eval_oom(ctx, loc);
        }
        if (!group_by_validate(ctx, gb, ploc))
            return api_err(ctx);
    }
    if (!dset(ctx, custom, "join_part_tags", part_tags, loc))
        return api_err(ctx);

    /* 7 */
    value *consistency_percent = value_truthy(check_consistency) ? csp : vnone;

    /* 8: external parts must be unique on (prefix, source.metadata.name) */
    value *ext = a[J_ONLINE_EXTERNAL_PARTS];
    if (value_truthy(ext)) {
        src_loc eloc = ALOC(J_ONLINE_EXTERNAL_PARTS);
        value **eparts;
        size_t neparts;
        if (!api_iter(ctx, ext, eloc, &eparts, &neparts))
            return api_err(ctx);
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
            value *key = api_tuple(ctx, (value *[]){prefix, name}, 2, loc);
            if (IS_ERR(key))
                return key;
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
            return api_err(ctx);
        }
    }

    /* 9: bootstrap from the logged table */
    value *bootstrap_parts = a[J_BOOTSTRAP_PARTS];
    if (value_truthy(bootstrap_from_log)) {
        value *sp = a[J_SAMPLE_PERCENT];
        bool has_logging = false;
        if (!api_is_none(sp)) {
            int pos = api_positive(ctx, sp, ALOC(J_SAMPLE_PERCENT));
            if (pos < 0)
                return api_err(ctx);
            has_logging = pos && value_truthy(online);
        }
        if (!has_logging)
            return eval_error(ctx, ALOC(J_BOOTSTRAP_FROM_LOG),
                              "Join must be online with sample_percent set in order to use bootstrap_from_log "
                              "option");
        value *parts_list = api_list(ctx, 0, loc);
        if (IS_ERR(parts_list))
            return parts_list;
        if (value_truthy(bootstrap_parts)) {
            if (bootstrap_parts->kind != V_LIST)
                return eval_error(ctx, ALOC(J_BOOTSTRAP_PARTS), "can only concatenate %s (not \"list\") to %s",
                                  value_type_name(bootstrap_parts), value_type_name(bootstrap_parts));
            if (!api_extend(ctx, parts_list, bootstrap_parts, loc))
                return api_err(ctx);
        }
        value *logged = thrift_new(ctx, &chronon_BootstrapPart_desc, loc);
        value *table = api_str(ctx, "{{ logged_table }}", loc);
        if (IS_ERR(logged) || IS_ERR(table) || !set(ctx, logged, "table", table, loc) ||
            !api_push(ctx, parts_list, logged, loc))
            return api_err(ctx);
        bootstrap_parts = parts_list;
    }

    /* 10 */
    value *bootstrap_deps;
    if (user_deps) {
        bootstrap_deps = api_list(ctx, 0, loc);
    } else {
        bootstrap_deps = deps_bootstrap_dependencies(ctx, api_is_none(bootstrap_parts) ? NULL : bootstrap_parts,
                                                     ALOC(J_BOOTSTRAP_PARTS));
    }
    if (IS_ERR(bootstrap_deps))
        return bootstrap_deps;

    /* 11: MetaData */
    value *all = api_list(ctx, 0, loc);
    if (IS_ERR(all) || !api_extend(ctx, all, left_deps, loc) || !api_extend(ctx, all, right_deps, loc) ||
        !api_extend(ctx, all, bootstrap_deps, loc))
        return api_err(ctx);
    value *deps = deps_dedupe_in_order(ctx, all, loc);
    if (IS_ERR(deps))
        return deps;
    value *custom_json = api_pyjson(ctx, custom, loc);
    if (IS_ERR(custom_json))
        return custom_json;
    value *md = thrift_new(ctx, &chronon_MetaData_desc, loc);
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
        return api_err(ctx);

    /* 12 */
    value *join = thrift_new(ctx, &chronon_Join_desc, loc);
    if (IS_ERR(join) || !set(ctx, join, "left", updated_left, loc) ||
        !set(ctx, join, "joinParts", right_parts, loc) || !set(ctx, join, "metaData", md, loc) ||
        !set(ctx, join, "skewKeys", a[J_SKEW_KEYS], loc) ||
        !set(ctx, join, "onlineExternalParts", a[J_ONLINE_EXTERNAL_PARTS], loc) ||
        !set(ctx, join, "bootstrapParts", bootstrap_parts, loc) || !set(ctx, join, "rowIds", a[J_ROW_IDS], loc) ||
        !set(ctx, join, "labelPart", label_part, loc) || !set(ctx, join, "derivations", a[J_DERIVATIONS], loc) ||
        !set(ctx, join, "modelTransforms", a[J_MODEL_TRANSFORMS], loc))
        return api_err(ctx);
    return join;
#undef ALOC
}

/* ---- the module ----------------------------------------------------------------------- */

static const builtin join_builtins[] = {
    {"JoinPart", j_join_part, NULL},
    {"ExternalSource", j_external_source, NULL},
    {"ContextualSource", j_contextual_source, NULL},
    API_STRUCT("ExternalPart", &chronon_ExternalPart_desc, {"source", P_REQUIRED, "source"},
               {"key_mapping", P_OPTIONAL, "keyMapping"}, {"prefix", P_OPTIONAL, "prefix"}),
    {"LabelPart", j_label_part, NULL},
    {"Derivation", group_by_derivation, NULL},
    API_STRUCT("BootstrapPart", &chronon_BootstrapPart_desc, {"table", P_REQUIRED, "table"},
               {"key_columns", P_OPTIONAL, "keyColumns"}, {"query", P_OPTIONAL, "query"}),
    {"validate_left_source", j_validate_left_source, NULL},
    {"Join", j_join, NULL},
};

bool api_join_init(eval_ctx *ctx, module *m)
{
    src_loc none = {0};
    if (!api_def_all(ctx, m, join_builtins, NPARAMS(join_builtins)) ||
        !api_set_attr(ctx, m, "DataType", make_datatype_holder(ctx)))
        return false;
    /* names join.py imports: `api`, `utils`, `validate_group_by`; FieldsType is a typing alias */
    if (!api_export_module(ctx, m, "api", "ai.chronon.api.ttypes") ||
        !api_export_module(ctx, m, "utils", "ai.chronon.utils") ||
        !api_set_attr(ctx, m, "FieldsType", v_none(ctx->arena, none)))
        return false;
    module *gb = api_module(ctx, "ai.chronon.group_by");
    value *vgb = gb ? dict_get_str(gb->attrs, "validate_group_by") : NULL;
    return !vgb || api_set_attr(ctx, m, "validate_group_by", vgb);
}
