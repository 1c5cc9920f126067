#!/usr/bin/env bash
# chrononc build when a write fails (issue 11), as tests/compile_safety/
# write_failures does for compile: each gives one error naming the path, exit
# 1, the executables already there unchanged, no temporary file left, and the
# next build (the cause gone) converges.
#   1. the output path is a file
#   2. a read-only folder of the output (run as nobody when we are root,
#      since root writes anywhere)
#   3. a full disk, by a file size limit (ulimit -f, SIGXFSZ ignored: every
#      write past it fails with EFBIG as a full disk's fails with ENOSPC):
#      on a fresh output the runtime's copy in <out>/.lib fails; on a built
#      one, with configs changed, the program's source fails
#   4. a team folder on another file system (a symlink into /dev/shm): the
#      hard links of the layout cannot cross it; the error says what the
#      layout needs and that --static does without, and --static builds
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/build_write.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # the read-only case runs chrononc as another user when we are root
# private copies: others may relink build/ meanwhile
cp "$BUILD/chrononc" "$tmp/chrononc"
cp -r "$BUILD/exe-kit" "$tmp/kit"
cc="$RUNNER $tmp/chrononc"
fail() { echo "FAIL: $*"; exit 1; }

cp -r examples/quickstart "$tmp/repo"
cd "$tmp/repo"
rm -rf production build
$cc compile --chronon_root . -q
n=$(find production -type f | wc -l)
build() { $cc build --chronon_root . --kit "$tmp/kit" -j 2 "$@"; }
# one_error FILE WANT: FILE (stderr) has exactly one line, WANT
one_error() {
    [ "$(wc -l <"$1")" = 1 ] && [ "$(cat "$1")" = "$2" ] || { cat "$1"; fail "wanted exactly: $2"; }
}
no_temps() {
    local left
    left=$(find "$1" \( -name '*.tmp*' -o -name '.chrononc-link.*' \) -print)
    [ -z "$left" ] || fail "$2: temporary files left: $left"
}
converged() {
    for f in $(cd production && find . -type f | sed 's|^\./||'); do
        cmp -s "production/$f" <(build/"$f" json) || fail "$1: build/$f json differs from its config"
    done
    no_temps build "$1"
}

# 1. the output path is a file
echo "not a folder" >out.txt
set +e; build --out out.txt >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || fail "output is a file: exit $rc"
one_error "$tmp/err" "chrononc build: error: cannot create the folder out.txt: Not a directory"
[ "$(cat out.txt)" = "not a folder" ] || fail "output is a file: the file changed"
echo "ok: the output path is a file: $(cat "$tmp/err")"

# 2. a read-only folder: the programs cannot be linked into it
build >/dev/null
md5sum $(find build -type f ! -path 'build/.*') >"$tmp/before.md5"
touch production/group_bys/quickstart/*
if [ "$(id -u)" = 0 ]; then
    chmod -R a+rX "$tmp"
    chown -R 65534:65534 "$tmp/repo"
    chown 0:0 build/group_bys/quickstart
    chmod 755 build/group_bys/quickstart
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    chmod 555 build/group_bys/quickstart
    as_user=
fi
set +e; $as_user $cc build --chronon_root . --kit "$tmp/kit" -j 2 >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "read-only: exit $rc"; }
grep -Eq "^chrononc build: \.build/\.multi\.[0-9]+: error: cannot link \./build/group_bys/quickstart/\.chrononc-link\.tmp\.[0-9]+ to \./build/\.build/\.multi\.[0-9]+\.tmp\.[A-Za-z0-9]+: Permission denied$" "$tmp/err" ||
    { cat "$tmp/err"; fail "read-only: no error naming the folder"; }
[ "$(wc -l <"$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "read-only: more than one line on stderr"; }
tail -n 1 "$tmp/out" | grep -Eq "^chrononc build: 0 built, [0-9]+ up to date, [1-9][0-9]* failed \(\./build\)$" ||
    fail "read-only: summary $(tail -n 1 "$tmp/out")"
md5sum -c --quiet "$tmp/before.md5" || fail "read-only: an executable changed"
no_temps build "read-only"
if [ -n "$as_user" ]; then chown -R "$(id -u):$(id -g)" "$tmp/repo"; else chmod 755 build/group_bys/quickstart; fi
build >"$tmp/out" || fail "the build after the read-only one failed"
converged "after read-only"
echo "ok: a read-only folder: exit 1, '$(cut -c1-90 "$tmp/err")...', executables unchanged; the next build converges"

# 3. a full disk (a file size limit)
full() { (trap '' XFSZ; ulimit -f "$1"; shift; exec $cc build --chronon_root . --kit "$tmp/kit" -j 2 "$@"); }
set +e; full 64 --out fresh >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "full disk, fresh output: exit $rc"; }
one_error "$tmp/err" "chrononc build: error: cannot write fresh/.lib/libchronon_exe.so.1: File too large"
[ -z "$(find fresh -type f)" ] || fail "full disk, fresh output: files written: $(find fresh -type f)"
echo "ok: a full disk, fresh output: $(cat "$tmp/err"), nothing written"

md5sum $(find build -type f ! -path 'build/.*') >"$tmp/before.md5"
touch production/group_bys/quickstart/*
set +e; full 8 >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "full disk: exit $rc"; }
grep -Eq "^chrononc build: \.build/\.multi\.[0-9]+: error: cannot write \./build/\.build/\.multi\.[0-9]+\.c: File too large$" "$tmp/err" ||
    { cat "$tmp/err"; fail "full disk: no error naming the source"; }
[ "$(wc -l <"$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "full disk: more than one line on stderr"; }
md5sum -c --quiet "$tmp/before.md5" || fail "full disk: an executable changed"
no_temps build "full disk"
build >"$tmp/out" || fail "the build after the full disk failed"
converged "after full disk"
[ "$(find build -type f ! -path 'build/.*' | wc -l)" = "$n" ] || fail "not $n executables"
echo "ok: a full disk: exit 1, $(cat "$tmp/err"), executables unchanged; the next build converges"

# 4. a team folder on another file system
shm=$(mktemp -d /dev/shm/build_write.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp" "$shm"' EXIT
[ "$(stat -c %d "$shm")" != "$(stat -c %d .)" ] || fail "/dev/shm is on this folder's file system: no cross-device case to make"
mkdir -p other/group_bys
ln -s "$shm" other/group_bys/quickstart
set +e; build --out other >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "cross-device: exit $rc"; }
grep -Eq "^chrononc build: \.build/\.multi\.[0-9]+: error: cannot link other/group_bys/quickstart/\.chrononc-link\.tmp\.[0-9]+ to other/\.build/\.multi\.[0-9]+\.tmp\.[A-Za-z0-9]+: Invalid cross-device link \(each executable is a hard link to its program in <out>/\.build: the output folder must be one file system with hard links; --static builds self-contained executables instead\)$" "$tmp/err" ||
    { cat "$tmp/err"; fail "cross-device: message"; }
[ "$(wc -l <"$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "cross-device: more than one line on stderr"; }
[ -z "$(ls -A "$shm")" ] || fail "cross-device: written into the team folder: $(ls -A "$shm")"
no_temps other "cross-device"
build --out other --static >"$tmp/out" || fail "cross-device: --static failed"
for f in $(cd production && find . -type f | sed 's|^\./||'); do
    cmp -s "production/$f" <(other/"$f" json) || fail "cross-device --static: other/$f json differs from its config"
done
echo "ok: a team folder on another file system: exit 1, the layout's need and --static named; --static builds there"
