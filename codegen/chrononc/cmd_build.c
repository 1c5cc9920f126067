/* chrononc build: one executable per compiled config.
 *
 * Every file <root>/<output_root>/{group_bys,joins,staging_queries}/<team>/<name>
 * becomes <out>/<kind folder>/<team>/<name>: templates/config_main.c.tmpl is
 * rendered into a C stub holding the config's bytes as a byte array, and the
 * system C compiler compiles and links it against the exe kit:
 *
 *   <kit>/include/chronon_exe.h       the one header a stub includes
 *   <kit>/lib/libchronon_exe.a        runtime/exe + generated/chronon_api.o
 *   <kit>/lib/libchronon_runtime.a    runtime/jvm (JNI; libjvm is dlopen'd)
 *   <kit>/lib/libtjson.a              the tjson runtime
 *   <kit>/config_main.c.tmpl          the stub template
 *   <kit>/build.conf                  cc=, cflags=, ldlibs= (how the kit was built)
 *
 * The Makefile installs the kit next to chrononc ($(BUILD)/exe-kit), where
 * chrononc finds it by default; --kit or CHRONONC_EXE_KIT name another one.
 *
 * Incremental: a config is skipped when its executable is newer than the
 * config and every file of the kit. Compilers run in parallel (-j, default the
 * number of processors); each links to a temporary file in the target's
 * folder that is renamed over the executable only when cc succeeded. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic_write.h"
#include "make_dirs.h"
#include "commands.h"
#include "read_file.h"
#include "str_printf.h"
#include "template.h"

static const struct {
    const char *folder;
    const char *kind_enum;
} kinds[] = {
    {"group_bys", "CEXE_GROUP_BY"},
    {"joins", "CEXE_JOIN"},
    {"staging_queries", "CEXE_STAGING_QUERY"},
};

typedef struct job {
    char *rel;     /* <folder>/<team>/<name> */
    char *json;    /* the config's path */
    char *target;  /* the executable */
    char *stub;    /* the rendered C */
    char *log;     /* cc's output */
    char *tmp;     /* the executable being linked */
    size_t kind;
    pid_t pid;
} job;

typedef struct strv {
    char **v;
    size_t n;
} strv;

typedef struct build {
    const char *root, *output_root, *out, *kit, *cc_override;
    char *kit_owned, *out_owned;
    long jobs;
    bool force, verbose;
    strv cc_argv;         /* cc and cflags from build.conf */
    strv ldlibs;
    struct timespec kit_time; /* newest file of the kit */
    tmpl *stub;
    job *jobs_v;
    size_t njobs;
} build;

static void build_usage(FILE *out)
{
    fprintf(out,
            "usage: chrononc build [--chronon_root DIR] [--output_root DIR] [--out DIR] [-j N]\n"
            "                      [--kit DIR] [--cc CC] [--force] [-v]\n"
            "\n"
            "Turn every compiled config under <root>/<output_root>/{group_bys,joins,\n"
            "staging_queries}/<team>/<name> into an executable <out>/<kind>/<team>/<name>\n"
            "with the subcommands json, info, validate, run and analyze (run one with --help).\n"
            "\n"
            "  --chronon_root DIR  the definitions repo (default: .)\n"
            "  --output_root DIR   where compile wrote the configs, under the root (default: production)\n"
            "  --out DIR           where the executables go (default: <root>/build)\n"
            "  -j N                compilers to run at once (default: the number of processors)\n"
            "  --kit DIR           the exe kit: headers, libraries, template (default: exe-kit\n"
            "                      next to chrononc, or $CHRONONC_EXE_KIT)\n"
            "  --cc CC             the C compiler (default: the one the kit was built with)\n"
            "  --force             rebuild every executable, even the up-to-date ones\n"
            "  -v                  print each compiler command\n"
            "\n"
            "A config is rebuilt only when its executable is older than it or than the kit.\n"
            "Exit status: 0 ok, 1 a config failed to build, 2 usage.\n");
}


static bool strv_push(strv *a, const char *s)
{
    char **grown = realloc(a->v, (a->n + 2) * sizeof *grown);
    if (!grown)
        return false;
    a->v = grown;
    if (!(a->v[a->n] = strdup(s)))
        return false;
    a->n++;
    a->v[a->n] = NULL;
    return true;
}

static bool strv_split(strv *a, const char *words)
{
    const char *p = words;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \t");
        char *w = strndup(p, n);
        bool ok = w && strv_push(a, w);
        free(w);
        if (!ok)
            return false;
        p += n;
    }
    return true;
}

static void strv_free(strv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

static bool newer(struct timespec a, struct timespec b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

/* The kit's default place: exe-kit beside the chrononc binary. */
static char *default_kit(void)
{
    const char *env = getenv("CHRONONC_EXE_KIT");
    if (env && *env)
        return strdup(env);
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return str_printf("%s/exe-kit", self);
}

static bool kit_file_time(build *b, const char *rel, char *err, size_t errsize)
{
    char *path = str_printf("%s/%s", b->kit, rel);
    struct stat st;
    bool ok = path && stat(path, &st) == 0;
    if (!ok)
        snprintf(err, errsize, "%s/%s: %s", b->kit, rel, strerror(errno));
    else if (newer(st.st_mtim, b->kit_time))
        b->kit_time = st.st_mtim;
    free(path);
    return ok;
}

static const char *const kit_files[] = {
    "include/chronon_exe.h", "lib/libchronon_exe.a", "lib/libchronon_runtime.a",
    "lib/libtjson.a",        "config_main.c.tmpl",   "build.conf",
};

/* Read build.conf and check the kit is whole. */
static bool load_kit(build *b, char *err, size_t errsize)
{
    for (size_t i = 0; i < sizeof kit_files / sizeof kit_files[0]; i++)
        if (!kit_file_time(b, kit_files[i], err, errsize))
            return false;
    char *conf_path = str_printf("%s/build.conf", b->kit);
    char why[256];
    size_t len;
    char *text = conf_path ? read_file(conf_path, &len, why, sizeof why) : NULL;
    if (!text) {
        snprintf(err, errsize, "%s: %s", conf_path ? conf_path : b->kit, conf_path ? why : "out of memory");
        free(conf_path);
        return false;
    }
    free(conf_path);
    char *cc = NULL, *cflags = NULL, *ldlibs = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "cc=", 3) == 0)
            cc = line + 3;
        else if (strncmp(line, "cflags=", 7) == 0)
            cflags = line + 7;
        else if (strncmp(line, "ldlibs=", 7) == 0)
            ldlibs = line + 7;
    }
    if (b->cc_override)
        cc = (char *)b->cc_override;
    bool ok = true;
    if (!cc || !*cc)
        ok = strv_split(&b->cc_argv, "cc");
    else
        ok = strv_split(&b->cc_argv, cc);
    ok = ok && strv_split(&b->cc_argv, cflags ? cflags : "");
    ok = ok && strv_split(&b->ldlibs, ldlibs ? ldlibs : "-ljansson -lm");
    free(text);
    if (!ok)
        snprintf(err, errsize, "out of memory");
    return ok;
}

/* "123,34,..." rows of 20 bytes for the template. */
static json_t *byte_rows(const unsigned char *data, size_t len)
{
    json_t *rows = json_array();
    char line[20 * 4 + 1];
    for (size_t i = 0; rows && i < len; i += 20) {
        size_t n = 0;
        for (size_t k = i; k < len && k < i + 20; k++)
            n += (size_t)snprintf(line + n, sizeof line - n, "%u,", data[k]);
        if (json_array_append_new(rows, json_string(line)) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

static char *render_stub(build *b, job *j, const char *json, size_t len, char *err, size_t errsize)
{
    char *safe = strdup(j->rel);
    if (!safe) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    for (char *p = safe; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-' || c == '/'))
            *p = '_';
    }
    json_t *ctx = json_pack("{s:s, s:I, s:o, s:I, s:o, s:s}", "kind_enum", kinds[j->kind].kind_enum, "json_len",
                            (json_int_t)len, "json_rows", byte_rows((const unsigned char *)json, len), "path_len",
                            (json_int_t)strlen(j->rel), "path_rows",
                            byte_rows((const unsigned char *)j->rel, strlen(j->rel)), "safe_path", safe);
    free(safe);
    if (!ctx) {
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    tmpl_error terr;
    size_t out_len;
    char *text = tmpl_render(b->stub, ctx, &out_len, &terr);
    json_decref(ctx);
    if (!text)
        snprintf(err, errsize, "%s", terr.message);
    return text;
}

static void job_free(job *j)
{
    free(j->rel);
    free(j->json);
    free(j->target);
    free(j->stub);
    free(j->log);
    free(j->tmp);
}

/* Collect the configs of one kind folder, sorted. */
static bool scan_kind(build *b, size_t kind, char *err, size_t errsize)
{
    char *dir = str_printf("%s/%s/%s", b->root, b->output_root, kinds[kind].folder);
    if (!dir)
        return false;
    struct dirent **teams = NULL;
    int nteams = scandir(dir, &teams, NULL, alphasort);
    if (nteams < 0) {
        bool ok = errno == ENOENT;
        if (!ok)
            snprintf(err, errsize, "%s: %s", dir, strerror(errno));
        free(dir);
        return ok;
    }
    bool ok = true;
    for (int t = 0; t < nteams; t++) {
        const char *team = teams[t]->d_name;
        char *tdir = NULL;
        struct stat st;
        if (ok && team[0] != '.' && (tdir = str_printf("%s/%s", dir, team)) && stat(tdir, &st) == 0 &&
            S_ISDIR(st.st_mode)) {
            struct dirent **names = NULL;
            int nnames = scandir(tdir, &names, NULL, alphasort);
            if (nnames < 0) {
                snprintf(err, errsize, "%s: %s", tdir, strerror(errno));
                ok = false;
            }
            for (int k = 0; k < nnames; k++) {
                const char *name = names[k]->d_name;
                char *file = NULL;
                if (ok && name[0] != '.' && (file = str_printf("%s/%s", tdir, name)) && stat(file, &st) == 0 &&
                    S_ISREG(st.st_mode)) {
                    job *grown = realloc(b->jobs_v, (b->njobs + 1) * sizeof *grown);
                    if (!grown) {
                        ok = false;
                    } else {
                        b->jobs_v = grown;
                        job *j = &b->jobs_v[b->njobs++];
                        memset(j, 0, sizeof *j);
                        j->kind = kind;
                        j->json = file;
                        file = NULL;
                        j->rel = str_printf("%s/%s/%s", kinds[kind].folder, team, name);
                        j->target = str_printf("%s/%s", b->out, j->rel);
                        j->stub = str_printf("%s/.build/%s.c", b->out, j->rel);
                        j->log = str_printf("%s/.build/%s.log", b->out, j->rel);
                        if (!j->rel || !j->target || !j->stub || !j->log)
                            ok = false;
                    }
                    if (!ok && !err[0])
                        snprintf(err, errsize, "out of memory");
                }
                free(file);
                free(names[k]);
            }
            free(names);
        }
        free(tdir);
        free(teams[t]);
    }
    free(teams);
    free(dir);
    return ok;
}

static bool up_to_date(build *b, const job *j)
{
    struct stat tst, jst;
    if (b->force || stat(j->target, &tst) != 0 || stat(j->json, &jst) != 0)
        return false;
    return newer(tst.st_mtim, jst.st_mtim) && newer(tst.st_mtim, b->kit_time);
}

/* Render the stub, reserve the temporary executable and start cc. */
static bool start_job(build *b, job *j, char *err, size_t errsize)
{
    char why[256];
    size_t len;
    char *json = read_file(j->json, &len, why, sizeof why);
    if (!json) {
        snprintf(err, errsize, "cannot read: %s", why);
        return false;
    }
    char *text = render_stub(b, j, json, len, err, errsize);
    free(json);
    if (!text)
        return false;
    bool ok = make_parent_dirs(j->stub, 0755) && make_parent_dirs(j->target, 0755);
    if (!ok)
        snprintf(err, errsize, "cannot make folders for %s: %s", j->target, strerror(errno));
    ok = ok && atomic_write(j->stub, text, strlen(text), 0, err, errsize);
    free(text);
    if (!ok)
        return false;
    /* the temporary executable: a dot file beside the target */
    const char *base = strrchr(j->target, '/');
    base = base ? base + 1 : j->target;
    j->tmp = str_printf("%.*s.%s.tmp.XXXXXX", (int)(base - j->target), j->target, base);
    int fd = j->tmp ? mkstemp(j->tmp) : -1;
    if (fd < 0) {
        snprintf(err, errsize, "cannot create a temporary file beside %s: %s", j->target, strerror(errno));
        return false;
    }
    close(fd);
    int logfd = open(j->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0) {
        snprintf(err, errsize, "%s: %s", j->log, strerror(errno));
        unlink(j->tmp);
        return false;
    }
    strv argv = {0};
    for (size_t i = 0; ok && i < b->cc_argv.n; i++)
        ok = strv_push(&argv, b->cc_argv.v[i]);
    char *inc = str_printf("-I%s/include", b->kit);
    char *libs[3] = {str_printf("%s/lib/libchronon_exe.a", b->kit), str_printf("%s/lib/libchronon_runtime.a", b->kit),
                     str_printf("%s/lib/libtjson.a", b->kit)};
    ok = ok && inc && libs[0] && libs[1] && libs[2] && strv_push(&argv, inc) && strv_push(&argv, "-o") &&
         strv_push(&argv, j->tmp) && strv_push(&argv, j->stub);
    for (size_t i = 0; ok && i < 3; i++)
        ok = strv_push(&argv, libs[i]);
    for (size_t i = 0; ok && i < b->ldlibs.n; i++)
        ok = strv_push(&argv, b->ldlibs.v[i]);
    free(inc);
    for (size_t i = 0; i < 3; i++)
        free(libs[i]);
    if (ok && b->verbose) {
        for (size_t i = 0; i < argv.n; i++)
            fprintf(stderr, "%s%s", i ? " " : "", argv.v[i]);
        fputc('\n', stderr);
    }
    pid_t pid = ok ? fork() : -1;
    if (pid == 0) {
        dup2(logfd, 1);
        dup2(logfd, 2);
        execvp(argv.v[0], argv.v);
        dprintf(2, "chrononc build: cannot run %s: %s\n", argv.v[0], strerror(errno));
        _exit(127);
    }
    int saved = errno;
    close(logfd);
    strv_free(&argv);
    if (pid < 0) {
        snprintf(err, errsize, ok ? "cannot start the compiler: %s" : "out of memory", strerror(saved));
        unlink(j->tmp);
        return false;
    }
    j->pid = pid;
    return true;
}

static void print_log(const char *path)
{
    char why[256];
    size_t len;
    char *text = read_file(path, &len, why, sizeof why);
    if (text) {
        fwrite(text, 1, len, stderr);
        free(text);
    }
}

/* cc has exited: rename or clean up. */
static bool finish_job(job *j, int wstatus)
{
    j->pid = 0;
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
        if (rename(j->tmp, j->target) == 0) {
            struct stat st;
            if (stat(j->log, &st) == 0 && st.st_size == 0)
                unlink(j->log);
            printf("built %s\n", j->rel);
            return true;
        }
        fprintf(stderr, "chrononc build: %s: cannot rename %s: %s\n", j->rel, j->tmp, strerror(errno));
    } else {
        fprintf(stderr, "chrononc build: %s: the compiler failed (%s %d); its output (%s):\n", j->rel,
                WIFEXITED(wstatus) ? "exit" : "signal", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus),
                j->log);
        print_log(j->log);
    }
    unlink(j->tmp);
    return false;
}

static int run_build(build *b)
{
    char err[1024] = "";
    if (!load_kit(b, err, sizeof err)) {
        fprintf(stderr, "chrononc build: error: the exe kit is incomplete: %s\n"
                        "  (make builds it next to chrononc; or pass --kit DIR)\n", err);
        return 1;
    }
    char *tpath = str_printf("%s/config_main.c.tmpl", b->kit);
    tmpl_error terr;
    b->stub = tpath ? tmpl_load(tpath, &terr) : NULL;
    free(tpath);
    if (!b->stub) {
        fprintf(stderr, "chrononc build: error: %s\n", terr.message);
        return 1;
    }
    char *prod = str_printf("%s/%s", b->root, b->output_root);
    struct stat st;
    if (!prod || stat(prod, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "chrononc build: error: %s: no compiled configs (run chrononc compile first)\n",
                prod ? prod : b->output_root);
        free(prod);
        return 1;
    }
    free(prod);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (!scan_kind(b, k, err, sizeof err)) {
            fprintf(stderr, "chrononc build: error: %s\n", err);
            return 1;
        }
    size_t built = 0, fresh = 0, failed = 0, running = 0, next = 0;
    fflush(stdout);
    while (next < b->njobs || running > 0) {
        while (next < b->njobs && running < (size_t)b->jobs) {
            job *j = &b->jobs_v[next++];
            if (up_to_date(b, j)) {
                fresh++;
                continue;
            }
            err[0] = '\0';
            if (start_job(b, j, err, sizeof err)) {
                running++;
            } else {
                fprintf(stderr, "chrononc build: %s: error: %s\n", j->rel, err);
                failed++;
            }
        }
        if (running == 0)
            continue;
        int wstatus;
        pid_t pid = waitpid(-1, &wstatus, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "chrononc build: error: waitpid: %s\n", strerror(errno));
            return 1;
        }
        for (size_t i = 0; i < next; i++)
            if (b->jobs_v[i].pid == pid) {
                running--;
                if (finish_job(&b->jobs_v[i], wstatus))
                    built++;
                else
                    failed++;
                fflush(stdout);
                break;
            }
    }
    printf("chrononc build: %zu built, %zu up to date, %zu failed (%s)\n", built, fresh, failed, b->out);
    return failed ? 1 : 0;
}

int cmd_build(int argc, char **argv)
{
    build b;
    memset(&b, 0, sizeof b);
    b.root = ".";
    b.output_root = "production";
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    b.jobs = nproc > 0 ? nproc : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        const char *jobs_text = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            build_usage(stdout);
            return 0;
        } else if (strcmp(a, "--force") == 0) {
            b.force = true;
            continue;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            b.verbose = true;
            continue;
        } else if (strncmp(a, "-j", 2) == 0 && a[2]) {
            jobs_text = a + 2;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "chrononc build: %s needs a value\n", a);
                return 2;
            }
            jobs_text = argv[++i];
        } else {
            static const char *names[] = {"--chronon_root", "--chronon-root", "--output_root", "--output-root",
                                          "--out",          "--kit",           "--cc"};
            const char **slots[] = {&b.root, &b.root, &b.output_root, &b.output_root, &b.out, &b.kit, &b.cc_override};
            for (size_t k = 0; k < sizeof names / sizeof names[0] && !slot; k++) {
                size_t n = strlen(names[k]);
                if (strncmp(a, names[k], n) == 0 && a[n] == '=') {
                    *slots[k] = a + n + 1;
                    slot = slots[k];
                } else if (strcmp(a, names[k]) == 0) {
                    if (i + 1 >= argc) {
                        fprintf(stderr, "chrononc build: %s needs a value\n", a);
                        return 2;
                    }
                    *slots[k] = argv[++i];
                    slot = slots[k];
                }
            }
            if (!slot) {
                fprintf(stderr, "chrononc build: unknown argument '%s'\n", a);
                build_usage(stderr);
                return 2;
            }
            if (!**slot) {
                fprintf(stderr, "chrononc build: %s needs a value\n", a);
                return 2;
            }
            continue;
        }
        char *end;
        long n = strtol(jobs_text, &end, 10);
        if (!*jobs_text || *end || n < 1 || n > 1024) {
            fprintf(stderr, "chrononc build: -j needs a number from 1 to 1024\n");
            return 2;
        }
        b.jobs = n;
    }
    if (!b.out)
        b.out = b.out_owned = str_printf("%s/build", b.root);
    if (!b.kit)
        b.kit = b.kit_owned = default_kit();
    int status;
    if (!b.out || !b.kit) {
        fprintf(stderr, "chrononc build: error: cannot find the exe kit; pass --kit DIR\n");
        status = 1;
    } else {
        status = run_build(&b);
    }
    for (size_t i = 0; i < b.njobs; i++)
        job_free(&b.jobs_v[i]);
    free(b.jobs_v);
    tmpl_free(b.stub);
    strv_free(&b.cc_argv);
    strv_free(&b.ldlibs);
    free(b.kit_owned);
    free(b.out_owned);
    return status;
}
