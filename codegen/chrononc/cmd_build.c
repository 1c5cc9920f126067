/* chrononc build: one executable per compiled config.
 *
 * Every file <root>/<output_root>/{group_bys,joins,staging_queries}/<team>/<name>
 * gets the executable <out>/<kind folder>/<team>/<name>. The exe kit
 * (find_kit) holds the header, the template and the libraries.
 *
 * The default layout costs a config its own bytes. The configs are split
 * into parts of about PART_CONFIGS (by a hash of their path; a power of two
 * of parts), and each part is rendered into one C file (the kit's
 * config_main.c.tmpl, each config's bytes an octal-escaped string literal),
 * compiled and linked by one cc run against the kit's shared runtime,
 * libchronon_exe.so.1, into one multi-call program, <out>/.build/.multi.<part>.
 * Every config's path is a hard link to its part's program, which runs the
 * config its path names (cexe_main_multi). The program finds the runtime
 * through the rpath $ORIGIN/../../.lib, the one copy of the library this
 * build keeps in <out>/.lib, so an output folder works wherever it is moved,
 * whether the kit stays or not.
 *
 * Incremental: a part is rebuilt when a member's config is newer than its
 * program, a member's path is not a link to it (a new config, one that moved
 * part, or one built otherwise), another link to it remains (a removed
 * config: its executable is removed first, and the rebuild drops its bytes),
 * or the kit's header, template or build.conf is newer. A newer runtime
 * library only refreshes <out>/.lib: programs bind to it by its soname.
 *
 * --static keeps the self-contained layout: one program per config, linked
 * against the kit's static libraries, its C source kept as <out>/.build/<rel>.c.
 *
 * Programs are built in parallel (-j, default the number of processors);
 * each links to a temporary file that is put in place only when cc succeeded. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic_write.h"
#include "commands.h"
#include "make_dirs.h"
#include "read_file.h"
#include "str_printf.h"
#include "template.h"

#include "build_internal.h"

const build_kind build_kinds[BUILD_NKINDS] = {
    {"group_bys", "CEXE_GROUP_BY"},
    {"joins", "CEXE_JOIN"},
    {"staging_queries", "CEXE_STAGING_QUERY"},
};

static void build_usage(FILE *out)
{
    fprintf(out,
            "usage: chrononc build [--chronon_root DIR] [--output_root DIR] [--out DIR] [-j N]\n"
            "                      [--kit DIR] [--cc CC] [--static] [--force] [--keep-sources] [-v]\n"
            "\n"
            "Turn every compiled config under <root>/<output_root>/{group_bys,joins,\n"
            "staging_queries}/<team>/<name> into an executable <out>/<kind>/<team>/<name>\n"
            "with the subcommands json, info, validate, run and analyze (run one with --help).\n"
            "\n"
            "By default each executable is a hard link to a program shared by up to a few\n"
            "hundred configs (its path picks the config), linked against the runtime that\n"
            "the build keeps once in <out>/.lib: move or copy the whole <out> folder, not\n"
            "one executable alone (or use --static).\n"
            "\n"
            "  --chronon_root DIR  the definitions repo (default: .)\n"
            "  --output_root DIR   where compile wrote the configs, under the root (default: production)\n"
            "  --out DIR           where the executables go (default: <root>/build)\n"
            "  -j N                compilers to run at once (default: the number of processors)\n"
            "  --kit DIR           the exe kit: headers, libraries, template (default:\n"
            "                      $CHRONONC_EXE_KIT, else exe-kit next to chrononc, else\n"
            "                      ../lib/chronon-c/exe-kit from it)\n"
            "  --cc CC             the C compiler (default: the one the kit was built with)\n"
            "  --static            one self-contained executable per config (the runtime linked in)\n"
            "  --force             rebuild every executable, even the up-to-date ones\n"
            "  --keep-sources      keep the generated C of each program (<out>/.build/.multi.<part>.c)\n"
            "  -v                  print each compiler command\n"
            "\n"
            "Only what changed is rebuilt: the program of a config that is newer, added or\n"
            "removed (a removed config's executable is removed).\n"
            "One build at a time per output folder: a second one exits 1 naming the holder.\n"
            "Exit status: 0 ok, 1 a config failed to build (or another build holds <out>), 2 usage.\n");
}

bool strv_push(strv *a, const char *s)
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

void strv_free(strv *a)
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

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The kit: --kit, else $CHRONONC_EXE_KIT, else exe-kit beside the real
 * chrononc (the build tree), else ../lib/chronon-c/exe-kit from it (an
 * installed prefix; relative, so a DESTDIR staging or a moved prefix works). */
static char *find_kit(void)
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
    char *beside = str_printf("%s/exe-kit", self);
    if (!beside || is_dir(beside))
        return beside;
    char *installed = str_printf("%s/../lib/chronon-c/exe-kit", self);
    if (installed && is_dir(installed)) {
        free(beside);
        return installed;
    }
    free(installed);
    return beside; /* missing: load_kit names it */
}

static bool kit_file_time(build *b, const char *rel, struct timespec *newest, char *err, size_t errsize)
{
    char *path = str_printf("%s/%s", b->kit, rel);
    struct stat st;
    bool ok = path && stat(path, &st) == 0;
    if (!ok)
        snprintf(err, errsize, "%s/%s: %s", b->kit, rel, strerror(errno));
    else if (newer(st.st_mtim, *newest))
        *newest = st.st_mtim;
    free(path);
    return ok;
}

/* What the generated code depends on; the static libraries too for --static. */
static const char *const code_files[] = {"include/chronon_exe.h", "config_main.c.tmpl", "build.conf"};
const char *const build_static_libs[BUILD_NSTATIC_LIBS] = {"lib/libchronon_exe.a", "lib/libchronon_runtime.a",
                                                            "lib/libtjson.a"};

/* Read build.conf and check the kit has what this build links. */
static bool load_kit(build *b, char *err, size_t errsize)
{
    for (size_t i = 0; i < sizeof code_files / sizeof code_files[0]; i++)
        if (!kit_file_time(b, code_files[i], &b->code_time, err, errsize))
            return false;
    b->static_time = b->code_time;
    if (b->static_link) {
        for (size_t i = 0; i < BUILD_NSTATIC_LIBS; i++)
            if (!kit_file_time(b, build_static_libs[i], &b->static_time, err, errsize))
                return false;
    } else {
        struct timespec ignored = {0, 0};
        if (!kit_file_time(b, "lib/" RUNTIME_SO, &ignored, err, errsize))
            return false;
    }
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
    char *cc = NULL, *cflags = NULL, *ldlibs = NULL, *shared_ldlibs = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "cc=", 3) == 0)
            cc = line + 3;
        else if (strncmp(line, "cflags=", 7) == 0)
            cflags = line + 7;
        else if (strncmp(line, "ldlibs=", 7) == 0)
            ldlibs = line + 7;
        else if (strncmp(line, "shared_ldlibs=", 14) == 0)
            shared_ldlibs = line + 14;
    }
    if (b->cc_override)
        cc = (char *)b->cc_override;
    bool ok = strv_split(&b->cc_argv, cc && *cc ? cc : "cc");
    ok = ok && strv_split(&b->cc_argv, cflags ? cflags : "");
    ok = ok && strv_split(&b->ldlibs, ldlibs ? ldlibs : "-ljansson -ldl -lpthread -lm");
    ok = ok && strv_split(&b->shared_ldlibs, shared_ldlibs ? shared_ldlibs : "");
    free(text);
    if (!ok)
        snprintf(err, errsize, "out of memory");
    return ok;
}

/* ---- the lock ------------------------------------------------------------------ */

/* The process holding a flock() on the file (dev, ino), from /proc/locks
 * (Linux: "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"); 0 if unknown. */
static long lock_holder(const struct stat *st)
{
    FILE *f = fopen("/proc/locks", "re");
    if (!f)
        return 0;
    char line[256];
    long holder = 0;
    while (!holder && fgets(line, sizeof line, f)) {
        char type[16];
        long pid;
        unsigned maj, min;
        unsigned long ino;
        if (sscanf(line, "%*[^:]: %15s %*s %*s %ld %x:%x:%lu", type, &pid, &maj, &min, &ino) == 5 &&
            strcmp(type, "FLOCK") == 0 && maj == major(st->st_dev) && min == minor(st->st_dev) &&
            ino == (unsigned long)st->st_ino)
            holder = pid;
    }
    fclose(f);
    return holder;
}

/* One build at a time per output folder, as compile locks its output root:
 * <out> itself is flock()ed for the run (made first if need be), so that two
 * builds do not remove each other's temporary programs and links (each
 * build's sweep removes a killed build's) nor interleave their renames. The
 * kernel drops the lock when the process ends, however it ends. Returns the
 * descriptor holding it, or -1 (message printed). */
static int lock_out(const build *b)
{
    if (!make_dirs(b->out, 0777)) {
        fprintf(stderr, "chrononc build: error: cannot create the folder %s: %s\n", b->out, strerror(errno));
        return -1;
    }
    int fd = open(b->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "chrononc build: error: cannot open %s to lock it: %s\n", b->out, strerror(errno));
        return -1;
    }
    /* A holder that /proc/locks no longer names has just let go (its build
     * ended between our try and the read): try again rather than refuse
     * with nobody to name. */
    int e = 0;
    long holder = 0;
    for (int attempt = 0; attempt < 5; attempt++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        e = errno;
        struct stat st;
        if (e != EWOULDBLOCK || fstat(fd, &st) != 0)
            break;
        holder = lock_holder(&st);
        if (holder > 0)
            break;
    }
    if (e != EWOULDBLOCK)
        fprintf(stderr, "chrononc build: error: cannot lock %s: %s\n", b->out, strerror(e));
    else if (holder > 0)
        fprintf(stderr, "chrononc build: another chrononc build holds the lock on %s (pid %ld); "
                        "run again when it has finished\n", b->out, holder);
    else
        fprintf(stderr, "chrononc build: another chrononc build holds the lock on %s; "
                        "run again when it has finished\n", b->out);
    close(fd);
    return -1;
}

/* ---- scanning ------------------------------------------------------------- */

static int member_cmp(const void *a, const void *b)
{
    return strcmp(((const member *)a)->name, ((const member *)b)->name);
}

static void member_free(member *m)
{
    free(m->name);
    free(m->rel);
    free(m->json);
    free(m->target);
}

static bool push_member(build *b, size_t kind, const char *team, const char *name, char *file,
                        struct timespec json_time)
{
    member *grown = realloc(b->members, (b->nmembers + 1) * sizeof *grown);
    if (!grown) {
        free(file);
        return false;
    }
    b->members = grown;
    member *m = &b->members[b->nmembers++];
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->json = file;
    m->json_time = json_time;
    m->name = strdup(name);
    m->rel = str_printf("%s/%s/%s", build_kinds[kind].folder, team, name);
    m->target = m->rel ? str_printf("%s/%s", b->out, m->rel) : NULL;
    return m->name && m->rel && m->target;
}

/* Collect the teams and configs of one kind folder, each sorted by name. */
static bool scan_kind(build *b, size_t kind, char *err, size_t errsize)
{
    char *dir = str_printf("%s/%s/%s", b->root, b->output_root, build_kinds[kind].folder);
    if (!dir) {
        snprintf(err, errsize, "out of memory");
        return false;
    }
    DIR *d = opendir(dir);
    if (!d) {
        bool ok = errno == ENOENT;
        if (!ok)
            snprintf(err, errsize, "%s: %s", dir, strerror(errno));
        free(dir);
        return ok;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        const char *tname = e->d_name;
        char *tdir = NULL;
        DIR *td = NULL;
        if (tname[0] == '.')
            continue;
        if (!(tdir = str_printf("%s/%s", dir, tname))) {
            snprintf(err, errsize, "out of memory");
            ok = false;
        } else if (!(td = opendir(tdir))) {
            if (errno != ENOTDIR) {
                snprintf(err, errsize, "%s: %s", tdir, strerror(errno));
                ok = false;
            }
        } else {
            team *grown = realloc(b->teams, (b->nteams + 1) * sizeof *grown);
            if (!grown || !(grown[b->nteams].name = strdup(tname))) {
                if (grown)
                    b->teams = grown;
                snprintf(err, errsize, "out of memory");
                ok = false;
            } else {
                b->teams = grown;
                team *t = &b->teams[b->nteams++];
                t->kind = kind;
                t->first = b->nmembers;
                struct dirent *ce;
                while (ok && (ce = readdir(td))) {
                    if (ce->d_name[0] == '.')
                        continue;
                    char *file = str_printf("%s/%s", tdir, ce->d_name);
                    struct stat st;
                    if (!file) {
                        snprintf(err, errsize, "out of memory");
                        ok = false;
                    } else if (stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
                        free(file);
                    } else if (!push_member(b, kind, tname, ce->d_name, file, st.st_mtim)) {
                        snprintf(err, errsize, "out of memory");
                        ok = false;
                    }
                }
                t->n = b->nmembers - t->first;
                qsort(b->members + t->first, t->n, sizeof *b->members, member_cmp);
            }
            closedir(td);
        }
        free(tdir);
    }
    closedir(d);
    free(dir);
    return ok;
}

static int team_cmp(const void *a, const void *b)
{
    const team *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return strcmp(x->name, y->name);
}

static const team *find_team(const build *b, size_t kind, const char *name)
{
    team key = {.kind = kind, .name = (char *)name};
    return bsearch(&key, b->teams, b->nteams, sizeof *b->teams, team_cmp);
}

static bool team_has(const build *b, const team *t, const char *name)
{
    member key = {.name = (char *)name};
    return t && bsearch(&key, b->members + t->first, t->n, sizeof *b->members, member_cmp) != NULL;
}

/* ---- removed configs --------------------------------------------------------- */

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

/* "<base>.c" / "<base>.log" -> base length; 0 for other names. */
static size_t stub_stem(const char *name)
{
    size_t n = strlen(name);
    if (n > 2 && strcmp(name + n - 2, ".c") == 0)
        return n - 2;
    if (n > 4 && strcmp(name + n - 4, ".log") == 0)
        return n - 4;
    return 0;
}

/* A file of a program in <out>/.build: ".multi.<part>" then "" (the
 * program), ".c", ".log" or ".tmp.XXXXXX". Returns the part, or -1 for
 * other names; *rest gets what follows the number. */
static long multi_part(const char *name, const char **rest)
{
    if (strncmp(name, ".multi.", 7) != 0 || name[7] < '0' || name[7] > '9')
        return -1;
    char *end;
    unsigned long k = strtoul(name + 7, &end, 10);
    *rest = end;
    return k < 1u << 20 ? (long)k : -1;
}

typedef struct inodes {
    struct stat *v;
    size_t n;
} inodes;

static bool in_inodes(const inodes *set, const struct stat *st)
{
    for (size_t i = 0; i < set->n; i++)
        if (same_file(&set->v[i], st))
            return true;
    return false;
}

/* The programs (<out>/.build/.multi.<part>) there are, and the leftovers
 * among its files removed: the parts this build no longer has (or all under
 * --static) and a killed build's temporary files. */
static bool sweep_programs(build *b, inodes *programs)
{
    char *dir = str_printf("%s/.build", b->out);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    bool ok = dir != NULL;
    while (ok && d && (e = readdir(d))) {
        const char *rest;
        /* a killed build's temporary source (atomic_write's ".<name>.tmp-...") */
        bool temp_source = strncmp(e->d_name, "..multi.", 8) == 0 && strstr(e->d_name, ".tmp-");
        long part = temp_source ? 0 : multi_part(e->d_name, &rest);
        if (part < 0)
            continue;
        char *path = str_printf("%s/%s", dir, e->d_name);
        struct stat st;
        bool temp_program = !temp_source && strncmp(rest, ".tmp.", 5) == 0;
        bool gone = temp_source || temp_program || b->static_link || (size_t)part >= b->parts;
        /* a dropped part's program counts too: links to it are ours; and so
         * does a killed build's temporary program, which some configs' paths
         * may already link to */
        if (path && !temp_source && (!*rest || temp_program) && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            struct stat *grown = realloc(programs->v, (programs->n + 1) * sizeof *grown);
            if (!grown)
                ok = false;
            else
                (programs->v = grown)[programs->n++] = st;
        }
        if (!path) {
            ok = false;
        } else if (gone && unlink(path) != 0 && errno != ENOENT) {
            fprintf(stderr, "chrononc build: %s: cannot remove: %s\n", path, strerror(errno));
            ok = false;
        }
        free(path);
    }
    if (d)
        closedir(d);
    free(dir);
    return ok;
}

/* A --static program being linked: temp_beside's ".<name>.tmp.XXXXXX". */
static bool static_temp(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' && n > 12 && strncmp(name + n - 11, ".tmp.", 5) == 0;
}

/* A killed build's temporary copy of the runtime in <out>/.lib
 * (atomic_write's ".<name>.tmp-..."): the loader never reads it, but it
 * would stay forever. */
static void sweep_lib(const build *b)
{
    char *dir = str_printf("%s/.lib", b->out);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, "." RUNTIME_SO ".tmp-", sizeof RUNTIME_SO + 5) != 0)
            continue;
        char *path = str_printf("%s/%s", dir, e->d_name);
        if (path)
            unlink(path);
        free(path);
    }
    if (d)
        closedir(d);
    free(dir);
}

/* One <kind folder>/<team> of the output: remove the executables this build
 * made for configs that are gone (links to one of the programs, or a
 * --static executable with its source in .build), and the sources and logs
 * of gone configs; empty folders of a gone team (or, in the shared layout,
 * a team's empty .build folder) too. Files this build did not make are left
 * alone. Returns how many executables were removed, or -1 (message printed). */
static long sweep_team(build *b, size_t kind, const char *tname, const team *t, const inodes *programs)
{
    char *odir = str_printf("%s/%s/%s", b->out, build_kinds[kind].folder, tname);
    char *bdir = str_printf("%s/.build/%s/%s", b->out, build_kinds[kind].folder, tname);
    if (!odir || !bdir) {
        free(odir);
        free(bdir);
        fprintf(stderr, "chrononc build: error: out of memory\n");
        return -1;
    }
    long removed = 0;
    bool ok = true;
    DIR *d = opendir(odir);
    struct dirent *e;
    while (ok && d && (e = readdir(d))) {
        if (strncmp(e->d_name, ".chrononc-link.tmp.", 19) == 0 || static_temp(e->d_name)) { /* a killed build's */
            char *path = str_printf("%s/%s", odir, e->d_name);
            if (path)
                unlink(path);
            free(path);
            continue;
        }
        if (e->d_name[0] == '.' || team_has(b, t, e->d_name))
            continue;
        char *path = str_printf("%s/%s", odir, e->d_name);
        char *stub = str_printf("%s/%s.c", bdir, e->d_name);
        struct stat st, sst;
        bool ours = path && stub && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                    (in_inodes(programs, &st) || stat(stub, &sst) == 0);
        if (ours) {
            if (unlink(path) == 0) {
                printf("removed %s/%s/%s\n", build_kinds[kind].folder, tname, e->d_name);
                removed++;
            } else {
                fprintf(stderr, "chrononc build: %s: cannot remove: %s\n", path, strerror(errno));
                ok = false;
            }
        }
        free(path);
        free(stub);
    }
    if (d)
        closedir(d);
    d = ok ? opendir(bdir) : NULL;
    while (d && (e = readdir(d))) {
        size_t stem = stub_stem(e->d_name);
        char *base = stem && e->d_name[0] != '.' ? strndup(e->d_name, stem) : NULL;
        char *path = base && !team_has(b, t, base) ? str_printf("%s/%s", bdir, e->d_name) : NULL;
        if (path && unlink(path) != 0 && errno != ENOENT) {
            fprintf(stderr, "chrononc build: %s: cannot remove: %s\n", path, strerror(errno));
            ok = false;
        }
        free(base);
        free(path);
    }
    if (d)
        closedir(d);
    if (!t)
        rmdir(odir);
    if (!t || !b->static_link)
        rmdir(bdir); /* only when empty */
    free(odir);
    free(bdir);
    return ok ? removed : -1;
}

/* Sweep every team folder of the output and of .build, current or gone. */
static bool sweep(build *b)
{
    sweep_lib(b);
    inodes programs = {0};
    if (!sweep_programs(b, &programs)) {
        free(programs.v);
        return false;
    }
    bool ok = true;
    for (size_t k = 0; ok && k < BUILD_NKINDS; k++) {
        for (int pass = 0; ok && pass < 2; pass++) {
            char *dir = str_printf(pass ? "%s/.build/%s" : "%s/%s", b->out, build_kinds[k].folder);
            DIR *d = dir ? opendir(dir) : NULL;
            struct dirent *e;
            while (ok && d && (e = readdir(d))) {
                if (e->d_name[0] == '.')
                    continue;
                const team *t = find_team(b, k, e->d_name);
                /* a team with an output folder is swept with it */
                char *odir = pass ? str_printf("%s/%s/%s", b->out, build_kinds[k].folder, e->d_name) : NULL;
                bool done = pass && (!odir || is_dir(odir));
                free(odir);
                if (done)
                    continue;
                long n = sweep_team(b, k, e->d_name, t, &programs);
                if (n < 0)
                    ok = false;
                else
                    b->removed += (size_t)n;
            }
            if (d)
                closedir(d);
            if (pass)
                rmdir(dir); /* only when empty */
            free(dir);
        }
    }
    free(programs.v);
    return ok;
}

/* ---- groups ---------------------------------------------------------------------- */

static void group_free(group *g)
{
    free(g->rel);
    free(g->idx);
    free(g->canon);
    free(g->src);
    free(g->log);
    free(g->tmp);
}

member *build_member(const build *b, const group *g, size_t i)
{
    return &b->members[g->idx[i]];
}

/* The configs are split into programs of at most PART_CONFIGS (on average),
 * so that one changed config recompiles a bounded amount of C however big
 * the repo: a power of two of parts, a config's part the low bits of a hash
 * of its path, so a part keeps its configs until the repo's count crosses a
 * power of two (then everything is rebuilt once). A program's configs may
 * come from any kind and team folder: each config's executable is a hard
 * link in its own folder, and the program picks the config by the path. */
enum { PART_CONFIGS = 256 };

static size_t repo_parts(size_t n)
{
    size_t parts = 1;
    while (parts * PART_CONFIGS < n)
        parts *= 2;
    return parts;
}

static size_t path_part(const char *rel, size_t parts)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & (parts - 1);
}

static group *new_group(build *b, size_t capacity)
{
    group *grown = realloc(b->groups, (b->ngroups + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    b->groups = grown;
    group *g = &b->groups[b->ngroups++];
    memset(g, 0, sizeof *g);
    g->idx = malloc((capacity ? capacity : 1) * sizeof *g->idx);
    return g->idx ? g : NULL;
}

static bool make_groups(build *b)
{
    if (b->static_link) {
        for (size_t i = 0; i < b->nmembers; i++) {
            const member *m = &b->members[i];
            group *g = new_group(b, 1);
            if (!g)
                return false;
            g->idx[g->n++] = i;
            g->rel = strdup(m->rel);
            g->src = str_printf("%s/.build/%s.c", b->out, m->rel);
            g->log = str_printf("%s/.build/%s.log", b->out, m->rel);
            if (!g->rel || !g->src || !g->log)
                return false;
        }
        return true;
    }
    b->parts = repo_parts(b->nmembers);
    for (size_t k = 0; b->nmembers && k < b->parts; k++) {
        group *g = new_group(b, b->nmembers);
        if (!g)
            return false;
        g->rel = str_printf(".build/.multi.%zu", k);
        g->canon = str_printf("%s/.build/.multi.%zu", b->out, k);
        g->src = g->canon ? str_printf("%s.c", g->canon) : NULL;
        g->log = g->canon ? str_printf("%s.log", g->canon) : NULL;
        if (!g->rel || !g->canon || !g->src || !g->log)
            return false;
    }
    for (size_t i = 0; i < b->nmembers; i++) {
        group *g = &b->groups[path_part(b->members[i].rel, b->parts)];
        g->idx[g->n++] = i;
    }
    /* parts left empty by the hash are no program */
    size_t kept = 0;
    for (size_t i = 0; i < b->ngroups; i++) {
        if (b->groups[i].n)
            b->groups[kept++] = b->groups[i];
        else
            group_free(&b->groups[i]);
    }
    b->ngroups = kept;
    return true;
}

/* Mark the members that need building; true if the group does. */
static bool group_stale(build *b, group *g)
{
    if (b->static_link) {
        member *m = build_member(b, g, 0);
        struct stat tst, sst;
        /* a --static executable has one link and its source kept in .build */
        m->changed = b->force || stat(m->target, &tst) != 0 || tst.st_nlink != 1 || stat(g->src, &sst) != 0 ||
                     !newer(tst.st_mtim, m->json_time) || !newer(tst.st_mtim, b->static_time);
        return m->changed;
    }
    struct stat cst;
    bool have = !b->force && stat(g->canon, &cst) == 0 && newer(cst.st_mtim, b->code_time);
    bool stale = false;
    nlink_t links = 1; /* the canonical one */
    for (size_t i = 0; i < g->n; i++) {
        member *m = build_member(b, g, i);
        struct stat tst;
        m->linked = have && lstat(m->target, &tst) == 0 && same_file(&tst, &cst);
        m->changed = !m->linked || !newer(cst.st_mtim, m->json_time);
        links += m->linked;
        stale = stale || m->changed;
    }
    /* another link: a config that left the program (removed, or moved to
     * another part) and whose bytes the program still holds */
    return stale || (have && cst.st_nlink != links);
}

static int group_size_desc(const void *a, const void *b)
{
    const group *x = *(group *const *)a, *y = *(group *const *)b;
    return x->n != y->n ? (x->n > y->n ? -1 : 1) : 0;
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
    if (!prod || !is_dir(prod)) {
        fprintf(stderr, "chrononc build: error: %s: no compiled configs (run chrononc compile first)\n",
                prod ? prod : b->output_root);
        free(prod);
        return 1;
    }
    free(prod);
    b->lock_fd = lock_out(b);
    if (b->lock_fd < 0)
        return 1;
    for (size_t k = 0; k < BUILD_NKINDS; k++)
        if (!scan_kind(b, k, err, sizeof err)) {
            fprintf(stderr, "chrononc build: error: %s\n", err);
            return 1;
        }
    qsort(b->teams, b->nteams, sizeof *b->teams, team_cmp);
    if (!make_groups(b)) {
        fprintf(stderr, "chrononc build: error: out of memory\n");
        return 1;
    }
    if (!sweep(b))
        return 1;
    /* the stale groups, largest first so that parallel compilers finish together */
    group **todo = calloc(b->ngroups + 1, sizeof *todo);
    if (!todo) {
        fprintf(stderr, "chrononc build: error: out of memory\n");
        return 1;
    }
    size_t ntodo = 0, built = 0, fresh = 0, failed = 0, running = 0, next = 0;
    for (size_t i = 0; i < b->ngroups; i++) {
        if (group_stale(b, &b->groups[i]))
            todo[ntodo++] = &b->groups[i];
        else
            fresh += b->groups[i].n;
    }
    qsort(todo, ntodo, sizeof *todo, group_size_desc);
    if (!b->static_link && b->ngroups > 0 && !build_copy_runtime(b, err, sizeof err)) {
        fprintf(stderr, "chrononc build: error: %s\n", err);
        free(todo);
        return 1;
    }
    fflush(stdout);
    int status = 0;
    while (next < ntodo || running > 0) {
        while (next < ntodo && running < (size_t)b->jobs) {
            group *g = todo[next++];
            err[0] = '\0';
            if (build_start(b, g, err, sizeof err)) {
                running++;
            } else {
                fprintf(stderr, "chrononc build: %s: error: %s\n", g->rel, err);
                size_t changed = 0;
                for (size_t i = 0; i < g->n; i++)
                    changed += build_member(b, g, i)->changed;
                failed += changed;
                fresh += g->n - changed;
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
            status = 1;
            break;
        }
        for (size_t i = 0; i < next; i++)
            if (todo[i]->pid == pid) {
                running--;
                build_finish(b, todo[i], wstatus, &built, &fresh, &failed);
                fflush(stdout);
                break;
            }
    }
    free(todo);
    if (status)
        return status;
    if (b->removed)
        printf("chrononc build: %zu built, %zu up to date, %zu failed, %zu removed (%s)\n", built, fresh, failed,
               b->removed, b->out);
    else
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
    b.umask = umask(022); /* (umask has no read-only form) */
    umask(b.umask);
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
        } else if (strcmp(a, "--static") == 0) {
            b.static_link = true;
            continue;
        } else if (strcmp(a, "--keep-sources") == 0) {
            b.keep_sources = true;
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
        b.kit = b.kit_owned = find_kit();
    b.lock_fd = -1;
    int status;
    if (!b.out || !b.kit) {
        fprintf(stderr, "chrononc build: error: cannot find the exe kit; pass --kit DIR\n");
        status = 1;
    } else {
        status = run_build(&b);
    }
    for (size_t i = 0; i < b.nmembers; i++)
        member_free(&b.members[i]);
    free(b.members);
    for (size_t i = 0; i < b.nteams; i++)
        free(b.teams[i].name);
    free(b.teams);
    for (size_t i = 0; i < b.ngroups; i++)
        group_free(&b.groups[i]);
    free(b.groups);
    tmpl_free(b.stub);
    strv_free(&b.cc_argv);
    strv_free(&b.ldlibs);
    strv_free(&b.shared_ldlibs);
    free(b.kit_owned);
    free(b.out_owned);
    if (b.lock_fd >= 0)
        close(b.lock_fd); /* the lock goes with it */
    return status;
}
