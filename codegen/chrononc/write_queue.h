/* Serializing and writing configs on worker threads.
 *
 * compile converts each config to its C struct in file order: conversion
 * reads values that later steps mutate (team defaults, the production flag
 * the validator sets), so it cannot move. What follows reads only that
 * struct: the JSON, the modeToEnvMap edit, the comparison with the file on
 * disk and the atomic write. Those run here, a batch at a time, on up to
 * `threads` threads; the outcomes come back in the order the jobs went in, so
 * diagnostics and counts do not depend on scheduling. */
#ifndef WRITE_QUEUE_H
#define WRITE_QUEUE_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"
#include "tjson.h"

typedef enum job_outcome {
    JOB_WRITTEN,
    JOB_UNCHANGED,
    JOB_CHECKED,      /* dry run: serialized, not written */
    JOB_DIFFERS,      /* compare_only: the file on disk is missing or has other bytes */
    JOB_JSON_FAILED,  /* error_path/error: the writer's JSON path and message */
    JOB_ENV_FAILED,   /* error: why the modeToEnvMap edit failed */
    JOB_WRITE_FAILED, /* error: why; errnum: errno */
} job_outcome;

typedef struct write_job {
    /* in */
    const tj_struct_desc *desc;
    void *c;          /* the config; owned by the job, freed when it has run */
    const char *path; /* the file (not owned); its folder exists */
    const char *key;  /* the config's name, for messages (not owned) */
    src_loc loc;      /* where diagnostics point (not used here) */
    bool preserve_env;
    bool compare_only; /* `chrononc compile --check`: compare with the file, never write */
    bool fresh;       /* no file at path: its folder was made by this run, which has not written it yet */
    /* out */
    job_outcome outcome;
    int errnum;
    char error_path[512];
    char error[512];
} write_job;

typedef struct write_queue {
    write_job *jobs;
    size_t len, cap;
    int threads;
    bool dry_run; /* serialize only: `chrononc check` */
    mode_t umask; /* the process's, read before the threads start */
    pid_t pid;    /* getpid(), for the temporary files' names */
    /* Test hooks (CHRONONC_FAULT_WRITE / CHRONONC_FAULT_RENAME=n): the n-th
     * file write of the run (counting from 1, over every batch) fails its
     * write() or its rename(); 0: never. */
    size_t fault_write_at, fault_rename_at;
    atomic_size_t attempts; /* file writes started so far */
} write_queue;

/* Take ownership of job.c (freed even on failure). */
bool write_queue_push(write_queue *q, write_job job);

/* Run every queued job: outcomes filled in, configs freed. */
void write_queue_run(write_queue *q);

/* Forget the jobs that ran. */
void write_queue_clear(write_queue *q);
void write_queue_free(write_queue *q);

/* The default thread count: the processors online, at most 16. */
int write_queue_default_threads(void);

#endif
