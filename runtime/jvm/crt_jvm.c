/* chronon_runtime: the embedded JVM (dlopen'd libjvm) and JNI helpers. */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crt_internal.h"

/* The one JVM of the process: JNI allows a single JVM per process and it can
 * not be restarted, so this is the project's only global. Beside the VM it
 * records the status crt_exit is ending the process with: its System.exit
 * reaches the exit hook like any other, and the hook must not report it as
 * Spark's. (A status, not a flag: when Spark's System.exit(52) and ours race,
 * the hook still tells them apart.) */
static struct {
    JavaVM *vm;
    atomic_int exit_status; /* the status crt_exit asked for; 0 before */
} g_jvm;

typedef jint (*create_vm_fn)(JavaVM **, void **, void *);
typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

JavaVM *crt_vm(void)
{
    return g_jvm.vm;
}

JNIEnv *crt_env(void)
{
    if (!g_jvm.vm)
        return NULL;
    JNIEnv *env = NULL;
    jint rc = (*g_jvm.vm)->GetEnv(g_jvm.vm, (void **)&env, JNI_VERSION_1_8);
    if (rc == JNI_EDETACHED && (*g_jvm.vm)->AttachCurrentThread(g_jvm.vm, (void **)&env, NULL) != JNI_OK)
        return NULL;
    return env;
}

static const char *jni_rc(jint rc)
{
    switch (rc) {
    case JNI_ERR: return "unknown error";
    case JNI_EDETACHED: return "thread detached";
    case JNI_EVERSION: return "JNI version not supported";
    case JNI_ENOMEM: return "not enough memory";
    case JNI_EEXIST: return "a JVM already exists";
    case JNI_EINVAL: return "invalid options";
    default: return "error";
    }
}

/* The JVM's exit hook (the JNI "exit" option): called when Java code ends the
 * process itself, System.exit(N) or Runtime.halt(N), which bypasses every
 * caller's error path. Spark does it in local mode when a task throws an
 * Error: SparkUncaughtExceptionHandler exits 52 on OutOfMemoryError (the
 * driver's heap, -Xmx from spark.driver.memory, ran out) and 50 on others.
 * Say so, and end with status 1 (a failure) rather than Spark's number, which
 * nothing documents to the caller. The run's WAREHOUSE/tmp/PID folder cannot
 * be removed from here; the next run removes it (crt_session.c sweep_stale). */
static void JNICALL crt_exit_hook(jint code)
{
    if (code == 0 || code == atomic_load(&g_jvm.exit_status))
        return; /* the JVM goes on to exit(code) */
    fflush(stdout);
    if (code == 52)
        dprintf(2, "error: Spark ended the process (System.exit(52)): a task ran out of memory "
                   "(java.lang.OutOfMemoryError: Java heap space); the driver's heap is spark.driver.memory "
                   "(give it more with --conf spark.driver.memory=SIZE)\n");
    else if (code == 50)
        dprintf(2, "error: Spark ended the process (System.exit(50)): a task threw an uncaught error; "
                   "see the log\n");
    else
        dprintf(2, "error: the JVM ended the process (System.exit(%d))\n", (int)code);
    _exit(1);
}

crt_status crt_jvm_start(const char *libjvm, const char *const *jvm_options, size_t nopt, crt_error *err)
{
    if (g_jvm.vm)
        return CRT_OK;
    void *lib = dlopen(libjvm, RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        const char *why = dlerror();
        return crt_fail(err, CRT_ERR_NO_JVM, "cannot load %s: %s", libjvm, why ? why : "unknown error");
    }
    create_vm_fn create;
    created_vms_fn created;
    *(void **)&create = dlsym(lib, "JNI_CreateJavaVM");
    *(void **)&created = dlsym(lib, "JNI_GetCreatedJavaVMs");
    if (!create || !created)
        return crt_fail(err, CRT_ERR_NO_JVM, "%s is not a JVM library: it lacks JNI_CreateJavaVM", libjvm);

    /* A JVM some other code of this process started: use it. */
    JavaVM *vms[1];
    jsize n = 0;
    if (created(vms, 1, &n) == JNI_OK && n > 0) {
        g_jvm.vm = vms[0];
        return CRT_OK;
    }

    JavaVMOption *o = calloc(nopt + 1, sizeof *o);
    if (!o)
        return crt_fail(err, CRT_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nopt; i++)
        o[i].optionString = (char *)jvm_options[i];
    void (JNICALL *hook)(jint) = crt_exit_hook;
    o[nopt].optionString = "exit";
    o[nopt].extraInfo = *(void **)&hook;
    JavaVMInitArgs args = {
        .version = JNI_VERSION_1_8,
        .nOptions = (jint)nopt + 1,
        .options = o,
        .ignoreUnrecognized = JNI_FALSE,
    };
    JNIEnv *env = NULL;
    JavaVM *vm = NULL;
    jint rc = create(&vm, (void **)&env, &args);
    free(o);
    if (rc != JNI_OK)
        return crt_fail(err, CRT_ERR_NO_JVM, "JNI_CreateJavaVM (%s) failed: %s (%d); see the JVM's messages above",
                        libjvm, jni_rc(rc), (int)rc);
    g_jvm.vm = vm;
    return CRT_OK;
}

void crt_unref(JNIEnv *env, jobject ref)
{
    if (ref)
        (*env)->DeleteLocalRef(env, ref);
}

/* ---- strings --------------------------------------------------------------------- */

jstring crt_jstr(JNIEnv *env, const char *utf8)
{
    jchar *u;
    size_t n;
    if (!crt_utf8_to_utf16(utf8, strlen(utf8), &u, &n))
        return NULL;
    jstring s = (*env)->NewString(env, u, (jsize)n);
    free(u);
    return s;
}

char *crt_cstr(JNIEnv *env, jstring s)
{
    if (!s)
        return NULL;
    jsize n = (*env)->GetStringLength(env, s);
    const jchar *u = (*env)->GetStringCritical(env, s, NULL);
    if (!u)
        return NULL;
    char *out = crt_utf16_to_utf8(u, (size_t)n);
    (*env)->ReleaseStringCritical(env, s, u);
    return out;
}

char *crt_to_string(JNIEnv *env, jobject obj)
{
    if (!obj)
        return crt_strdup("null");
    jclass cls = (*env)->FindClass(env, "java/lang/Object");
    jmethodID m = cls ? (*env)->GetMethodID(env, cls, "toString", "()Ljava/lang/String;") : NULL;
    jstring s = m ? (*env)->CallObjectMethod(env, obj, m) : NULL;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        s = NULL;
    }
    char *out = s ? crt_cstr(env, s) : crt_strdup("?");
    if (s)
        crt_unref(env, s);
    if (cls)
        crt_unref(env, cls);
    return out;
}

char *crt_class_name(JNIEnv *env, jobject obj)
{
    jclass cls = (*env)->GetObjectClass(env, obj);
    jclass ccls = (*env)->FindClass(env, "java/lang/Class");
    jmethodID m = ccls ? (*env)->GetMethodID(env, ccls, "getName", "()Ljava/lang/String;") : NULL;
    jstring s = m ? (*env)->CallObjectMethod(env, cls, m) : NULL;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        s = NULL;
    }
    char *out = s ? crt_cstr(env, s) : crt_strdup("?");
    crt_unref(env, s);
    crt_unref(env, ccls);
    crt_unref(env, cls);
    return out;
}

/* ---- exceptions ------------------------------------------------------------------ */

/* t.getMessage() as UTF-8, or NULL. */
static char *throwable_message(JNIEnv *env, jthrowable t)
{
    jclass cls = (*env)->FindClass(env, "java/lang/Throwable");
    jmethodID m = cls ? (*env)->GetMethodID(env, cls, "getMessage", "()Ljava/lang/String;") : NULL;
    jstring s = m ? (*env)->CallObjectMethod(env, t, m) : NULL;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        s = NULL;
    }
    char *out = s ? crt_cstr(env, s) : NULL;
    crt_unref(env, s);
    crt_unref(env, cls);
    return out;
}

static jthrowable throwable_cause(JNIEnv *env, jthrowable t)
{
    jclass cls = (*env)->FindClass(env, "java/lang/Throwable");
    jmethodID m = cls ? (*env)->GetMethodID(env, cls, "getCause", "()Ljava/lang/Throwable;") : NULL;
    jthrowable c = m ? (*env)->CallObjectMethod(env, t, m) : NULL;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        c = NULL;
    }
    crt_unref(env, cls);
    return c;
}

static void rstrip(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

static bool is_missing_class(const char *cls)
{
    return strcmp(cls, "java.lang.NoClassDefFoundError") == 0 || strcmp(cls, "java.lang.ClassNotFoundException") == 0;
}

bool crt_check_exception(JNIEnv *env, crt_error *err, const char *what)
{
    jthrowable t = (*env)->ExceptionOccurred(env);
    if (!t)
        return false;
    (*env)->ExceptionClear(env);
    if (!err) {
        crt_unref(env, t);
        return true;
    }
    crt_error_clear(err);
    char *cls = crt_class_name(env, t);
    char *msg = throwable_message(env, t);
    if (msg) {
        rstrip(msg);
        size_t lead = strspn(msg, "\r\n"); /* ParseException's message starts with a newline */
        memmove(msg, msg + lead, strlen(msg + lead) + 1);
    }
    if (cls && is_missing_class(cls)) {
        /* "org/apache/Foo" -> "org.apache.Foo" */
        char *name = crt_strdup(msg ? msg : "?");
        for (char *p = name; p && *p; p++)
            if (*p == '/')
                *p = '.';
        err->status = CRT_ERR_CLASSPATH;
        crt_copy_trunc(err->java_class, sizeof err->java_class, name ? name : "?");
        snprintf(err->message, sizeof err->message, "class %s not found on the classpath (%s)", name ? name : "?", what);
        free(name);
    } else {
        err->status = CRT_ERR_JAVA;
        crt_copy_trunc(err->java_class, sizeof err->java_class, cls ? cls : "?");
        if (msg && *msg)
            crt_copy_trunc(err->message, sizeof err->message, msg);
        else
            snprintf(err->message, sizeof err->message, "(no message) in %s", what);
    }
    free(cls);
    free(msg);

    /* The cause chain, "Class: first line of message" per line, innermost last. */
    crt_str chain = {0};
    jthrowable cur = t;
    for (int depth = 0; depth < 16; depth++) {
        jthrowable c = throwable_cause(env, cur);
        if (!c || (*env)->IsSameObject(env, c, cur)) {
            crt_unref(env, c);
            break;
        }
        char *ccls = crt_class_name(env, c);
        char *cmsg = throwable_message(env, c);
        if (cmsg)
            cmsg[strcspn(cmsg, "\r\n")] = '\0';
        if (chain.len)
            crt_str_add(&chain, "\n", 1);
        crt_str_addf(&chain, "%s: %s", ccls ? ccls : "?", cmsg ? cmsg : "(no message)");
        free(ccls);
        free(cmsg);
        if (cur != t)
            crt_unref(env, cur);
        cur = c;
    }
    if (cur != t)
        crt_unref(env, cur);
    if (chain.p)
        crt_copy_trunc(err->cause, sizeof err->cause, chain.p);
    crt_str_free(&chain);
    crt_unref(env, t);
    return true;
}

jclass crt_find_class(JNIEnv *env, const char *slash_name, const char *hint, crt_error *err)
{
    jclass cls = (*env)->FindClass(env, slash_name);
    if (cls)
        return cls;
    (*env)->ExceptionClear(env);
    char *dotted = crt_strdup(slash_name);
    for (char *p = dotted; p && *p; p++)
        if (*p == '/')
            *p = '.';
    crt_fail(err, CRT_ERR_CLASSPATH, "class %s not found on the classpath%s%s", dotted ? dotted : slash_name,
             hint ? "; " : "", hint ? hint : "");
    if (err)
        crt_copy_trunc(err->java_class, sizeof err->java_class, dotted ? dotted : slash_name);
    free(dotted);
    return NULL;
}

jmethodID crt_method(JNIEnv *env, jclass cls, const char *name, const char *sig, crt_error *err)
{
    jmethodID m = (*env)->GetMethodID(env, cls, name, sig);
    if (!m) {
        (*env)->ExceptionClear(env);
        crt_fail(err, CRT_ERR_CLASSPATH, "method %s%s not found: the Spark jars on the classpath are not the version expected (3.x)",
                 name, sig);
    }
    return m;
}

jmethodID crt_static_method(JNIEnv *env, jclass cls, const char *name, const char *sig, crt_error *err)
{
    jmethodID m = (*env)->GetStaticMethodID(env, cls, name, sig);
    if (!m) {
        (*env)->ExceptionClear(env);
        crt_fail(err, CRT_ERR_CLASSPATH,
                 "static method %s%s not found: the Spark jars on the classpath are not the version expected (3.x)", name,
                 sig);
    }
    return m;
}

int crt_exit(int status)
{
    fflush(stdout);
    fflush(stderr);
    JNIEnv *env = crt_env();
    if (!env)
        return status;
    if (status == 130)
        _exit(status); /* interrupted: at once, without the shutdown hooks or the class-data dump */
    jclass sys = (*env)->FindClass(env, "java/lang/System");
    jmethodID ex = sys ? (*env)->GetStaticMethodID(env, sys, "exit", "(I)V") : NULL;
    atomic_store(&g_jvm.exit_status, status);
    if (ex)
        (*env)->CallStaticVoidMethod(env, sys, ex, (jint)status); /* does not return */
    (*env)->ExceptionClear(env);
    exit(status);
}
