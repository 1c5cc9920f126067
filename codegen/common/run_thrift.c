#include "run_thrift.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* thrift's messages are short; more than this is noise we need not keep */
#define OUTPUT_KEEP 16384

static void set_err(char *err, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errsize, const char *fmt, ...)
{
    if (!err || errsize == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsize, fmt, ap);
    va_end(ap);
}

/* Remove the temporary folder and whatever thrift put in it (one file, but
 * a future thrift might add more). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[4096];
            if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* thrift's warnings ("[WARNING:file:line] text" and a blank line) would bury
 * the error; keep the other lines, joined into one. */
static void summarize_output(const char *out, char *err, size_t errsize, int status)
{
    char summary[2048];
    size_t n = 0;
    const char *line = out;
    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        size_t from = 0, to = len;
        /* stdout and stderr share the pipe, so a warning can start mid-line */
        for (size_t i = 1; i + 9 <= len; i++)
            if (strncmp(line + i, "[WARNING:", 9) == 0) {
                to = i;
                break;
            }
        while (from < to && (line[from] == ' ' || line[from] == '\t' || line[from] == '\r'))
            from++;
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t' || line[to - 1] == '\r'))
            to--;
        if (to > from && strncmp(line + from, "[WARNING:", 9) != 0) {
            if (n > 0 && n + 1 < sizeof summary)
                summary[n++] = ' ';
            size_t take = to - from;
            if (take > sizeof summary - 1 - n)
                take = sizeof summary - 1 - n;
            memcpy(summary + n, line + from, take);
            n += take;
        }
        line = eol ? eol + 1 : line + len;
    }
    summary[n] = '\0';
    /* 127 is how a child reports a failed exec when posix_spawn cannot
     * (under valgrind, say): the usual reason is thrift missing from PATH */
    if (n == 0 && status == 127)
        set_err(err, errsize, "cannot run thrift: exit status 127, not found on PATH?");
    else if (n == 0)
        set_err(err, errsize, "thrift failed with exit status %d and no message", status);
    else
        set_err(err, errsize, "thrift: %s", summary);
}

/* Run thrift with stdout and stderr into one pipe; returns the exit status
 * (or -1 with err set if it could not run) and its output in *output. */
static int run_thrift(const char *idl_path, const char *out_dir, char **output, char *err,
                      size_t errsize)
{
    *output = NULL;
    int fds[2];
    if (pipe(fds) != 0) {
        set_err(err, errsize, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    /* the originals must not leak into thrift; dup2 makes inheritable copies */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);

    posix_spawn_file_actions_t actions;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc == 0) {
        rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        if (rc == 0)
            rc = posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        if (rc == 0)
            rc = posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
        /* posix_spawn takes char *const argv[] but does not write to it */
        char *argv[] = {"thrift", "--gen", "json", "-out", (char *)out_dir, (char *)idl_path, NULL};
        pid_t pid = 0;
        if (rc == 0)
            rc = posix_spawnp(&pid, "thrift", &actions, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc == 0) {
            close(fds[1]);
            fds[1] = -1;
            char *buf = malloc(OUTPUT_KEEP + 1);
            size_t len = 0;
            for (;;) {
                char chunk[4096];
                ssize_t got = read(fds[0], chunk, sizeof chunk);
                if (got < 0 && errno == EINTR)
                    continue;
                if (got <= 0)
                    break;
                size_t take = (size_t)got;
                if (take > OUTPUT_KEEP - len)
                    take = OUTPUT_KEEP - len;
                if (buf)
                    memcpy(buf + len, chunk, take);
                len += take;
            }
            if (buf)
                buf[len] = '\0';
            *output = buf;
            int wstatus = 0;
            while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
                ;
            close(fds[0]);
            if (WIFEXITED(wstatus))
                return WEXITSTATUS(wstatus);
            set_err(err, errsize, "thrift was killed by signal %d",
                    WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
            free(*output);
            *output = NULL;
            return -1;
        }
    }
    close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    if (rc == ENOENT)
        set_err(err, errsize, "cannot run thrift: not found on PATH (install the Thrift compiler)");
    else
        set_err(err, errsize, "cannot run thrift: %s", strerror(rc));
    return -1;
}

/* thrift names its output after the IDL; rather than repeat its naming rule,
 * take the one .json file it wrote. */
static bool find_json(const char *dir, char *path, size_t size)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
            found = snprintf(path, size, "%s/%s", dir, e->d_name) < (int)size;
    }
    closedir(d);
    return found;
}

json_t *idl_load(const char *idl_path, char *err, size_t errsize)
{
    /* thrift's "Could not open input file with realpath" says less than errno */
    struct stat st;
    if (stat(idl_path, &st) != 0) {
        set_err(err, errsize, "%s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        set_err(err, errsize, "%s", strerror(EISDIR));
        return NULL;
    }
    int probe = open(idl_path, O_RDONLY);
    if (probe < 0) {
        set_err(err, errsize, "%s", strerror(errno));
        return NULL;
    }
    close(probe);

    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s/thrift-json-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
        (int)sizeof dir) {
        set_err(err, errsize, "TMPDIR is too long");
        return NULL;
    }
    if (!mkdtemp(dir)) {
        set_err(err, errsize, "cannot create a temporary folder in %s: %s",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return NULL;
    }

    json_t *doc = NULL;
    char *output = NULL;
    int status = run_thrift(idl_path, dir, &output, err, errsize);
    if (status > 0) {
        summarize_output(output ? output : "", err, errsize, status);
    } else if (status == 0) {
        char path[4096];
        json_error_t jerr;
        if (!find_json(dir, path, sizeof path))
            set_err(err, errsize, "thrift --gen json wrote no .json file");
        else if (!(doc = json_load_file(path, 0, &jerr)))
            set_err(err, errsize, "cannot read thrift's JSON output: line %d: %s", jerr.line,
                    jerr.text);
        else if (!json_is_object(doc)) {
            set_err(err, errsize, "thrift's JSON output is not an object");
            json_decref(doc);
            doc = NULL;
        }
    }
    free(output);
    remove_tree(dir);
    return doc;
}
