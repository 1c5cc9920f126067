/* Fuzz harness: the Chronon JSON reader (runtime/tjson_read.c) and writer.
 * The input is read as a GroupBy, a Join and a StagingQuery, each leniently
 * (unknown fields ignored, as Chronon does) and strictly (TJ_READ_STRICT).
 * Whatever reads is written back, read again and written again: the two
 * writes must be byte for byte equal and the two structs tj_equal, and a
 * tj_copy must equal its original. An error must carry a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronon_api.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void round_trip(const tj_struct_desc *desc, unsigned flags, const char *text, size_t len)
{
    void *first = calloc(1, desc->size);
    FUZZ_ASSERT(first, "out of memory");
    tj_error err;
    tj_status st = tj_from_json(desc, first, text, len, flags, &err);
    if (st != TJ_OK) {
        FUZZ_ASSERT(err.status == st && err.message[0], "%s: error %d without a message", desc->name, st);
        char buf[1200];
        tj_error_format(&err, buf, sizeof buf);
        free(first);
        return;
    }
    size_t len1 = 0;
    char *json1 = tj_to_json(desc, first, &len1, &err);
    if (!json1) {
        /* unwritable (a required field unset, a non-finite double, ...): reported, not a bug */
        FUZZ_ASSERT(err.message[0], "%s: write failed without a message", desc->name);
    } else {
        FUZZ_ASSERT(strlen(json1) == len1, "%s: written length %zu, string length %zu", desc->name, len1,
                    strlen(json1));
        void *second = calloc(1, desc->size);
        FUZZ_ASSERT(second, "out of memory");
        st = tj_from_json(desc, second, json1, len1, flags, &err);
        FUZZ_ASSERT(st == TJ_OK, "%s: what was written does not read back (%s: %s):\n%s", desc->name, err.path,
                    err.message, json1);
        size_t len2 = 0;
        char *json2 = tj_to_json(desc, second, &len2, &err);
        FUZZ_ASSERT(json2, "%s: the re-read struct does not write (%s: %s)", desc->name, err.path, err.message);
        FUZZ_ASSERT(len1 == len2 && memcmp(json1, json2, len1) == 0, "%s: the two writes differ:\n%s\n----\n%s",
                    desc->name, json1, json2);
        FUZZ_ASSERT(tj_equal(desc, first, second), "%s: equal JSON, structs not tj_equal", desc->name);
        free(json2);
        tj_free(desc, second);
        free(second);
        free(json1);
    }
    void *copy = calloc(1, desc->size);
    FUZZ_ASSERT(copy, "out of memory");
    if (tj_copy(desc, copy, first) == TJ_OK) {
        FUZZ_ASSERT(tj_equal(desc, first, copy), "%s: a copy is not tj_equal to its original", desc->name);
        tj_free(desc, copy);
    }
    free(copy);
    tj_free(desc, first);
    free(first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const tj_struct_desc *const descs[] = {&chronon_GroupBy_desc, &chronon_Join_desc, &chronon_StagingQuery_desc};
    for (size_t i = 0; i < sizeof descs / sizeof *descs; i++) {
        round_trip(descs[i], 0, (const char *)data, size);
        round_trip(descs[i], TJ_READ_STRICT, (const char *)data, size);
    }
    return 0;
}
