/* Fuzz harness: the evaluator and Chronon's API in C, end to end. The input
 * is one definition file; it is compiled as `chrononc check` compiles it
 * (load, evaluate, name, team defaults, validation, conversion to the C
 * types and serialization to JSON; only the file writes are left out), once
 * as group_bys/quickstart/fuzz.py, once as joins/... and once as
 * staging_queries/..., each a pass of its own as compile.py runs them.
 *
 * The repo is made once per process in a temporary folder: the quickstart's
 * teams.json, its sources module (sources/quickstart.py) and its GroupBys,
 * which the fuzzed file may import as the quickstart's joins do. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "fuzz.h"

/* The folder every input is compiled in; set once, by LLVMFuzzerInitialize. */
static char repo[4096];

static const char *const base_files[] = {
    "teams.json",
    "sources/quickstart.py",
    "group_bys/quickstart/purchases.py",
    "group_bys/quickstart/returns.py",
    "group_bys/quickstart/users.py",
};
static const char *const kinds[] = {"group_bys", "joins", "staging_queries"};

static void write_file(const char *path, const void *data, size_t size)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    FUZZ_ASSERT(fd >= 0, "cannot create %s: %s", tmp, strerror(errno));
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        FUZZ_ASSERT(n > 0, "cannot write %s: %s", tmp, strerror(errno));
        p += n;
        size -= (size_t)n;
    }
    FUZZ_ASSERT(close(fd) == 0, "cannot write %s", tmp);
    FUZZ_ASSERT(rename(tmp, path) == 0, "cannot rename %s: %s", tmp, strerror(errno));
}

static void copy_file(const char *from, const char *to)
{
    FILE *f = fopen(from, "rb");
    FUZZ_ASSERT(f, "cannot read %s", from);
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    FUZZ_ASSERT(!ferror(f) && feof(f), "cannot read %s (or it is over 64 KiB)", from);
    fclose(f);
    write_file(to, buf, n);
}

static void make_dir(const char *fmt, const char *arg)
{
    char path[4200];
    snprintf(path, sizeof path, fmt, repo, arg);
    FUZZ_ASSERT(mkdir(path, 0755) == 0 || errno == EEXIST, "cannot create %s: %s", path, strerror(errno));
}

static void remove_repo(void)
{
    /* the tree is ours and small: its known folders, their files */
    static const char *const dirs[] = {"sources", "group_bys/quickstart", "joins/quickstart",
                                       "staging_queries/quickstart", "group_bys", "joins", "staging_queries",
                                       "production"};
    char path[4400];
    for (size_t i = 0; i < sizeof base_files / sizeof *base_files; i++) {
        snprintf(path, sizeof path, "%s/%s", repo, base_files[i]);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        snprintf(path, sizeof path, "%s/%s/quickstart/fuzz.py", repo, kinds[i]);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(path, sizeof path, "%s/%s", repo, dirs[i]);
        rmdir(path);
    }
    rmdir(repo);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmpdir = getenv("TMPDIR");
    snprintf(repo, sizeof repo, "%s/fuzz_eval.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    FUZZ_ASSERT(mkdtemp(repo), "cannot create a folder in %s: %s", repo, strerror(errno));
    atexit(remove_repo);
    make_dir("%s/%s", "sources");
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        make_dir("%s/%s", kinds[i]);
        make_dir("%s/%s/quickstart", kinds[i]);
    }
    for (size_t i = 0; i < sizeof base_files / sizeof *base_files; i++) {
        char from[4200], to[4200];
        snprintf(from, sizeof from, "%s/examples/quickstart/%s", fuzz_source_dir(), base_files[i]);
        snprintf(to, sizeof to, "%s/%s", repo, base_files[i]);
        copy_file(from, to);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        char path[4200], input[64];
        snprintf(input, sizeof input, "%s/quickstart/fuzz.py", kinds[i]);
        snprintf(path, sizeof path, "%s/%s", repo, input);
        write_file(path, data, size);
        char *args[] = {"check", "--chronon_root", repo, "--input_path", input, "-j", "1", "-q", NULL};
        int status = cmd_check(8, args);
        FUZZ_ASSERT(status == 0 || status == 1, "chrononc check exited %d", status);
        unlink(path);
    }
    return 0;
}
