/* A re-run of chrononc compile with nothing changed, answered without
 * compiling.
 *
 * A run that wrote nothing (every config already on disk byte for byte), with
 * no diagnostic at all, leaves a record beside its output root
 * (<parent>/.<output root>.chrononc-state): a 128-bit sum over the compiler
 * binary (size, mtime, inode), the options, and every non-hidden entry under
 * the repo root and the output root (path, type; for files size, mtime,
 * ctime, inode, mode), taken BEFORE the run read anything. The next run with
 * the same sum would compile the same inputs against the same materialized
 * tree, so it would again write nothing and say nothing: it prints the same
 * summary and stops. Any change (an edit, a touch, a new or removed file, an
 * edited output, another binary or option) changes the sum and the run
 * compiles in full.
 *
 * Racy stats: a file changed within one timestamp tick of the walk could
 * change again without its stat changing, so no record is written when any
 * mtime/ctime is within 200 ms of the walk (git's "racily clean" problem).
 * The record is only written and read under the compile lock. */
#ifndef CHRONONC_COMPILE_STATE_H
#define CHRONONC_COMPILE_STATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct compile_state_key {
    const char *root;
    const char *output_dir;
    const char *options; /* everything else that changes the output, as text */
} compile_state_key;

typedef struct compile_state {
    char path[4096];
    char sum[80];
    bool valid; /* the walk succeeded */
    bool racy;  /* a stat too recent to trust: no record */
} compile_state;

typedef struct compile_state_counts {
    size_t unchanged, skipped, files;
} compile_state_counts;

/* Walk the trees now, before the run reads them. False: no fast path. */
bool compile_state_init(compile_state *s, const compile_state_key *k);
/* Whether the record beside the output root has this sum (its counts then). */
bool compile_state_matches(const compile_state *s, compile_state_counts *counts);
/* Record the sum taken at init (unless racy): the run wrote nothing. */
void compile_state_save(const compile_state *s, const compile_state_counts *counts);
/* Drop the record: the run wrote or said something. */
void compile_state_forget(const compile_state *s);

#endif
