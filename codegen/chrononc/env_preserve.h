/* compile.py's respect_existing_env_vars (the "no" answer to "Do you want to
 * update existing env variables in these files?"): every modeToEnvMap of the
 * materialized file is put back into the new config, at the same place. */
#ifndef ENV_PRESERVE_H
#define ENV_PRESERVE_H
#include <stdbool.h>
#include <stddef.h>

/* json, len: the new config's bytes (malloc'd); old_path: the file it is
 * about to replace. If old_path cannot be read or parsed, or has no
 * modeToEnvMap that fits the new config, *json is left as it is. Otherwise it
 * is replaced by what Python's json.dumps(new, indent=2) writes after the
 * edit (compile.py's _preserve_mode_to_env_map). False (why filled in) only
 * if the new bytes are not JSON or memory runs out. */
bool preserve_mode_to_env_maps(const char *old_path, char **json, size_t *len, char *why, size_t why_size);

#endif
