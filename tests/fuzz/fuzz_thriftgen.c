/* Fuzz harness: thrift-cgen's reader of `thrift --gen json` output
 * (codegen/thriftgen/model.c), then the renderer with the real templates
 * (templates/types.h.tmpl, types.c.tmpl) over the model it builds: what
 * thrift-cgen does between idl_load and writing the files. Input: the JSON
 * document thrift writes for an IDL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "model.h"
#include "template.h"

/* The two templates, parsed once by LLVMFuzzerInitialize and only read after. */
static tmpl *templates[2];

static void free_templates(void)
{
    for (size_t i = 0; i < 2; i++)
        tmpl_free(templates[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const names[2] = {"types.h.tmpl", "types.c.tmpl"};
    for (size_t i = 0; i < 2; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/templates/%s", fuzz_source_dir(), names[i]);
        tmpl_error err;
        templates[i] = tmpl_load(path, &err);
        FUZZ_ASSERT(templates[i], "%s", err.message);
    }
    atexit(free_templates);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *idl = json_loadb((const char *)data, size, 0, NULL);
    if (!idl)
        return 0;
    model_options opt = {.prefix = "fz_", .name = "fuzz_api", .idl_path = "fuzz.thrift"};
    char err[1024] = "";
    json_t *context = model_build(idl, &opt, err, sizeof err);
    json_decref(idl);
    if (!context) {
        FUZZ_ASSERT(err[0], "model_build failed without a message");
        return 0;
    }
    for (size_t i = 0; i < 2; i++) {
        tmpl_error terr = {0};
        size_t len = 0;
        char *out = tmpl_render(templates[i], context, &len, &terr);
        /* the model promises every key the templates use: a model that builds renders */
        FUZZ_ASSERT(out, "a model that builds does not render: %s", terr.message);
        free(out);
    }
    json_decref(context);
    return 0;
}
