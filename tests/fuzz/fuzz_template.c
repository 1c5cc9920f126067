/* Fuzz harness: the template renderer (codegen/common/template.c). The input
 * is a template, optionally followed by a NUL byte and a JSON context; when
 * there is none (or it is not JSON) a fixed context with every kind of value
 * is used. The template is parsed, then rendered; a failure must say where
 * or what, a success must give a string of the length it reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "template.h"

static const char default_context[] =
    "{\"name\": \"Window\", \"c_name\": \"chronon_Window\", \"n\": 3, \"zero\": 0, \"real\": 1.5,"
    " \"yes\": true, \"no\": false, \"nothing\": null, \"empty\": \"\", \"none\": [],"
    " \"fields\": [{\"name\": \"length\", \"id\": 1, \"doc\": {\"lines\": [{\"text\": \"a\"}, {\"text\": \"\"}]}},"
    "              {\"name\": \"timeUnit\", \"id\": 2, \"doc\": null, \"fields\": [{\"name\": \"inner\"}]}],"
    " \"doc\": {\"lines\": [{\"text\": \"top\"}]}, \"obj\": {\"name\": \"inner\", \"obj\": {\"deep\": \"d\"}}}";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(data, '\0', size);
    size_t tlen = nul ? (size_t)(nul - text) : size;
    json_t *context = nul ? json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL) : NULL;
    if (!context)
        context = json_loads(default_context, 0, NULL);
    FUZZ_ASSERT(context, "the default context does not parse");
    tmpl_error err = {0};
    tmpl *t = tmpl_parse("fuzz.tmpl", text, tlen, &err);
    if (!t) {
        FUZZ_ASSERT(err.message[0], "parse failed without a message");
    } else {
        size_t len = 0;
        char *out = tmpl_render(t, context, &len, &err);
        if (out) {
            FUZZ_ASSERT(strlen(out) <= len, "rendered %zu bytes, string of %zu", len, strlen(out));
            free(out);
        } else {
            FUZZ_ASSERT(err.message[0], "render failed without a message");
        }
        tmpl_free(t);
    }
    json_decref(context);
    return 0;
}
