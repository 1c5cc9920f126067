/*
 * chronon_exe: the C shell shared by every per-config executable that
 * `chrononc build` makes.
 *
 * A generated stub (templates/config_main.c.tmpl) holds one compiled config's
 * JSON as a byte array and hands it to cexe_main, which does the rest: the
 * subcommands json, info, validate, run and analyze, the date and query edits
 * Chronon's PySpark interface makes, and the calls into the JVM through
 * runtime/jvm/chronon_runtime.h.
 *
 * This header is all a stub includes; it is self-contained on purpose (the
 * build kit ships it alone).
 */
#ifndef CHRONON_EXE_H
#define CHRONON_EXE_H

#include <stddef.h>

typedef enum cexe_kind {
    CEXE_GROUP_BY,
    CEXE_JOIN,
    CEXE_STAGING_QUERY
} cexe_kind;

typedef struct cexe_config {
    cexe_kind kind;
    const unsigned char *json;  /* the config file's bytes, exactly */
    size_t json_len;
    const unsigned char *path;  /* where it was compiled from: <kind folder>/<team>/<name> */
    size_t path_len;
} cexe_config;

/* The whole program: parse argv (argv[0] is the program name), run the
 * subcommand, return the exit status (0 ok, 1 failure, 2 usage). */
int cexe_main(const cexe_config *config, int argc, char **argv);

/* The program of a multi-config executable, `chrononc build`'s default
 * layout: one binary holds up to a few hundred configs and every config's
 * executable is a hard link to it, <out>/<kind folder>/<team>/<name>. The
 * config run is the one whose path ends the path of the executable the
 * kernel started (/proc/self/exe: a symlink is resolved to the hard link it
 * points to), else the only one with its file name, else the same for
 * argv[0]. A table of one config runs it whatever the name. When no config
 * matches, says so, names what the binary holds, and returns 1. Otherwise
 * as cexe_main. */
int cexe_main_multi(const cexe_config *configs, size_t n, int argc, char **argv);

#endif
