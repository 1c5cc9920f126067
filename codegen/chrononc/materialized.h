/* What is already written under the output root, as compile.py's validator
 * (ChrononRepoValidator.load_objs) and dependency tracker
 * (ChrononEntityDependencyTracker) see it: one record per materialized
 * GroupBy and Join file, with the few facts their rules read. The whole
 * config is read again only when a rule needs it (materialized_read).
 *
 * compile.py re-reads the output folder at fixed points (before each pass and
 * before the extra GroupBys a pass pulls in); reading it once and merging what
 * this run wrote since (materialized_note_written, materialized_reload) gives
 * the same view without re-parsing every file each time. */
#ifndef MATERIALIZED_H
#define MATERIALIZED_H
#include <stdbool.h>
#include <stddef.h>

#include "strmap.h"
#include "tjson.h"

typedef enum conf_kind { CONF_GROUP_BY, CONF_JOIN, CONF_KINDS } conf_kind;

typedef struct conf_record {
    char *path;       /* the file */
    char *name;       /* its metaData.name ("" if none) */
    bool online, production;
    /* a Join: its join parts' GroupBy names; a GroupBy: the names of the
     * Joins its JoinSources read */
    char **refs;
    size_t ref_count;
} conf_record;

typedef struct conf_list {
    conf_record *items;
    size_t len, cap;
    strmap by_path;   /* path -> position (keys: the records' paths) */
    strmap by_name;   /* name -> position of the first record so named */
    bool names_stale; /* a record was replaced by one of another name: by_name is rebuilt before use */
    /* who refers to a name: ref -> first link; links chain the positions of
     * the records whose refs hold it. Built on first use, dropped on change. */
    strmap users;
    size_t *link_record, *link_next;
    bool users_built;
} conf_list;

typedef struct materialized {
    char *dir;                   /* the output root */
    bool loaded;
    conf_list seen[CONF_KINDS];    /* as of the last reload, in file-walk order */
    conf_list pending[CONF_KINDS]; /* written by this run since */
} materialized;

/* dir: the output root (<root>/production, say); nothing is read yet. */
bool materialized_init(materialized *m, const char *dir);
void materialized_free(materialized *m);

/* The first call reads every file under dir/group_bys and dir/joins (a file
 * that is not a config of its folder's kind is not one for the rules either);
 * later calls merge in what was noted as written since. */
void materialized_reload(materialized *m);

/* desc/c: a GroupBy or Join (other kinds are ignored) just written to path. */
bool materialized_note_written(materialized *m, const tj_struct_desc *desc, const void *c, const char *path);

/* The first record named name (compile.py's _get_old_obj), or NULL. */
const conf_record *materialized_find(materialized *m, conf_kind k, const char *name);

/* The records of kind k whose refs hold name (Joins using a GroupBy, or
 * GroupBys reading a Join), in file-walk order: *out (malloc'd, to be freed)
 * and the count; 0 with *out NULL when none or out of memory. */
size_t materialized_users(materialized *m, conf_kind k, const char *name, const conf_record ***out);

/* Read rec's whole file into *out (a desc struct, to be tj_free'd on success). */
bool materialized_read(const conf_record *rec, const tj_struct_desc *desc, void *out);

/* Whether config c differs from rec's file in more than compile.py's
 * overwrite check ignores (metaData; a Join's join parts' GroupBy metaData and
 * its onlineExternalParts). False if the file cannot be read or memory runs out. */
bool materialized_differs(const conf_record *rec, const tj_struct_desc *desc, const void *c, bool *differs);

/* The kind of a config struct, or CONF_KINDS for one the rules do not track. */
conf_kind conf_kind_of(const tj_struct_desc *desc);

#endif
