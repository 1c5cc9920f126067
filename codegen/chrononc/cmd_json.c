/* chrononc json --type T FILE...: read Chronon JSON configs into the generated
 * C types and print each one back as canonical JSON (the bytes compile.py
 * writes), or report where it is wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronon_api.h"
#include "commands.h"
#include "read_file.h"

static void json_usage(FILE *out)
{
    fprintf(out,
            "usage: chrononc json [--type TYPE] [--strict] FILE...\n"
            "\n"
            "Parse each FILE ('-' for standard input) as a Chronon config of TYPE and print\n"
            "its canonical JSON, byte for byte what Chronon's compile.py writes, followed by\n"
            "a newline. Errors name the file and the JSON path of the bad value.\n"
            "\n"
            "  --type TYPE  GroupBy, Join, StagingQuery or any other struct of Chronon's API.\n"
            "               Without it the type comes from the path: .../group_bys/...,\n"
            "               .../joins/..., .../staging_queries/...\n"
            "  --strict     also report unknown fields and duplicate keys (Chronon ignores them)\n");
}

/* compile.py's output folders name the config kind. */
static const tj_struct_desc *type_from_path(const char *path)
{
    static const struct {
        const char *folder;
        const char *type;
    } kinds[] = {{"group_bys/", "GroupBy"}, {"joins/", "Join"}, {"staging_queries/", "StagingQuery"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strstr(path, kinds[i].folder))
            return chronon_struct_by_name(kinds[i].type);
    return NULL;
}

static int convert(const char *path, const tj_struct_desc *desc, unsigned flags)
{
    char why[256];
    size_t len;
    char *text = read_file(path, &len, why, sizeof why);
    if (!text) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, why);
        return 1;
    }
    void *obj = malloc(desc->size);
    if (!obj) {
        free(text);
        fprintf(stderr, "%s: error: out of memory\n", path);
        return 1;
    }
    tj_error err;
    int status = 1;
    if (tj_from_json(desc, obj, text, len, flags, &err) != TJ_OK) {
        if (err.status == TJ_ERR_SYNTAX)
            fprintf(stderr, "%s:%d:%d: error: %s\n", path, err.line, err.column, err.message);
        else
            fprintf(stderr, "%s: error: %s: %s\n", path, err.path, err.message);
    } else {
        size_t out_len;
        char *out = tj_to_json(desc, obj, &out_len, &err);
        if (!out) {
            fprintf(stderr, "%s: error: %s: %s\n", path, err.path, err.message);
        } else {
            fwrite(out, 1, out_len, stdout);
            fputc('\n', stdout);
            free(out);
            status = 0;
        }
        tj_free(desc, obj);
    }
    free(obj);
    free(text);
    return status;
}

int cmd_json(int argc, char **argv)
{
    const char *type = NULL;
    unsigned flags = 0;
    int first = 1;
    for (; first < argc; first++) {
        const char *a = argv[first];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            json_usage(stdout);
            return 0;
        } else if (strcmp(a, "--type") == 0 && first + 1 < argc) {
            type = argv[++first];
        } else if (strncmp(a, "--type=", 7) == 0) {
            type = a + 7;
        } else if (strcmp(a, "--strict") == 0) {
            flags |= TJ_READ_STRICT;
        } else if (strcmp(a, "--") == 0) {
            first++;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "chrononc json: unknown option '%s'\n", a);
            json_usage(stderr);
            return 2;
        } else {
            break;
        }
    }
    if (first >= argc) {
        fprintf(stderr, "chrononc json: no input files\n");
        json_usage(stderr);
        return 2;
    }
    const tj_struct_desc *desc = NULL;
    if (type) {
        desc = chronon_struct_by_name(type);
        if (!desc) {
            fprintf(stderr, "chrononc json: unknown type '%s'; one of:", type);
            for (size_t i = 0; i < chronon_struct_count; i++)
                fprintf(stderr, " %s", chronon_structs[i]->name);
            fprintf(stderr, "\n");
            return 2;
        }
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        const tj_struct_desc *d = desc ? desc : type_from_path(argv[i]);
        if (!d) {
            fprintf(stderr, "chrononc json: %s: cannot tell the config type from the path; use --type\n",
                    argv[i]);
            return 2;
        }
        if (convert(argv[i], d, flags) != 0)
            status = 1;
    }
    fflush(stdout);
    return status;
}
