/* chronon_runtime: Ctrl-C (SIGINT) and SIGTERM while a session is open.
 *
 * The JVM runs with -Xrs, so it installs no handler for either. crt_open
 * blocks both in the calling thread before the JVM starts; every JVM thread
 * inherits that mask, and one watcher thread takes them with sigtimedwait.
 * A signal cancels the Spark jobs (SparkContext.cancelAllJobs, repeated every
 * tick so a job started after it is cancelled too); the running call then
 * fails and is reported as CRT_ERR_INTERRUPTED. A second signal, or
 * CRT_GRACE_SECONDS without the call returning, ends the process at once
 * (128 + the first signal's number).
 *
 * SIGINT ends as a status: the caller maps CRT_ERR_INTERRUPTED to 130.
 * SIGTERM asks the process to end, whatever the caller does with the status:
 * crt_close cleans the session up (Spark stopped, the log echoed, the
 * temporary folder removed) and then delivers the SIGTERM it took, so the
 * process ends by it (143 to a shell) as it would have without us. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crt_internal.h"

/* Seconds a cancelled call may take to stop before the watcher ends the process. */
#define CRT_GRACE_SECONDS 10

static void say(const char *msg)
{
    ssize_t r = write(STDERR_FILENO, msg, strlen(msg));
    (void)r;
}

static const char *verb(int sig) { return sig == SIGTERM ? "terminated" : "interrupted"; }

static void *watch(void *arg)
{
    crt_session *s = arg;
    const struct timespec tick = {0, 200 * 1000 * 1000};
    struct timespec deadline = {0, 0};
    JNIEnv *env = NULL;
    JavaVM *vm = NULL;
    while (!atomic_load(&s->stop_watcher)) {
        int sig = sigtimedwait(&s->watched, NULL, &tick);
        int first = atomic_load(&s->signal);
        if (atomic_load(&s->stop_watcher)) {
            /* taken just as the session closes: a SIGTERM is still delivered */
            if (sig == SIGTERM && first == 0)
                atomic_store(&s->signal, SIGTERM);
            break;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (sig == SIGINT || sig == SIGTERM) {
            if (first != 0) {
                int end = first == SIGTERM || sig == SIGTERM ? SIGTERM : SIGINT;
                say(end == SIGTERM ? "\nterminated again: exiting now\n" : "\ninterrupted again: exiting now\n");
                _exit(128 + end);
            }
            atomic_store(&s->signal, sig);
            atomic_store(&s->interrupted, true);
            deadline = now;
            deadline.tv_sec += CRT_GRACE_SECONDS;
            say(sig == SIGTERM ? "\nterminated (SIGTERM): cancelling Spark jobs\n"
                               : "\ninterrupted: cancelling Spark jobs (Ctrl-C again to exit at once)\n");
        }
        if (!atomic_load(&s->interrupted))
            continue;
        if (atomic_load(&s->sc_ready)) {
            if (!env && (vm = crt_vm()) != NULL &&
                (*vm)->AttachCurrentThreadAsDaemon(vm, (void **)&env, NULL) != JNI_OK)
                env = NULL;
            if (env) {
                (*env)->CallVoidMethod(env, s->spark_context, s->cancel_all_jobs);
                if ((*env)->ExceptionCheck(env))
                    (*env)->ExceptionClear(env);
            }
        }
        if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec)) {
            first = atomic_load(&s->signal);
            say(first == SIGTERM ? "terminated: Spark did not stop in time; exiting\n"
                                 : "interrupted: Spark did not stop in time; exiting\n");
            _exit(128 + first);
        }
    }
    if (env)
        (*vm)->DetachCurrentThread(vm);
    return NULL;
}

void crt_watch_start(crt_session *s)
{
    static const int sigs[] = {SIGINT, SIGTERM};
    sigemptyset(&s->watched);
    int n = 0;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        /* an ignored signal (SIGINT in a background job) stays ignored, as the JVM would leave it */
        if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN) {
            sigaddset(&s->watched, sigs[i]);
            n++;
        }
    }
    if (n == 0)
        return;
    /* Blocked here before the JVM starts, so every JVM thread inherits the
     * mask (-Xrs keeps the JVM from unblocking them) and only the watcher takes them. */
    if (pthread_sigmask(SIG_BLOCK, &s->watched, &s->old_mask) != 0)
        return;
    if (pthread_create(&s->watcher, NULL, watch, s) != 0) {
        pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
        return;
    }
    s->watching = true;
}

int crt_watch_stop(crt_session *s)
{
    if (!s->watching)
        return 0;
    atomic_store(&s->stop_watcher, true);
    pthread_join(s->watcher, NULL);
    s->watching = false;
    pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
    return atomic_load(&s->signal) == SIGTERM ? SIGTERM : 0;
}

void crt_watch_deliver(int sig)
{
    if (sig <= 0)
        return;
    fflush(stdout);
    fflush(stderr);
    raise(sig);
}

crt_status crt_interrupted_or(crt_session *s, crt_status st, crt_error *err)
{
    if (s && atomic_load(&s->interrupted)) {
        int sig = atomic_load(&s->signal);
        return crt_fail(err, CRT_ERR_INTERRUPTED, "%s (%s): Spark jobs cancelled", verb(sig),
                        sig == SIGTERM ? "SIGTERM" : "Ctrl-C");
    }
    return st;
}
