/* Worker threads for serializing and writing configs; see write_queue.h. */
#include "write_queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_write.h"
#include "env_preserve.h"
#include "make_dirs.h"
#include "read_file.h"

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

static bool same_bytes(const char *path, const char *data, size_t len)
{
    char why[64];
    size_t old_len;
    char *old = read_file(path, &old_len, why, sizeof why);
    bool same = old && old_len == len && memcmp(old, data, len) == 0;
    free(old);
    return same;
}

/* One job. made_dir: the folder this thread made last (most jobs share one). */
static void run_job(write_job *j, bool dry_run, const char **made_dir)
{
    tj_error err;
    size_t len = 0;
    char *json = tj_to_json(j->desc, j->c, &len, &err);
    if (!json) {
        j->outcome = JOB_JSON_FAILED;
        snprintf(j->error_path, sizeof j->error_path, "%s", err.path);
        snprintf(j->error, sizeof j->error, "%s", err.message);
    } else if (j->preserve_env && !preserve_mode_to_env_maps(j->path, &json, &len, j->error, sizeof j->error)) {
        j->outcome = JOB_ENV_FAILED;
    } else if (dry_run) {
        j->outcome = JOB_CHECKED;
    } else if (same_bytes(j->path, json, len)) {
        j->outcome = JOB_UNCHANGED;
    } else if (j->compare_only) {
        j->outcome = JOB_DIFFERS;
    } else if ((!*made_dir || strcmp(*made_dir, j->dir) != 0) && !make_dirs(j->dir, 0777)) {
        j->outcome = JOB_MKDIR_FAILED;
        snprintf(j->error, sizeof j->error, "%s", strerror(errno));
    } else if (!atomic_write(j->path, json, len, ATOMIC_NO_SYNC, j->error, sizeof j->error)) {
        *made_dir = j->dir;
        j->outcome = JOB_WRITE_FAILED;
    } else {
        *made_dir = j->dir;
        j->outcome = JOB_WRITTEN;
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
    const char *made_dir = NULL;
    for (size_t i; (i = atomic_fetch_add(&s->next, 1)) < s->q->len;)
        run_job(&s->q->jobs[i], s->q->dry_run, &made_dir);
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
