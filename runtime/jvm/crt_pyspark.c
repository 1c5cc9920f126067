/* chronon_runtime: static methods of ai.chronon.spark.PySparkUtils, found by
 * name through reflection and called with converted arguments.
 *
 * An argument converts to the parameter type the method declares:
 *   String            <- string (NULL: null), int (decimal text), bool ("true"/"false")
 *   int/long/short, their boxes, double <- int, or a string holding a number
 *   boolean/Boolean   <- bool
 *   scala.Option      <- string (NULL: None), int, bool: Some(value)
 *   SparkSession      <- session
 *   a class with a public constructor taking a SparkSession (TableUtils), or an
 *   interface BaseX whose same-package class X has one (BaseTableUtils) <- session
 *   a class PySparkUtils can parse with parse<SimpleName>(String) (GroupBy, Join,
 *   StagingQuery...) <- string: the config's JSON
 * A Dataset result is collected like crt_sql's, plus the JSON text of its
 * array, map and struct cells (Spark's to_json, so values come from the JVM as
 * they are: see crt_table.json); anything else becomes a one-cell table
 * "result" holding its toString().
 *
 * Also here: log captures (crt_log_capture_*), a log4j2 logger configuration
 * added for the time of a call with an appender writing into a StringWriter. */
#include <stdlib.h>
#include <string.h>

#include "crt_internal.h"

#define PYSPARK_UTILS "ai/chronon/spark/PySparkUtils"
#define PYSPARK_UTILS_DOTTED "ai.chronon.spark.PySparkUtils"

/* obj.name(args) returning an object, through the runtime class; NULL with an
 * exception pending (or none, for a null result). */
static jobject callo(JNIEnv *env, jobject obj, const char *name, const char *sig, ...)
{
    jclass c = (*env)->GetObjectClass(env, obj);
    jmethodID m = (*env)->GetMethodID(env, c, name, sig);
    (*env)->DeleteLocalRef(env, c);
    if (!m)
        return NULL;
    va_list ap;
    va_start(ap, sig);
    jobject r = (*env)->CallObjectMethodV(env, obj, m, ap);
    va_end(ap);
    return r;
}

static jobject callso(JNIEnv *env, const char *cls, const char *name, const char *sig, ...)
{
    jclass c = (*env)->FindClass(env, cls);
    if (!c)
        return NULL;
    jmethodID m = (*env)->GetStaticMethodID(env, c, name, sig);
    if (!m) {
        (*env)->DeleteLocalRef(env, c);
        return NULL;
    }
    va_list ap;
    va_start(ap, sig);
    jobject r = (*env)->CallStaticObjectMethodV(env, c, m, ap);
    va_end(ap);
    (*env)->DeleteLocalRef(env, c);
    return r;
}

static char *class_get_name(JNIEnv *env, jclass cls)
{
    jstring s = callo(env, cls, "getName", "()Ljava/lang/String;");
    char *out = s ? crt_cstr(env, s) : NULL;
    if (s)
        (*env)->DeleteLocalRef(env, s);
    (*env)->ExceptionClear(env);
    return out;
}

static bool parse_ll(const char *s, long long *v)
{
    if (!s || !*s)
        return false;
    char *end;
    *v = strtoll(s, &end, 10);
    return *end == '\0';
}

static jobject box(JNIEnv *env, const char *type, long long v)
{
    if (strcmp(type, "long") == 0 || strcmp(type, "java.lang.Long") == 0)
        return callso(env, "java/lang/Long", "valueOf", "(J)Ljava/lang/Long;", (jlong)v);
    if (strcmp(type, "short") == 0 || strcmp(type, "java.lang.Short") == 0)
        return callso(env, "java/lang/Short", "valueOf", "(S)Ljava/lang/Short;", (jshort)v);
    if (strcmp(type, "double") == 0 || strcmp(type, "java.lang.Double") == 0)
        return callso(env, "java/lang/Double", "valueOf", "(D)Ljava/lang/Double;", (jdouble)v);
    return callso(env, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", (jint)v);
}

static bool is_integral(const char *type)
{
    static const char *const t[] = {"int", "java.lang.Integer", "long", "java.lang.Long", "short", "java.lang.Short",
                                    "double", "java.lang.Double"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(type, t[i]) == 0)
            return true;
    return false;
}

/* new C(spark) for the parameter class ptype (named type), or, when ptype is
 * an interface like Chronon's BaseTableUtils, for the class of the same package
 * named without "Base" (TableUtils) if it implements ptype. */
static jobject from_session(JNIEnv *env, crt_session *s, const char *type, jclass ptype, bool *ok)
{
    const char *sig = "(Lorg/apache/spark/sql/SparkSession;)V";
    jmethodID ctor = (*env)->GetMethodID(env, ptype, "<init>", sig);
    if (ctor) {
        jclass mods_cls = (*env)->FindClass(env, "java/lang/Class");
        jmethodID gm = mods_cls ? (*env)->GetMethodID(env, mods_cls, "getModifiers", "()I") : NULL;
        jint mods = gm ? (*env)->CallIntMethod(env, ptype, gm) : 0;
        (*env)->ExceptionClear(env);
        if (!(mods & 0x0400)) /* not abstract */
            return (*env)->NewObject(env, ptype, ctor, s->spark);
    }
    (*env)->ExceptionClear(env);
    const char *dot = strrchr(type, '.');
    const char *simple = dot ? dot + 1 : type;
    jobject r = NULL;
    *ok = false;
    if (strncmp(simple, "Base", 4) == 0 && simple[4]) {
        crt_str impl = {0};
        if (crt_str_add(&impl, type, (size_t)(simple - type)) && crt_str_adds(&impl, simple + 4)) {
            for (char *p = impl.p; *p; p++)
                if (*p == '.')
                    *p = '/';
            jclass ic = (*env)->FindClass(env, impl.p);
            jmethodID ictor = ic ? (*env)->GetMethodID(env, ic, "<init>", sig) : NULL;
            if (ictor && (*env)->IsAssignableFrom(env, ic, ptype)) {
                r = (*env)->NewObject(env, ic, ictor, s->spark);
                *ok = true;
            }
            (*env)->ExceptionClear(env);
        }
        crt_str_free(&impl);
    }
    return r;
}

/* The argument as a Java object for a parameter of class ptype; NULL and
 * *ok = false when it does not convert. */
static jobject convert(JNIEnv *env, crt_session *s, jclass utils, jclass ptype, const crt_arg *a, bool *ok)
{
    *ok = true;
    char *type = class_get_name(env, ptype);
    jobject r = NULL;
    if (!type) {
        *ok = false;
        return NULL;
    }
    long long n;
    if (strcmp(type, "java.lang.String") == 0 || strcmp(type, "java.lang.Object") == 0) {
        if (a->kind == CRT_ARG_STRING)
            r = a->s ? crt_jstr(env, a->s) : NULL;
        else if (a->kind == CRT_ARG_INT) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", a->i);
            r = crt_jstr(env, buf);
        } else if (a->kind == CRT_ARG_BOOL)
            r = crt_jstr(env, a->b ? "true" : "false");
        else
            *ok = false;
    } else if (is_integral(type)) {
        if (a->kind == CRT_ARG_INT)
            r = box(env, type, a->i);
        else if (a->kind == CRT_ARG_STRING && parse_ll(a->s, &n))
            r = box(env, type, n);
        else
            *ok = false;
    } else if (strcmp(type, "boolean") == 0 || strcmp(type, "java.lang.Boolean") == 0) {
        if (a->kind == CRT_ARG_BOOL)
            r = callso(env, "java/lang/Boolean", "valueOf", "(Z)Ljava/lang/Boolean;", (jboolean)a->b);
        else
            *ok = false;
    } else if (strcmp(type, "scala.Option") == 0) {
        jobject v = NULL;
        if (a->kind == CRT_ARG_STRING)
            v = a->s ? crt_jstr(env, a->s) : NULL;
        else if (a->kind == CRT_ARG_INT)
            v = box(env, "int", a->i);
        else if (a->kind == CRT_ARG_BOOL)
            v = callso(env, "java/lang/Boolean", "valueOf", "(Z)Ljava/lang/Boolean;", (jboolean)a->b);
        else
            *ok = false;
        if (*ok) /* Option.apply(null) is None */
            r = callso(env, "scala/Option", "apply", "(Ljava/lang/Object;)Lscala/Option;", v);
    } else if (a->kind == CRT_ARG_SESSION) {
        jclass ssc = (*env)->GetObjectClass(env, s->spark);
        if ((*env)->IsAssignableFrom(env, ssc, ptype))
            r = (*env)->NewLocalRef(env, s->spark);
        else
            r = from_session(env, s, type, ptype, ok);
        (*env)->DeleteLocalRef(env, ssc);
    } else if (a->kind == CRT_ARG_STRING && a->s) {
        /* PySparkUtils.parse<SimpleName>(String json), e.g. parseGroupBy */
        const char *dot = strrchr(type, '.');
        const char *simple = dot ? dot + 1 : type;
        crt_str nm = {0};
        if (crt_str_addf(&nm, "parse%s", simple)) {
            crt_str sig = {0};
            char *slashed = crt_strdup(type);
            for (char *p = slashed; p && *p; p++)
                if (*p == '.')
                    *p = '/';
            if (slashed && crt_str_addf(&sig, "(Ljava/lang/String;)L%s;", slashed)) {
                jmethodID m = (*env)->GetStaticMethodID(env, utils, nm.p, sig.p);
                if (m) {
                    jstring js = crt_jstr(env, a->s);
                    if (js)
                        r = (*env)->CallStaticObjectMethod(env, utils, m, js);
                } else {
                    (*env)->ExceptionClear(env);
                    *ok = false;
                }
            } else {
                *ok = false;
            }
            free(slashed);
            crt_str_free(&sig);
        } else {
            *ok = false;
        }
        crt_str_free(&nm);
    } else {
        *ok = false;
    }
    free(type);
    return r;
}

static const char *kind_name(crt_arg_kind k)
{
    switch (k) {
    case CRT_ARG_STRING: return "string";
    case CRT_ARG_INT: return "int";
    case CRT_ARG_BOOL: return "bool";
    case CRT_ARG_SESSION: return "session";
    }
    return "?";
}

/* ---- rows and their JSON ------------------------------------------------------------ */

static bool json_type(const char *t)
{
    return strncmp(t, "array<", 6) == 0 || strncmp(t, "map<", 4) == 0 || strncmp(t, "struct<", 7) == 0;
}

/* The simpleString of each column's type of df (malloc'd array of ncols
 * malloc'd strings); NULL with *ncols = 0 on any failure (no exception left). */
static char **column_types(JNIEnv *env, jobject df, size_t *ncols)
{
    *ncols = 0;
    jobject schema = callo(env, df, "schema", "()Lorg/apache/spark/sql/types/StructType;");
    jobjectArray fields = schema ? callo(env, schema, "fields", "()[Lorg/apache/spark/sql/types/StructField;") : NULL;
    if ((*env)->ExceptionCheck(env) || !fields) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    size_t n = (size_t)(*env)->GetArrayLength(env, fields);
    char **types = calloc(n ? n : 1, sizeof *types);
    bool ok = types != NULL;
    for (size_t c = 0; ok && c < n; c++) {
        jobject f = (*env)->GetObjectArrayElement(env, fields, (jsize)c);
        jobject dt = f ? callo(env, f, "dataType", "()Lorg/apache/spark/sql/types/DataType;") : NULL;
        jstring ts = dt ? callo(env, dt, "simpleString", "()Ljava/lang/String;") : NULL;
        types[c] = ts ? crt_cstr(env, ts) : NULL;
        ok = !(*env)->ExceptionCheck(env) && types[c];
        crt_unref(env, ts);
        crt_unref(env, dt);
        crt_unref(env, f);
    }
    (*env)->ExceptionClear(env);
    if (!ok) {
        for (size_t c = 0; types && c < n; c++)
            free(types[c]);
        free(types);
        return NULL;
    }
    *ncols = n;
    return types;
}

/* df with each array/map/struct column selected once more, last, as
 * to_json(column, map('ignoreNullFields', 'false')): every column renamed
 * _crt_vN first (a result may repeat a name). NULL when to_json refuses a
 * type (no exception left). */
static jobject with_json_columns(JNIEnv *env, jobject df, size_t ncols, const size_t *jcols, size_t njson)
{
    jclass strc = (*env)->FindClass(env, "java/lang/String");
    jobjectArray names = strc ? (*env)->NewObjectArray(env, (jsize)ncols, strc, NULL) : NULL;
    jobjectArray exprs = names ? (*env)->NewObjectArray(env, (jsize)(ncols + njson), strc, NULL) : NULL;
    bool ok = exprs != NULL;
    for (size_t i = 0; ok && i < ncols + njson; i++) {
        char e[128];
        if (i < ncols)
            snprintf(e, sizeof e, "_crt_v%zu", i);
        else
            snprintf(e, sizeof e, "to_json(_crt_v%zu, map('ignoreNullFields', 'false')) AS _crt_j%zu", jcols[i - ncols],
                     i - ncols);
        jstring js = (*env)->NewStringUTF(env, e);
        ok = js != NULL;
        if (ok && i < ncols)
            (*env)->SetObjectArrayElement(env, names, (jsize)i, js);
        if (ok)
            (*env)->SetObjectArrayElement(env, exprs, (jsize)i, js);
        crt_unref(env, js);
    }
    jobject d1 = ok ? callo(env, df, "toDF", "([Ljava/lang/String;)Lorg/apache/spark/sql/Dataset;", names) : NULL;
    jobject d2 = d1 ? callo(env, d1, "selectExpr", "([Ljava/lang/String;)Lorg/apache/spark/sql/Dataset;", exprs) : NULL;
    if ((*env)->ExceptionCheck(env)) { /* e.g. AnalysisException: to_json cannot write an interval */
        (*env)->ExceptionClear(env);
        d2 = NULL;
    }
    return d2;
}

crt_status crt_collect_with_json(crt_session *s, JNIEnv *env, jobject df, size_t limit, crt_table *out,
                                 crt_error *err)
{
    memset(out, 0, sizeof *out);
    if ((*env)->PushLocalFrame(env, 64) != 0)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
    size_t ncols = 0, njson = 0;
    char **types = column_types(env, df, &ncols);
    size_t *jcols = calloc(ncols ? ncols : 1, sizeof *jcols);
    for (size_t c = 0; types && jcols && c < ncols; c++)
        if (json_type(types[c]))
            jcols[njson++] = c;
    for (size_t c = 0; types && c < ncols; c++)
        free(types[c]);
    free(types);
    jobject d2 = jcols && njson ? with_json_columns(env, df, ncols, jcols, njson) : NULL;
    jobjectArray names = d2 ? callo(env, df, "columns", "()[Ljava/lang/String;") : NULL;
    (*env)->ExceptionClear(env);
    if (!names) /* nothing to add, or Spark cannot: the rows as they are */
        d2 = NULL;
    crt_status st = crt_collect(s, env, d2 ? d2 : df, limit, out, err);
    if (st == CRT_OK && d2) {
        bool ok = out->ncols == ncols + njson && (out->json = calloc(out->nrows ? out->nrows : 1, sizeof *out->json));
        /* the original names back; the JSON columns move into json */
        for (size_t c = 0; ok && c < ncols; c++) {
            jstring jn = (*env)->GetObjectArrayElement(env, names, (jsize)c);
            char *name = jn ? crt_cstr(env, jn) : NULL;
            crt_unref(env, jn);
            ok = name != NULL;
            if (ok) {
                free(out->columns[c]);
                out->columns[c] = name;
            }
        }
        for (size_t r = 0; ok && r < out->nrows; r++) {
            ok = (out->json[r] = calloc(ncols ? ncols : 1, sizeof **out->json)) != NULL;
            for (size_t k = 0; ok && k < njson; k++) {
                out->json[r][jcols[k]] = out->rows[r][ncols + k];
                out->rows[r][ncols + k] = NULL;
            }
        }
        if (ok) {
            for (size_t k = 0; k < njson; k++) {
                free(out->columns[ncols + k]);
                free(out->types[ncols + k]);
                out->columns[ncols + k] = out->types[ncols + k] = NULL;
            }
            out->ncols = ncols;
        } else {
            crt_table_free(out);
            st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
        }
    }
    free(jcols);
    (*env)->PopLocalFrame(env, NULL);
    return st;
}

/* Where t was thrown, "Class.method(File.scala:12)", into where: the first
 * frame of Chronon's code (ai.chronon.*) on its stack, else the top frame.
 * A failure inside Spark or Scala's library (None.get) is then still placed
 * in the Chronon step that caused it. */
static void chronon_frame(JNIEnv *env, jthrowable t, char *where, size_t cap)
{
    where[0] = '\0';
    jobjectArray frames = callo(env, t, "getStackTrace", "()[Ljava/lang/StackTraceElement;");
    jsize n = !(*env)->ExceptionCheck(env) && frames ? (*env)->GetArrayLength(env, frames) : 0;
    for (jsize i = 0; i < n && i < 256; i++) {
        jobject f = (*env)->GetObjectArrayElement(env, frames, i);
        char *text = f ? crt_to_string(env, f) : NULL;
        crt_unref(env, f);
        if (!text)
            break;
        /* Java 9+ may put "loader/module@version/" in front: keep the frame */
        char *paren = strchr(text, '(');
        char *start = text;
        for (char *p = text; paren && p < paren; p++)
            if (*p == '/')
                start = p + 1;
        bool chronon = strncmp(start, "ai.chronon.", 11) == 0;
        if (i == 0 || chronon)
            crt_copy_trunc(where, cap, start);
        free(text);
        if (chronon)
            break;
    }
    (*env)->ExceptionClear(env);
    crt_unref(env, frames);
}

/* A one-cell table "result" holding v (NULL for null). */
static crt_status one_cell(crt_table *out, char *v, crt_error *err)
{
    memset(out, 0, sizeof *out);
    out->columns = calloc(1, sizeof *out->columns);
    out->types = calloc(1, sizeof *out->types);
    out->rows = calloc(1, sizeof *out->rows);
    char **row = calloc(1, sizeof *row);
    if (!out->columns || !out->types || !out->rows || !row || !(out->columns[0] = crt_strdup("result")) ||
        !(out->types[0] = crt_strdup("string"))) {
        free(row);
        free(v);
        out->ncols = out->columns ? 1 : 0;
        crt_table_free(out);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    }
    out->ncols = 1;
    out->nrows = 1;
    row[0] = v;
    out->rows[0] = row;
    return CRT_OK;
}

static crt_status call(crt_session *s, JNIEnv *env, const char *method, const crt_arg *args, size_t nargs,
                       size_t limit, crt_table *out, crt_error *err)
{
    jclass utils = (*env)->FindClass(env, PYSPARK_UTILS);
    if (!utils) {
        jthrowable t = (*env)->ExceptionOccurred(env);
        (*env)->ExceptionClear(env);
        char *msg = NULL;
        if (t) {
            jstring js = callo(env, t, "getMessage", "()Ljava/lang/String;");
            (*env)->ExceptionClear(env);
            msg = js ? crt_cstr(env, js) : NULL;
        }
        bool itself = !msg || strcmp(msg, PYSPARK_UTILS) == 0 || strcmp(msg, PYSPARK_UTILS_DOTTED) == 0;
        free(msg);
        if (!itself && t) { /* it is there, but something it needs is not: report that */
            (*env)->Throw(env, t);
            crt_check_exception(env, err, "loading " PYSPARK_UTILS_DOTTED);
            return err->status;
        }
        crt_fail(err, CRT_ERR_CLASSPATH,
                 "class " PYSPARK_UTILS_DOTTED " not found on the classpath (jars given: %s); put Chronon's "
                 "spark_uber jar in the jar cache with `make chronon-jar` (runtime/jvm/fetch_chronon_jar.sh) or "
                 "pass it with --jars or CHRONON_JARS",
                 s->user_jars && *s->user_jars ? s->user_jars : "none");
        crt_copy_trunc(err->java_class, sizeof err->java_class, PYSPARK_UTILS_DOTTED);
        return CRT_ERR_CLASSPATH;
    }

    jobjectArray methods = callo(env, utils, "getMethods", "()[Ljava/lang/reflect/Method;");
    if (crt_check_exception(env, err, "PySparkUtils.getMethods"))
        return err->status;
    jclass modc = (*env)->FindClass(env, "java/lang/reflect/Modifier");
    jmethodID is_static = modc ? (*env)->GetStaticMethodID(env, modc, "isStatic", "(I)Z") : NULL;
    jclass objc = (*env)->FindClass(env, "java/lang/Object");
    if (!is_static || !objc || !methods) {
        (*env)->ExceptionClear(env);
        return crt_fail(err, CRT_ERR_JAVA, "reflection on " PYSPARK_UTILS_DOTTED " failed");
    }
    jsize nm = (*env)->GetArrayLength(env, methods);
    size_t same_name = 0;
    jobject chosen = NULL;
    jobjectArray argv = NULL;
    for (jsize i = 0; i < nm && !chosen; i++) {
        /* one local frame per method looked at; the chosen one leaves it as global refs */
        if ((*env)->PushLocalFrame(env, 32) != 0)
            return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
        jobject m = (*env)->GetObjectArrayElement(env, methods, i);
        jstring jn = callo(env, m, "getName", "()Ljava/lang/String;");
        char *name = jn ? crt_cstr(env, jn) : NULL;
        (*env)->ExceptionClear(env);
        bool match = name && strcmp(name, method) == 0;
        free(name);
        jobjectArray ptypes = NULL;
        if (match) {
            jclass mc = (*env)->GetObjectClass(env, m);
            jmethodID gm = (*env)->GetMethodID(env, mc, "getModifiers", "()I");
            jint mods = gm ? (*env)->CallIntMethod(env, m, gm) : 0;
            (*env)->ExceptionClear(env);
            match = (*env)->CallStaticBooleanMethod(env, modc, is_static, mods);
            ptypes = match ? callo(env, m, "getParameterTypes", "()[Ljava/lang/Class;") : NULL;
            (*env)->ExceptionClear(env);
            match = ptypes && (size_t)(*env)->GetArrayLength(env, ptypes) == nargs;
        }
        if (match) {
            same_name++;
            jobjectArray av = (*env)->NewObjectArray(env, (jsize)nargs, objc, NULL);
            bool ok = av != NULL;
            for (size_t k = 0; ok && k < nargs; k++) {
                jclass pt = (*env)->GetObjectArrayElement(env, ptypes, (jsize)k);
                jobject v = convert(env, s, utils, pt, &args[k], &ok);
                if ((*env)->ExceptionCheck(env)) { /* e.g. parseGroupBy on bad JSON */
                    crt_check_exception(env, err, "converting an argument");
                    (*env)->PopLocalFrame(env, NULL);
                    return err->status;
                }
                if (ok && v)
                    (*env)->SetObjectArrayElement(env, av, (jsize)k, v);
            }
            if (ok) {
                chosen = (*env)->NewGlobalRef(env, m);
                argv = (*env)->NewGlobalRef(env, av);
            }
        }
        (*env)->PopLocalFrame(env, NULL);
    }
    if (chosen) { /* back to local refs, freed with the caller's frame */
        jobject m = (*env)->NewLocalRef(env, chosen), a = (*env)->NewLocalRef(env, argv);
        (*env)->DeleteGlobalRef(env, chosen);
        (*env)->DeleteGlobalRef(env, argv);
        chosen = m;
        argv = a;
    }
    if (!chosen) {
        crt_str kinds = {0};
        for (size_t k = 0; k < nargs; k++)
            crt_str_addf(&kinds, "%s%s", k ? ", " : "", kind_name(args[k].kind));
        crt_fail(err, CRT_ERR_USAGE, "%s." "%s(%s): %s", PYSPARK_UTILS_DOTTED, method, kinds.p ? kinds.p : "",
                 same_name ? "no overload takes these arguments" : "no public static method of that name and arity");
        crt_str_free(&kinds);
        return CRT_ERR_USAGE;
    }

    jobject result = callo(env, chosen, "invoke", "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", NULL, argv);
    jthrowable t = (*env)->ExceptionOccurred(env);
    if (t) {
        /* InvocationTargetException: report what the method threw */
        (*env)->ExceptionClear(env);
        char *cls = crt_class_name(env, t);
        if (cls && strcmp(cls, "java.lang.reflect.InvocationTargetException") == 0) {
            jthrowable inner = callo(env, t, "getCause", "()Ljava/lang/Throwable;");
            (*env)->ExceptionClear(env);
            if (inner)
                t = inner;
        }
        free(cls);
        char where[sizeof err->java_where];
        chronon_frame(env, t, where, sizeof where);
        (*env)->Throw(env, t);
        crt_check_exception(env, err, PYSPARK_UTILS_DOTTED);
        memcpy(err->java_where, where, sizeof where);
        return err->status;
    }
    if (!result)
        return one_cell(out, NULL, err);
    jclass dsc = (*env)->FindClass(env, "org/apache/spark/sql/Dataset");
    if (dsc && (*env)->IsInstanceOf(env, result, dsc))
        return crt_collect_with_json(s, env, result, limit, out, err);
    (*env)->ExceptionClear(env);
    char *v = crt_to_string(env, result);
    if (!v)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    return one_cell(out, v, err);
}

crt_status crt_call_pyspark_utils(crt_session *s, const char *method, const crt_arg *args, size_t nargs, size_t limit,
                                  crt_table *out, crt_error *err)
{
    crt_error_clear(err);
    if (err)
        err->java_where[0] = '\0';
    crt_table scratch;
    if (!out)
        out = &scratch;
    memset(out, 0, sizeof *out);
    if (!s || !method || (nargs && !args))
        return crt_fail(err, CRT_ERR_USAGE, "crt_call_pyspark_utils: no session, method or arguments");
    if (atomic_load(&s->interrupted))
        return crt_interrupted_or(s, CRT_ERR_INTERRUPTED, err);
    JNIEnv *env = crt_env();
    if (!env)
        return crt_fail(err, CRT_ERR_NO_JVM, "cannot attach this thread to the JVM");
    if ((*env)->PushLocalFrame(env, 256) != 0)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
    crt_status st = call(s, env, method, args, nargs, limit, out, err);
    (*env)->PopLocalFrame(env, NULL);
    if (out == &scratch)
        crt_table_free(&scratch);
    return crt_interrupted_or(s, st, err);
}

/* ---- log captures ------------------------------------------------------------------- */

#define LOG4J_CORE "org/apache/logging/log4j/core/"
#define LOG4J_HINT "log4j2 (log4j-api and log4j-core, part of Spark's jars) is needed to capture logs"
/* One record: RS level US logger US epoch-ms US message. The separators are
 * control characters no log message of Chronon's or Spark's holds. */
#define CAPTURE_PATTERN "\x1e%p\x1f%c\x1f%d{UNIX_MILLIS}\x1f%m"

struct crt_log_capture {
    char *logger;
    jobject ctx, config, appender, writer; /* global refs */
};

void crt_log_free(crt_log *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->n; i++) {
        free(log->records[i].level);
        free(log->records[i].logger);
        free(log->records[i].message);
    }
    free(log->records);
    log->records = NULL;
    log->n = 0;
}

static void capture_free(JNIEnv *env, crt_log_capture *c)
{
    if (!c)
        return;
    jobject refs[] = {c->ctx, c->config, c->appender, c->writer};
    for (size_t i = 0; env && i < sizeof refs / sizeof refs[0]; i++)
        if (refs[i])
            (*env)->DeleteGlobalRef(env, refs[i]);
    free(c->logger);
    free(c);
}

static bool callv(JNIEnv *env, jobject obj, const char *name, const char *sig, ...)
{
    jclass c = (*env)->GetObjectClass(env, obj);
    jmethodID m = (*env)->GetMethodID(env, c, name, sig);
    (*env)->DeleteLocalRef(env, c);
    if (!m)
        return false;
    va_list ap;
    va_start(ap, sig);
    (*env)->CallVoidMethodV(env, obj, m, ap);
    va_end(ap);
    return !(*env)->ExceptionCheck(env);
}

static jint int_level(JNIEnv *env, jobject level)
{
    jclass c = (*env)->GetObjectClass(env, level);
    jmethodID m = (*env)->GetMethodID(env, c, "intLevel", "()I");
    (*env)->DeleteLocalRef(env, c);
    return m ? (*env)->CallIntMethod(env, level, m) : 0;
}

/* Fail with what was being done, the pending exception's class and message if any. */
static crt_status capture_fail(JNIEnv *env, crt_error *err, const char *what)
{
    if (crt_check_exception(env, err, what))
        return err ? err->status : CRT_ERR_JAVA;
    return crt_fail(err, CRT_ERR_JAVA, "log capture: %s failed", what);
}

static crt_status capture_start(JNIEnv *env, const char *logger, const char *level, crt_log_capture *c,
                                crt_error *err)
{
    char up[16];
    size_t n = strlen(level);
    if (n == 0 || n >= sizeof up)
        return crt_fail(err, CRT_ERR_USAGE, "log capture: '%s' is not a log level", level);
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)(level[i] >= 'a' && level[i] <= 'z' ? level[i] - 'a' + 'A' : level[i]);

    if (!crt_find_class(env, "org/apache/logging/log4j/LogManager", LOG4J_HINT, err))
        return err->status;
    jclass core_ctx = crt_find_class(env, LOG4J_CORE "LoggerContext", LOG4J_HINT, err);
    if (!core_ctx)
        return err->status;
    /* The context of the application class loader, which loaded Chronon's and
     * Spark's classes: log4j2 keeps one per class loader, and a call from JNI
     * has no calling class to pick it by. */
    jobject loader = callso(env, "java/lang/ClassLoader", "getSystemClassLoader", "()Ljava/lang/ClassLoader;");
    jobject ctx = loader ? callso(env, "org/apache/logging/log4j/LogManager", "getContext",
                                  "(Ljava/lang/ClassLoader;Z)Lorg/apache/logging/log4j/spi/LoggerContext;", loader,
                                  JNI_FALSE)
                         : NULL;
    if ((*env)->ExceptionCheck(env) || !ctx || !(*env)->IsInstanceOf(env, ctx, core_ctx)) {
        (*env)->ExceptionClear(env);
        return crt_fail(err, CRT_ERR_CLASSPATH, "log capture: the logging in use is not log4j2's core");
    }
    jobject config = callo(env, ctx, "getConfiguration", "()L" LOG4J_CORE "config/Configuration;");
    jstring jname = config ? crt_jstr(env, logger) : NULL;
    jobject parent = jname ? callo(env, config, "getLoggerConfig",
                                   "(Ljava/lang/String;)L" LOG4J_CORE "config/LoggerConfig;", jname)
                           : NULL;
    jstring pname = parent ? callo(env, parent, "getName", "()Ljava/lang/String;") : NULL;
    char *pn = pname ? crt_cstr(env, pname) : NULL;
    if ((*env)->ExceptionCheck(env) || !pn) {
        free(pn);
        return capture_fail(env, err, "reading the log4j2 configuration");
    }
    bool own = strcmp(pn, logger) == 0;
    free(pn);
    if (own)
        return crt_fail(err, CRT_ERR_USAGE, "log capture: logger %s has a configuration of its own (a capture running?)",
                        logger);
    jstring jup = crt_jstr(env, up);
    jobject want = jup ? callso(env, "org/apache/logging/log4j/Level", "getLevel",
                                "(Ljava/lang/String;)Lorg/apache/logging/log4j/Level;", jup)
                       : NULL;
    if ((*env)->ExceptionCheck(env) || !want) {
        (*env)->ExceptionClear(env);
        return crt_fail(err, CRT_ERR_USAGE, "log capture: '%s' is not a log level", level);
    }
    jobject before = callo(env, parent, "getLevel", "()Lorg/apache/logging/log4j/Level;");
    if (!before)
        return capture_fail(env, err, "reading the log level");
    /* a larger intLevel is more verbose (INFO 400 > WARN 300) */
    jobject gate = int_level(env, want) >= int_level(env, before) ? want : before;

    jclass swc = (*env)->FindClass(env, "java/io/StringWriter");
    jmethodID swinit = swc ? (*env)->GetMethodID(env, swc, "<init>", "()V") : NULL;
    jobject writer = swinit ? (*env)->NewObject(env, swc, swinit) : NULL;
    const char *bsig = "L" LOG4J_CORE "layout/PatternLayout$Builder;";
    char sig[256];
    jobject b = writer ? callso(env, LOG4J_CORE "layout/PatternLayout", "newBuilder", "()L" LOG4J_CORE
                                "layout/PatternLayout$Builder;")
                       : NULL;
    jstring pattern = b ? crt_jstr(env, CAPTURE_PATTERN) : NULL;
    snprintf(sig, sizeof sig, "(Ljava/lang/String;)%s", bsig);
    b = pattern ? callo(env, b, "withPattern", sig, pattern) : NULL;
    snprintf(sig, sizeof sig, "(L" LOG4J_CORE "config/Configuration;)%s", bsig);
    b = b ? callo(env, b, "withConfiguration", sig, config) : NULL;
    snprintf(sig, sizeof sig, "(Z)%s", bsig);
    b = b ? callo(env, b, "withAlwaysWriteExceptions", sig, JNI_FALSE) : NULL; /* stack traces stay in the file */
    jobject layout = b ? callo(env, b, "build", "()L" LOG4J_CORE "layout/PatternLayout;") : NULL;
    jstring aname = layout ? crt_jstr(env, "chronon_runtime-capture") : NULL;
    jobject app = aname ? callso(env, LOG4J_CORE "appender/WriterAppender", "createAppender",
                                 "(L" LOG4J_CORE "StringLayout;L" LOG4J_CORE "Filter;Ljava/io/Writer;Ljava/lang/String;ZZ)L" LOG4J_CORE
                                 "appender/WriterAppender;",
                                 layout, NULL, writer, aname, JNI_FALSE, JNI_TRUE)
                        : NULL;
    if (!app || !callv(env, app, "start", "()V"))
        return capture_fail(env, err, "making the capture's appender");

    jclass lcc = (*env)->FindClass(env, LOG4J_CORE "config/LoggerConfig");
    jmethodID lcinit = lcc ? (*env)->GetMethodID(env, lcc, "<init>", "(Ljava/lang/String;Lorg/apache/logging/log4j/Level;Z)V")
                           : NULL;
    jobject lc = lcinit ? (*env)->NewObject(env, lcc, lcinit, jname, gate, JNI_FALSE) : NULL;
    if (!lc)
        return capture_fail(env, err, "making the logger configuration");
    const char *addsig = "(L" LOG4J_CORE "Appender;Lorg/apache/logging/log4j/Level;L" LOG4J_CORE "Filter;)V";
    /* The appenders these records reached before (the nearest configuration's
     * and, while it is additive, its parents'), at the level that let them through. */
    jobject p = parent;
    for (int depth = 0; p && depth < 64; depth++) {
        jobject map = callo(env, p, "getAppenders", "()Ljava/util/Map;");
        jobject vals = map ? callo(env, map, "values", "()Ljava/util/Collection;") : NULL;
        jobjectArray arr = vals ? callo(env, vals, "toArray", "()[Ljava/lang/Object;") : NULL;
        if ((*env)->ExceptionCheck(env) || !arr)
            return capture_fail(env, err, "reading the log appenders");
        for (jsize i = 0; i < (*env)->GetArrayLength(env, arr); i++) {
            jobject a = (*env)->GetObjectArrayElement(env, arr, i);
            if (!callv(env, lc, "addAppender", addsig, a, before, NULL))
                return capture_fail(env, err, "adding an appender");
            crt_unref(env, a);
        }
        jclass pc = (*env)->GetObjectClass(env, p);
        jmethodID additive = (*env)->GetMethodID(env, pc, "isAdditive", "()Z");
        crt_unref(env, pc);
        jobject next = additive && (*env)->CallBooleanMethod(env, p, additive)
                           ? callo(env, p, "getParent", "()L" LOG4J_CORE "config/LoggerConfig;")
                           : NULL;
        (*env)->ExceptionClear(env);
        crt_unref(env, map);
        crt_unref(env, vals);
        crt_unref(env, arr);
        p = next;
    }
    if (!callv(env, lc, "addAppender", addsig, app, want, NULL) ||
        !callv(env, config, "addLogger", "(Ljava/lang/String;L" LOG4J_CORE "config/LoggerConfig;)V", jname, lc) ||
        !callv(env, ctx, "updateLoggers", "()V"))
        return capture_fail(env, err, "adding the logger configuration");

    c->ctx = (*env)->NewGlobalRef(env, ctx);
    c->config = (*env)->NewGlobalRef(env, config);
    c->appender = (*env)->NewGlobalRef(env, app);
    c->writer = (*env)->NewGlobalRef(env, writer);
    if (!c->ctx || !c->config || !c->appender || !c->writer)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI global refs)");
    return CRT_OK;
}

crt_status crt_log_capture_start(crt_session *s, const char *logger, const char *level, crt_log_capture **out,
                                 crt_error *err)
{
    crt_error_clear(err);
    if (out)
        *out = NULL;
    if (!s || !logger || !*logger || !level || !out)
        return crt_fail(err, CRT_ERR_USAGE, "crt_log_capture_start: no session, logger, level or result");
    JNIEnv *env = crt_env();
    if (!env)
        return crt_fail(err, CRT_ERR_NO_JVM, "cannot attach this thread to the JVM");
    crt_log_capture *c = calloc(1, sizeof *c);
    if (!c || !(c->logger = crt_strdup(logger))) {
        free(c);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    }
    if ((*env)->PushLocalFrame(env, 128) != 0) {
        capture_free(env, c);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
    }
    crt_status st = capture_start(env, logger, level, c, err);
    (*env)->PopLocalFrame(env, NULL);
    if (st != CRT_OK) {
        (*env)->ExceptionClear(env);
        capture_free(env, c);
        return st;
    }
    *out = c;
    return CRT_OK;
}

/* The records in text, as CAPTURE_PATTERN wrote them. */
static bool parse_records(const char *text, crt_log *log)
{
    const char *p = strchr(text, '\x1e');
    while (p) {
        const char *rec = p + 1, *end = strchr(rec, '\x1e');
        if (!end)
            end = rec + strlen(rec);
        const char *f[3];
        const char *q = rec;
        size_t k = 0;
        while (k < 3 && (q = memchr(q, '\x1f', (size_t)(end - q))) != NULL)
            f[k++] = q++;
        if (k == 3) {
            crt_log_record *grown = realloc(log->records, (log->n + 1) * sizeof *grown);
            if (!grown)
                return false;
            log->records = grown;
            crt_log_record *r = &log->records[log->n];
            memset(r, 0, sizeof *r);
            r->level = crt_strndup(rec, (size_t)(f[0] - rec));
            r->logger = crt_strndup(f[0] + 1, (size_t)(f[1] - f[0] - 1));
            r->time_ms = strtoll(f[1] + 1, NULL, 10);
            r->message = crt_strndup(f[2] + 1, (size_t)(end - f[2] - 1));
            log->n++;
            if (!r->level || !r->logger || !r->message)
                return false;
        }
        p = *end ? end : NULL;
    }
    return true;
}

crt_status crt_log_capture_stop(crt_log_capture *c, crt_log *log, crt_error *err)
{
    crt_error_clear(err);
    if (log)
        memset(log, 0, sizeof *log);
    if (!c)
        return CRT_OK;
    JNIEnv *env = crt_env();
    if (!env) {
        capture_free(NULL, c);
        return crt_fail(err, CRT_ERR_NO_JVM, "cannot attach this thread to the JVM");
    }
    if ((*env)->PushLocalFrame(env, 16) != 0) {
        capture_free(env, c);
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory (JNI local frame)");
    }
    crt_status st = CRT_OK;
    jstring jname = crt_jstr(env, c->logger);
    if (!jname || !callv(env, c->config, "removeLogger", "(Ljava/lang/String;)V", jname) ||
        !callv(env, c->ctx, "updateLoggers", "()V") || !callv(env, c->appender, "stop", "()V"))
        st = capture_fail(env, err, "removing the log capture");
    jstring text = callo(env, c->writer, "toString", "()Ljava/lang/String;");
    char *t = text && !(*env)->ExceptionCheck(env) ? crt_cstr(env, text) : NULL;
    (*env)->ExceptionClear(env);
    if (st == CRT_OK && !t)
        st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    if (st == CRT_OK && log && !parse_records(t, log)) {
        crt_log_free(log);
        st = crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    }
    free(t);
    (*env)->PopLocalFrame(env, NULL);
    capture_free(env, c);
    return st;
}
