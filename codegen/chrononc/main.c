/* chrononc: the Chronon toolchain's command line. */
#include <stdio.h>
#include <string.h>

#include "chronon_c_version.h"
#include "commands.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"compile", cmd_compile, "compile a definitions repo into production/ configs (compile.py's job)"},
    {"check", cmd_check, "validate definitions as compile does, without writing anything"},
    {"import", cmd_import, "turn production JSON configs back into definition files"},
    {"eval", cmd_eval, "evaluate one definition file and print its objects' JSON"},
    {"build", cmd_build, "turn every compiled config into an executable (json, info, validate, run, analyze)"},
    {"json", cmd_json, "parse Chronon JSON configs and print their canonical bytes"},
    {"sql", cmd_sql, "run Spark SQL in an embedded JVM on a local warehouse and print the results"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: chrononc COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'chrononc COMMAND --help' for a command's options; 'chrononc [COMMAND] --version' for the\n"
                 "versions of chrononc and of what it is pinned to.\n");
}

static int print_version(void)
{
    fputs("chrononc " CHRONON_C_VERSION "\n" CHRONON_C_VERSION_DETAILS, stdout);
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return print_version();
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            /* `chrononc COMMAND --version`, the same for every command */
            return argc == 3 && strcmp(argv[2], "--version") == 0 ? print_version() : commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "chrononc: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
