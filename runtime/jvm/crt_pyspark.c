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
 * A Dataset result is collected like crt_sql's; anything else becomes a one-cell
 * table "result" holding its toString(). */
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
                 "class " PYSPARK_UTILS_DOTTED " not found on the classpath; put Chronon's spark_uber jar on it "
                 "with --jars or CHRONON_JARS");
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
        (*env)->Throw(env, t);
        crt_check_exception(env, err, PYSPARK_UTILS_DOTTED);
        return err->status;
    }
    if (!result)
        return one_cell(out, NULL, err);
    jclass dsc = (*env)->FindClass(env, "org/apache/spark/sql/Dataset");
    if (dsc && (*env)->IsInstanceOf(env, result, dsc))
        return crt_collect(s, env, result, limit, out, err);
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
