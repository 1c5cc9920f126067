/* Fuzz harness: the definition-file lexer and parser (codegen/dsl/lexer.l,
 * parser.y), then what is printed from their result: every diagnostic with
 * its source line and caret (diag.c), and the tree (ast_dump) when the file
 * parsed. Input: the bytes of one definition file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    source_file *f = source_file_new("group_bys/team/fuzz.py", text, size);
    if (!f)
        return 0;
    FILE *sink = fopen("/dev/null", "w");
    FUZZ_ASSERT(sink, "cannot open /dev/null");
    arena a;
    arena_init(&a);
    diag_set d;
    diag_init(&d);
    module_ast *m = parse_module(f, &a, &d);
    /* both printers, colored on odd sizes: the input decides, so a crash replays */
    diag_print(&d, sink, size % 2 == 1);
    if (m && d.errors == 0)
        ast_dump(m, sink);
    diag_free(&d);
    arena_free(&a);
    source_file_free(f);
    fclose(sink);
    return 0;
}
