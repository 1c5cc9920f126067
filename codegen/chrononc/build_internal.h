/* chrononc build's parts (cmd_build.c: options, the kit, the configs, what
 * is stale, what is removed, the compilers run in parallel; build_program.c:
 * one program's C, its cc run, its links put in place). Private to the two. */
#ifndef BUILD_INTERNAL_H
#define BUILD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "template.h"

typedef struct build_kind {
    const char *folder;    /* group_bys, joins, staging_queries */
    const char *kind_enum; /* its cexe_kind in chronon_exe.h */
} build_kind;
enum { BUILD_NKINDS = 3 };
extern const build_kind build_kinds[BUILD_NKINDS];

/* The soname of the kit's shared runtime, and where a stub looks for it:
 * <out>/<kind>/<team>/<name> -> <out>/.lib. */
#define RUNTIME_SO "libchronon_exe.so.1"
#define RUNTIME_RPATH "-Wl,-rpath,$ORIGIN/../../.lib"
/* What --static links, in the kit. */
enum { BUILD_NSTATIC_LIBS = 3 };
extern const char *const build_static_libs[BUILD_NSTATIC_LIBS];

typedef struct member {
    size_t kind;
    char *name;   /* <name> */
    char *rel;    /* <folder>/<team>/<name> */
    char *json;   /* the config's path */
    char *target; /* the executable */
    struct timespec json_time;
    bool changed; /* needs (re)building: new, changed, forced, or built another way */
    bool linked;  /* shared: its path was a link to the group's program before */
} member;

typedef struct team {
    size_t kind;
    char *name;
    size_t first, n; /* its members, b->members[first .. first + n), sorted by name */
} team;

typedef struct group {
    char *rel;    /* shared: .build/.multi.<part>; static: the member's rel */
    size_t *idx;  /* its members: indexes into build.members */
    size_t n;
    char *canon;  /* shared: <out>/.build/.multi.<part>; static: NULL */
    char *src;    /* the rendered C */
    char *log;    /* cc's output */
    char *tmp;    /* the program being linked */
    pid_t pid;
} group;

typedef struct strv {
    char **v;
    size_t n;
} strv;

typedef struct build {
    const char *root, *output_root, *out, *kit, *cc_override;
    char *kit_owned, *out_owned;
    long jobs;
    bool force, verbose, static_link, keep_sources;
    strv cc_argv; /* cc and cflags from build.conf */
    strv ldlibs, shared_ldlibs;
    struct timespec code_time;   /* newest of header, template, build.conf */
    struct timespec static_time; /* and of the static libraries */
    tmpl *stub;
    member *members;
    size_t nmembers;
    team *teams;
    size_t nteams;
    group *groups;
    size_t ngroups;
    size_t parts;     /* shared: the programs the configs are split into */
    size_t removed;
    int lock_fd; /* holds the flock() on <out> */
    mode_t umask; /* the process's, read once: programs are made 0777 under it, as cc makes them */
} build;

bool strv_push(strv *a, const char *s);
void strv_free(strv *a);
/* the i-th config of g */
member *build_member(const build *b, const group *g, size_t i);

/* build_program.c */
/* Render g's C, reserve its temporary program and start cc (g->pid). */
bool build_start(build *b, group *g, char *err, size_t errsize);
/* cc of g exited with wstatus: put the program in place (or report why not)
 * and add g's configs to the counts. */
void build_finish(build *b, group *g, int wstatus, size_t *built, size_t *fresh, size_t *failed);
/* The kit's shared runtime into <out>/.lib, when its bytes differ. */
bool build_copy_runtime(build *b, char *err, size_t errsize);

#endif
