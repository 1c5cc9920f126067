/*
 * thrift-cgen: C types and reflection tables for a Thrift IDL.
 *
 *   thrift-cgen --prefix P --templates DIR --out DIR --name NAME IDL
 *
 * writes OUT/NAME.h and OUT/NAME.c from DIR/types.h.tmpl and DIR/types.c.tmpl
 * (see docs/generated-c.md). Both outputs are rendered before either is
 * written, and each is replaced atomically, so a failure leaves the previous
 * files as they were. Exit status: 0 done, 1 error, 2 bad usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>

#include "atomic_write.h"
#include "model.h"
#include "run_thrift.h"
#include "template.h"

#define USAGE "usage: thrift-cgen --prefix P --templates DIR --out DIR --name NAME IDL\n"

typedef struct options {
    const char *prefix, *templates, *out, *name, *idl;
} options;

/* The generated pair, from one template each. */
static const struct {
    const char *template_name;
    const char *extension;
} outputs[] = {
    {"types.h.tmpl", ".h"},
    {"types.c.tmpl", ".c"},
};
#define N_OUTPUTS (sizeof outputs / sizeof outputs[0])

static int usage_error(const char *fmt, const char *arg)
{
    fputs("thrift-cgen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n" USAGE, stderr);
    return 2;
}

static int report(const char *file, const char *message)
{
    fprintf(stderr, "thrift-cgen: %s: %s\n", file, message);
    return 1;
}

static bool valid_prefix(const char *s)
{
    if (*s >= '0' && *s <= '9')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* NAME becomes two file names and an include guard */
static bool valid_name(const char *s)
{
    if (!*s || *s == '.' || *s == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

static int parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = strcmp(arg, "--prefix") == 0      ? &o->prefix
                            : strcmp(arg, "--templates") == 0 ? &o->templates
                            : strcmp(arg, "--out") == 0       ? &o->out
                            : strcmp(arg, "--name") == 0      ? &o->name
                                                              : NULL;
        if (slot) {
            if (i + 1 == argc)
                return usage_error("%s needs a value", arg);
            *slot = argv[++i];
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return usage_error("unknown option %s", arg);
        } else if (o->idl) {
            return usage_error("more than one IDL file given (%s)", arg);
        } else {
            o->idl = arg;
        }
    }
    if (!o->prefix)
        return usage_error("%s is missing", "--prefix");
    if (!o->templates)
        return usage_error("%s is missing", "--templates");
    if (!o->out)
        return usage_error("%s is missing", "--out");
    if (!o->name)
        return usage_error("%s is missing", "--name");
    if (!o->idl)
        return usage_error("%s", "no IDL file given");
    if (!valid_prefix(o->prefix))
        return usage_error("--prefix %s is not the start of a C identifier", o->prefix);
    if (!valid_name(o->name))
        return usage_error("--name %s is not a plain file name (letters, digits, _ - .)", o->name);
    return -1;
}

static bool ensure_dir(const char *dir, char *err, size_t errsize)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return true;
        snprintf(err, errsize, "%s", strerror(ENOTDIR));
        return false;
    }
    if (errno == ENOENT && mkdir(dir, 0777) == 0)
        return true;
    snprintf(err, errsize, "%s", strerror(errno));
    return false;
}

static int generate(const options *o)
{
    char err[2048];
    char path[4096];
    int status = 0;
    char *text[N_OUTPUTS] = {0};
    size_t len[N_OUTPUTS] = {0};
    json_t *context = NULL;

    json_t *idl = idl_load(o->idl, err, sizeof err);
    if (!idl)
        return report(o->idl, err);
    model_options mo = {.prefix = o->prefix, .name = o->name, .idl_path = o->idl};
    context = model_build(idl, &mo, err, sizeof err);
    json_decref(idl);
    if (!context)
        return report(o->idl, err);

    for (size_t i = 0; i < N_OUTPUTS && status == 0; i++) {
        snprintf(path, sizeof path, "%s/%s", o->templates, outputs[i].template_name);
        tmpl_error terr;
        tmpl *t = tmpl_load(path, &terr);
        if (t)
            text[i] = tmpl_render(t, context, &len[i], &terr);
        tmpl_free(t);
        if (!text[i]) {
            /* the message already starts with the template's path */
            fprintf(stderr, "thrift-cgen: %s\n", terr.message);
            status = 1;
        }
    }
    if (status == 0 && !ensure_dir(o->out, err, sizeof err))
        status = report(o->out, err);
    for (size_t i = 0; i < N_OUTPUTS && status == 0; i++) {
        snprintf(path, sizeof path, "%s/%s%s", o->out, o->name, outputs[i].extension);
        if (!atomic_write(path, text[i], len[i], 0, err, sizeof err))
            status = report(path, err);
    }
    for (size_t i = 0; i < N_OUTPUTS; i++)
        free(text[i]);
    json_decref(context);
    return status;
}

int main(int argc, char **argv)
{
    options o = {0};
    if (argc == 1) {
        fputs(USAGE, stderr);
        return 2;
    }
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    return generate(&o);
}
