/* chrononc's subcommands. Each takes the arguments after its name and returns
 * the process exit status: 0 ok, 1 errors in the input, 2 usage. */
#ifndef CHRONONC_COMMANDS_H
#define CHRONONC_COMMANDS_H

int cmd_json(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_sql(int argc, char **argv);
int cmd_build(int argc, char **argv);

#endif
