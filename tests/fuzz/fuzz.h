/* The libFuzzer entry points every harness under tests/fuzz/ defines. Built
 * with clang's -fsanitize=fuzzer they are driven by libFuzzer; built with
 * replay_main.c (any compiler) they run the files given on the command line
 * once each: the regression tests and valgrind use that form. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A harness's own check failed (not a sanitizer's): say what, then abort,
 * which libFuzzer reports as a crash and saves the input. */
#define FUZZ_ASSERT(cond, ...)                                                  \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: fuzz check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
            abort();                                                            \
        }                                                                       \
    } while (0)

/* The repo's top folder (templates/, examples/), set at build time;
 * $FUZZ_SOURCE_DIR overrides it. */
#ifndef FUZZ_SOURCE_DIR
#define FUZZ_SOURCE_DIR "."
#endif
static inline const char *fuzz_source_dir(void)
{
    const char *d = getenv("FUZZ_SOURCE_DIR");
    return d && *d ? d : FUZZ_SOURCE_DIR;
}

#endif
