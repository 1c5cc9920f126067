/* cexe_main: the command line of a per-config executable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chronon_c_version.h"
#include "chronon_runtime.h"
#include "exe_internal.h"

typedef struct prog {
    const cexe_config *cfg;
    const char *argv0;
    char *path; /* cfg->path as a C string */
} prog;

static void usage(const prog *p, FILE *out)
{
    bool sq = p->cfg->kind == CEXE_STAGING_QUERY;
    fprintf(out,
            "usage: %s COMMAND [OPTIONS]\n"
            "\n"
            "One compiled Chronon %s (%s), built by `chrononc build`.\n"
            "\n"
            "commands:\n"
            "  json        print the embedded config, byte for byte the compiled file\n"
            "  info        name, kind, team, output table, source tables, dependencies\n"
            "  validate    parse the config strictly into the C types, then through\n"
            "              PySparkUtils.parse%s when a JVM and Chronon's jar are there\n"
            "                [--static] skip the JVM part   [--require-jvm] fail without it\n"
            "  --version   chronon-c's version, the Chronon API it follows, and the Chronon\n"
            "              engine jar and Spark it was tested with\n"
            "  run         run it with Spark, as Chronon's PySpark interface does:\n",
            p->argv0, cexe_kind_name(p->cfg->kind), p->path, cexe_kind_name(p->cfg->kind));
    if (sq)
        fprintf(out,
                "                [--end-date D] [--step-days N] [--enable-auto-expand|--no-auto-expand]\n"
                "                [--override-start-partition D] [--skip-first-hole|--no-skip-first-hole]\n");
    else
        fprintf(out, "                [--start-date D] [--end-date D] [--step-days N] [--no-upstream]%s\n",
                p->cfg->kind == CEXE_JOIN ? " [--skip-first-hole]" : "");
    fprintf(out,
            "                [--show N] [--output FILE.csv|FILE.jsonl]\n"
            "                [--name-prefix P|--no-name-prefix] [--output-namespace NS] [--dry-run]\n"
            "              --show prints the first N rows (default 20) as Spark's show();\n"
            "              --output writes every row: CSV (RFC 4180 quoting) for .csv, else\n"
            "              JSON lines; arrays, maps and structs as JSON\n");
    if (!sq)
        fprintf(out, "  analyze     Chronon's analysis on stdout: timestamp checks, key and output\n"
                     "              schemas, heavy hitters with --enable-hitter-analysis; exit 1\n"
                     "              when the range has no rows\n"
                     "                [--start-date D] [--end-date D] [--enable-hitter-analysis] [--dry-run]\n"
                     "                [--name-prefix P|--no-name-prefix] [--output-namespace NS]\n");
    fprintf(out,
            "\n"
            "JVM options (validate, run%s):\n"
            "  --java-home DIR  --jars JARS  --master URL  --conf K=V  --warehouse DIR\n"
            "  --log-file FILE  --quiet\n"
            "\n"
            "Dates are YYYYMMDD (YYYY-MM-DD is kept as such). Defaults as in PySpark's\n"
            "interface: start = today - 8 days, end = today - 1 day (CHRONON_TODAY=YYYYMMDD\n"
            "fixes today). --dry-run prints the edited config and the planned calls, and\n"
            "starts no JVM. The name prefix defaults to the user name (%s).\n"
            "Exit status: 0 ok, 1 failure, 2 usage, 130 interrupted (Ctrl-C), 143 terminated\n"
            "(SIGTERM); both cancel the running Spark jobs first.\n",
            sq ? "" : ", analyze", cexe_user_prefix());
}

static int usage_error(const prog *p, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", p->argv0);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun '%s --help' for the options.\n", p->argv0);
    return 2;
}

/* --name VALUE or --name=VALUE. Returns 1 matched (value in *val), 0 not this
 * option, -1 matched without a value. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

static bool parse_long(const char *s, long *out)
{
    char *end;
    if (!s || !*s)
        return false;
    long v = strtol(s, &end, 10);
    if (*end)
        return false;
    *out = v;
    return true;
}

/* The JVM options; 1 matched, 0 not one, -1 missing value / no memory. */
static int jvm_option(int argc, char **argv, int *i, cexe_jvm_opts *jo)
{
    static const char *names[] = {"--java-home", "--jars", "--master", "--warehouse", "--log-file"};
    const char **slots[] = {&jo->java_home, &jo->jars, &jo->master, &jo->warehouse, &jo->log_file};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        int r = opt_value(argc, argv, i, names[k], slots[k]);
        if (r)
            return r;
    }
    const char *kv;
    int r = opt_value(argc, argv, i, "--conf", &kv);
    if (r == 1) {
        if (!strchr(kv, '='))
            return -1;
        const char **grown = realloc(jo->conf, (jo->nconf + 2) * sizeof *grown);
        if (!grown)
            return -1;
        jo->conf = grown;
        jo->conf[jo->nconf++] = kv;
        jo->conf[jo->nconf] = NULL;
        return 1;
    }
    if (r)
        return r;
    if (strcmp(argv[*i], "--quiet") == 0) {
        jo->quiet = true;
        return 1;
    }
    return 0;
}

static int cmd_json(const prog *p)
{
    size_t n = fwrite(p->cfg->json, 1, p->cfg->json_len, stdout);
    if (n != p->cfg->json_len || fflush(stdout) != 0) {
        fprintf(stderr, "%s: json: cannot write standard output\n", p->argv0);
        return 1;
    }
    return 0;
}

static bool parse_embedded(const prog *p, cexe_conf *c, unsigned flags)
{
    tj_error err;
    if (cexe_conf_parse(c, p->cfg->kind, (const char *)p->cfg->json, p->cfg->json_len, flags, &err))
        return true;
    if (err.status == TJ_ERR_SYNTAX)
        fprintf(stderr, "%s:%d:%d: error: %s\n", p->path, err.line, err.column, err.message);
    else
        fprintf(stderr, "%s: error: %s: %s\n", p->path, err.path[0] ? err.path : "$", err.message);
    return false;
}

/* Append s (owned) to a list of distinct strings; frees s if already there. */
static bool add_distinct(char ***list, size_t *n, char *s)
{
    if (!s)
        return true;
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], s) == 0) {
            free(s);
            return true;
        }
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown) {
        free(s);
        return false;
    }
    *list = grown;
    (*list)[(*n)++] = s;
    return true;
}

static void add_group_by_sources(char ***list, size_t *n, const chronon_GroupBy *gb)
{
    if (!gb || !gb->has_sources)
        return;
    for (size_t i = 0; i < gb->sources.len; i++)
        add_distinct(list, n, cexe_source_table(&gb->sources.items[i]));
}

static void print_list(const char *title, char **items, size_t n)
{
    printf("%s:\n", title);
    for (size_t i = 0; i < n; i++)
        printf("  %s\n", items[i]);
}

static int cmd_info(const prog *p)
{
    cexe_conf c;
    if (!parse_embedded(p, &c, 0))
        return 1;
    chronon_MetaData *md = cexe_meta(&c);
    /* team: metaData.team, else the folder the config was compiled into */
    char team_from_path[256] = "";
    const char *slash = strchr(p->path, '/');
    if (slash) {
        size_t n = strcspn(slash + 1, "/");
        if (n < sizeof team_from_path) {
            memcpy(team_from_path, slash + 1, n);
            team_from_path[n] = '\0';
        }
    }
    char **sources = NULL;
    size_t nsources = 0;
    switch (c.kind) {
    case CEXE_GROUP_BY:
        add_group_by_sources(&sources, &nsources, &c.u.gb);
        break;
    case CEXE_JOIN:
        if (c.u.join.left)
            add_distinct(&sources, &nsources, cexe_source_table(c.u.join.left));
        if (c.u.join.has_joinParts)
            for (size_t i = 0; i < c.u.join.joinParts.len; i++)
                add_group_by_sources(&sources, &nsources, c.u.join.joinParts.items[i].groupBy);
        if (c.u.join.has_bootstrapParts)
            for (size_t i = 0; i < c.u.join.bootstrapParts.len; i++)
                if (c.u.join.bootstrapParts.items[i].table)
                    add_distinct(&sources, &nsources, strdup(c.u.join.bootstrapParts.items[i].table));
        if (c.u.join.labelPart && c.u.join.labelPart->has_labels)
            for (size_t i = 0; i < c.u.join.labelPart->labels.len; i++)
                add_group_by_sources(&sources, &nsources, c.u.join.labelPart->labels.items[i].groupBy);
        break;
    case CEXE_STAGING_QUERY:
        break; /* its tables are inside SQL; dependencies name them */
    }
    char *table = cexe_output_table(md);
    printf("name: %s\n", md && md->name ? md->name : "");
    printf("kind: %s\n", cexe_kind_name(c.kind));
    printf("team: %s\n", md && md->team ? md->team : team_from_path);
    printf("output_table: %s\n", table ? table : "");
    print_list("sources", sources, nsources);
    print_list("dependencies", md && md->has_dependencies ? md->dependencies.items : NULL,
               md && md->has_dependencies ? md->dependencies.len : 0);
    free(table);
    for (size_t i = 0; i < nsources; i++)
        free(sources[i]);
    free(sources);
    cexe_conf_free(&c);
    return 0;
}

static int cmd_validate(const prog *p, int argc, char **argv)
{
    bool static_only = false, require = false;
    cexe_jvm_opts jo = {0};
    int status = 2;
    for (int i = 1; i < argc; i++) {
        int r = jvm_option(argc, argv, &i, &jo);
        if (r < 0) {
            status = usage_error(p, "validate: %s needs a value (K=V for --conf)", argv[i]);
            goto done;
        }
        if (r)
            continue;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(p, stdout);
            status = 0;
            goto done;
        } else if (strcmp(argv[i], "--static") == 0)
            static_only = true;
        else if (strcmp(argv[i], "--require-jvm") == 0)
            require = true;
        else {
            status = usage_error(p, "validate: unknown option '%s'", argv[i]);
            goto done;
        }
    }
    cexe_conf c;
    if (!parse_embedded(p, &c, TJ_READ_STRICT)) {
        status = 1;
        goto done;
    }
    chronon_MetaData *md = cexe_meta(&c);
    if (!md || !md->name || !*md->name) {
        fprintf(stderr, "%s: error: $.metaData.name: missing (Chronon names every config)\n", p->path);
        cexe_conf_free(&c);
        status = 1;
        goto done;
    }
    /* Canonical form is not required (Chronon reads any valid JSON), only noted. */
    tj_error err;
    size_t len;
    char *canon = cexe_conf_to_json(&c, &len, &err);
    if (!canon) {
        fprintf(stderr, "%s: error: %s: %s\n", p->path, err.path[0] ? err.path : "$", err.message);
        cexe_conf_free(&c);
        status = 1;
        goto done;
    }
    bool canonical = len == p->cfg->json_len && memcmp(canon, p->cfg->json, len) == 0;
    free(canon);
    printf("static: ok: %s %s parses strictly into chronon_%s%s\n", cexe_kind_name(c.kind), md->name,
           cexe_kind_name(c.kind), canonical ? "" : " (not in canonical form: `chrononc json` would rewrite it)");
    cexe_conf_free(&c);
    fflush(stdout);
    if (static_only) {
        printf("jvm: not checked (--static)\n");
        status = 0;
    } else {
        status = cexe_validate_jvm(p->cfg, &jo, require);
    }
done:
    free(jo.conf);
    return status;
}

static int cmd_run(const prog *p, int argc, char **argv, bool analyze)
{
    const char *cmd = analyze ? "analyze" : "run";
    bool sq = p->cfg->kind == CEXE_STAGING_QUERY;
    if (analyze && sq)
        return usage_error(p, "analyze: %s", "a StagingQuery has no analyze (PySparkUtils has none for it)");
    cexe_run_opts ro = {.step_days = 0, .skip_first_hole = -1, .show = 20, .enable_auto_expand = -1};
    cexe_jvm_opts jo = {0};
    int status = 2;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r = jvm_option(argc, argv, &i, &jo);
        if (r < 0) {
            status = usage_error(p, "%s needs a value (K=V for --conf)", argv[i]);
            goto done;
        }
        if (r)
            continue;
        const char *a = argv[i];
        /* options taking a value */
        struct {
            const char *name;
            const char **slot;
            bool allowed;
        } vopts[] = {
            {"--start-date", &ro.start_date, !sq},
            {"--end-date", &ro.end_date, true},
            {"--output", &ro.output, !analyze},
            {"--name-prefix", &ro.name_prefix, true},
            {"--output-namespace", &ro.output_namespace, true},
            {"--override-start-partition", &ro.override_start_partition, sq && !analyze},
        };
        bool matched = false;
        for (size_t k = 0; k < sizeof vopts / sizeof vopts[0] && !matched; k++) {
            r = opt_value(argc, argv, &i, vopts[k].name, &v);
            if (r == 0)
                continue;
            matched = true;
            if (!vopts[k].allowed) {
                status = usage_error(p, "option %s does not apply here", vopts[k].name);
                goto done;
            }
            if (r < 0 || !*v) {
                status = usage_error(p, "%s needs a value", vopts[k].name);
                goto done;
            }
            *vopts[k].slot = v;
        }
        if (matched)
            continue;
        struct {
            const char *name;
            long *slot;
            long min;
            bool allowed;
        } nopts[] = {
            {"--step-days", &ro.step_days, 1, !analyze},
            {"--show", &ro.show, 0, !analyze},
        };
        for (size_t k = 0; k < sizeof nopts / sizeof nopts[0] && !matched; k++) {
            r = opt_value(argc, argv, &i, nopts[k].name, &v);
            if (r == 0)
                continue;
            matched = true;
            long n;
            if (!nopts[k].allowed) {
                status = usage_error(p, "option %s does not apply here", nopts[k].name);
                goto done;
            }
            if (r < 0 || !parse_long(v, &n) || n < nopts[k].min || n > 1000000000L) {
                status = usage_error(p, "%s needs a whole number", nopts[k].name);
                goto done;
            }
            *nopts[k].slot = n;
        }
        if (matched)
            continue;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(p, stdout);
            status = 0;
            goto done;
        } else if (strcmp(a, "--dry-run") == 0)
            ro.dry_run = true;
        else if (strcmp(a, "--no-name-prefix") == 0)
            ro.no_name_prefix = true;
        else if (strcmp(a, "--no-upstream") == 0 && !sq && !analyze)
            ro.no_upstream = true;
        else if (strcmp(a, "--skip-first-hole") == 0 && !analyze && p->cfg->kind != CEXE_GROUP_BY)
            ro.skip_first_hole = 1;
        else if (strcmp(a, "--no-skip-first-hole") == 0 && !analyze && p->cfg->kind != CEXE_GROUP_BY)
            ro.skip_first_hole = 0;
        else if (strcmp(a, "--enable-auto-expand") == 0 && sq && !analyze)
            ro.enable_auto_expand = 1;
        else if (strcmp(a, "--no-auto-expand") == 0 && sq && !analyze)
            ro.enable_auto_expand = 0;
        else if (strcmp(a, "--enable-hitter-analysis") == 0 && analyze)
            ro.enable_hitter_analysis = true;
        else {
            status = usage_error(p, strncmp(a, "--", 2) == 0 ? "unknown option '%s' (see --help)"
                                                             : "unexpected argument '%s'",
                                 a);
            goto done;
        }
    }
    if (ro.name_prefix && ro.no_name_prefix) {
        status = usage_error(p, "%s", "--name-prefix and --no-name-prefix exclude each other");
        goto done;
    }
    const char *dates[] = {ro.start_date, ro.end_date, ro.override_start_partition};
    const char *dnames[] = {"--start-date", "--end-date", "--override-start-partition"};
    for (size_t k = 0; k < 3; k++) {
        cexe_date d;
        if (dates[k] && !cexe_date_parse(dates[k], &d)) {
            fprintf(stderr, "%s: %s: %s '%s' is not a date (YYYYMMDD)\n", p->argv0, cmd, dnames[k], dates[k]);
            status = 2;
            goto done;
        }
    }
    cexe_conf c;
    if (!parse_embedded(p, &c, 0)) {
        status = 1;
        goto done;
    }
    status = cexe_run(p->cfg, &c, &ro, &jo, analyze);
    cexe_conf_free(&c);
done:
    free(jo.conf);
    return status;
}

int cexe_main(const cexe_config *config, int argc, char **argv)
{
    prog p = {.cfg = config, .argv0 = argc > 0 ? argv[0] : "chronon-config"};
    const char *slash = strrchr(p.argv0, '/');
    if (slash && slash[1])
        p.argv0 = slash + 1;
    p.path = malloc(config->path_len + 1);
    if (!p.path) {
        fprintf(stderr, "%s: out of memory\n", p.argv0);
        return 1;
    }
    memcpy(p.path, config->path, config->path_len);
    p.path[config->path_len] = '\0';
    int status;
    if (argc < 2) {
        usage(&p, stderr);
        status = 2;
    } else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(&p, stdout);
        status = 0;
    } else if (strcmp(argv[1], "--version") == 0) {
        if (argc > 2)
            status = usage_error(&p, "unexpected argument '%s'", argv[2]);
        else {
            printf("%s (%s): built by chrononc build, chronon-c " CHRONON_C_VERSION "\n" CHRONON_C_VERSION_DETAILS,
                   p.argv0, p.path);
            status = 0;
        }
    } else if (strcmp(argv[1], "json") == 0 || strcmp(argv[1], "info") == 0) {
        if (argc > 2)
            status = usage_error(&p, "unexpected argument '%s'", argv[2]);
        else
            status = argv[1][0] == 'j' ? cmd_json(&p) : cmd_info(&p);
    } else if (strcmp(argv[1], "validate") == 0) {
        status = cmd_validate(&p, argc - 1, argv + 1);
    } else if (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "analyze") == 0) {
        status = cmd_run(&p, argc - 1, argv + 1, argv[1][0] == 'a');
    } else {
        status = usage_error(&p, "unknown command '%s'", argv[1]);
    }
    if (fflush(stdout) != 0 && status == 0) {
        fprintf(stderr, "%s: cannot write standard output\n", p.argv0);
        status = 1;
    }
    free(p.path);
    /* through the JVM when one was started: its shutdown hooks run and its
     * class-data cache is written; without one this just returns status */
    return crt_exit(status);
}
