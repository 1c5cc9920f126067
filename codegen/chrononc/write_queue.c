/* Worker threads for serializing and writing configs; see write_queue.h. */
#include "write_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_write.h"
#include "env_preserve.h"

bool write_queue_push(write_queue *q, write_job job)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        write_job *n = realloc(q->jobs, cap * sizeof *n);
        if (!n) {
            tj_free(job.desc, job.c);
            free(job.c);
            return false;
        }
        q->jobs = n;
        q->cap = cap;
    }
    q->jobs[q->len++] = job;
    return true;
}

/* Whether path holds exactly data[0..len); *mode gets its mode when it
 * exists (else 0). A size that differs settles it without reading. */
static bool same_bytes(const char *path, const char *data, size_t len, mode_t *mode)
{
    *mode = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = false;
    if (fstat(fd, &st) == 0) {
        *mode = st.st_mode & 07777;
        if (S_ISREG(st.st_mode) && (size_t)st.st_size == len) {
            char *old = malloc(len ? len : 1);
            size_t got = 0;
            while (old && got < len) {
                ssize_t n = read(fd, old + got, len - got);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    break;
                got += (size_t)n;
            }
            same = old && got == len && memcmp(old, data, len) == 0;
            free(old);
        }
    }
    close(fd);
    return same;
}

/* One job. */
static void run_job(write_queue *q, write_job *j)
{
    tj_error err;
    size_t len = 0;
    mode_t old_mode = 0;
    char *json = tj_to_json(j->desc, j->c, &len, &err);
    if (!json) {
        j->outcome = JOB_JSON_FAILED;
        snprintf(j->error_path, sizeof j->error_path, "%s", err.path);
        snprintf(j->error, sizeof j->error, "%s", err.message);
    } else if (j->preserve_env && !preserve_mode_to_env_maps(j->path, &json, &len, j->error, sizeof j->error)) {
        j->outcome = JOB_ENV_FAILED;
    } else if (q->dry_run) {
        j->outcome = JOB_CHECKED;
    } else if (j->compare_only) {
        j->outcome = same_bytes(j->path, json, len, &old_mode) ? JOB_UNCHANGED : JOB_DIFFERS;
    } else if (!j->fresh && same_bytes(j->path, json, len, &old_mode)) {
        j->outcome = JOB_UNCHANGED;
    } else {
        /* created with its final mode: a replaced file's, else what Python's
         * open(path, "w") gives (0666 under the umask); a chmod only when
         * the umask would take bits the replaced file had */
        mode_t mode = old_mode ? old_mode : 0666;
        atomic_how how = {.flags = ATOMIC_NO_SYNC | ATOMIC_GIVEN_MODE, .mode = mode, .pid = q->pid};
        if ((mode & ~q->umask) != mode)
            how.flags |= old_mode ? ATOMIC_FORCE_MODE : 0;
        size_t attempt = atomic_fetch_add(&q->attempts, 1) + 1;
        how.fault = attempt == q->fault_write_at    ? ATOMIC_FAULT_WRITE
                    : attempt == q->fault_rename_at ? ATOMIC_FAULT_RENAME
                                                    : ATOMIC_FAULT_NONE;
        if (atomic_write_how(j->path, json, len, &how, j->error, sizeof j->error, &j->errnum))
            j->outcome = JOB_WRITTEN;
        else
            j->outcome = JOB_WRITE_FAILED;
    }
    free(json);
    tj_free(j->desc, j->c);
    free(j->c);
    j->c = NULL;
}

typedef struct worker_share {
    write_queue *q;
    atomic_size_t next; /* the next job to take */
} worker_share;

static void *worker(void *arg)
{
    worker_share *s = arg;
    for (size_t i; (i = atomic_fetch_add(&s->next, 1)) < s->q->len;)
        run_job(s->q, &s->q->jobs[i]);
    return NULL;
}

void write_queue_run(write_queue *q)
{
    worker_share s = {.q = q};
    atomic_init(&s.next, 0);
    size_t n = q->threads > 1 ? (size_t)q->threads - 1 : 0; /* the calling thread works too */
    if (n > q->len / 8)
        n = q->len / 8; /* a thread per 8 jobs at least, or it costs more than it gives */
    pthread_t *tids = n ? calloc(n, sizeof *tids) : NULL;
    size_t started = 0;
    for (size_t i = 0; tids && i < n; i++)
        if (pthread_create(&tids[i], NULL, worker, &s) == 0)
            started++;
        else
            break;
    worker(&s);
    for (size_t i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
}

void write_queue_clear(write_queue *q)
{
    for (size_t i = 0; i < q->len; i++) {
        write_job *j = &q->jobs[i];
        if (j->c) { /* never ran */
            tj_free(j->desc, j->c);
            free(j->c);
        }
    }
    q->len = 0;
}

void write_queue_free(write_queue *q)
{
    write_queue_clear(q);
    free(q->jobs);
    q->jobs = NULL;
    q->cap = 0;
}

int write_queue_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}
