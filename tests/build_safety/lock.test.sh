#!/usr/bin/env bash
# Two chrononc build runs of one output folder at once (issue 11): each build
# flock()s <out> for the run (as compile locks its output root); a second
# build while one holds it exits 1 with
#   chrononc build: another chrononc build holds the lock on OUT (pid N); run again when it has finished
# (N from /proc/locks) and touches nothing. Two builds started together: one
# completes, the other completes after it or is refused; the output is always
# complete and converged. A killed build's lock goes with its process.
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/build_lock.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
# private copies: others may relink build/ meanwhile
cp "$BUILD/chrononc" "$tmp/chrononc"
cp -r "$BUILD/exe-kit" "$tmp/kit"
cc="$RUNNER $tmp/chrononc"
fail() { echo "FAIL: $*"; exit 1; }

"${PYTHON:-python3}" bench/gen_repo.py 300 "$tmp/repo" >/dev/null 2>&1
cd "$tmp/repo"
$cc compile --chronon_root . -q
build() { $cc build --chronon_root . --kit "$tmp/kit" -j 2 "$@"; }
n=$(find production -type f | wc -l)
msg_re="^chrononc build: another chrononc build holds the lock on \./build \(pid [0-9]+\); run again when it has finished$"

# 1. the lock held by another process (flock(1) on ./build): refused, nothing written
mkdir build
flock -o build -c "touch $tmp/held; exec sleep 30" &
holder=$!
for _ in $(seq 100); do [ -e "$tmp/held" ] && break; sleep 0.05; done
set +e; build >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
sleeper=$(pgrep -P "$holder" || true)
kill "$holder" $sleeper 2>/dev/null || true; wait "$holder" 2>/dev/null || true
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "lock held: exit $rc"; }
[ "$(cat "$tmp/err")" = "chrononc build: another chrononc build holds the lock on ./build (pid $holder); run again when it has finished" ] ||
    { cat "$tmp/err"; fail "lock held: message (holder pid $holder)"; }
[ ! -s "$tmp/out" ] || { cat "$tmp/out"; fail "lock held: something printed on stdout"; }
[ -z "$(ls -A build)" ] || fail "lock held: build/ was written: $(ls -A build)"
echo "ok: a held lock: exit 1, '$(cat "$tmp/err")', nothing written"

# 2. a real build holding it (its compiler slowed down): the second names its pid
cat >"$tmp/slowcc" <<EOF2
#!/bin/sh
touch "$tmp/cc-started"; sleep 2; exec cc "\$@"
EOF2
chmod +x "$tmp/slowcc"
$cc build --chronon_root . --kit "$tmp/kit" -j 2 --cc "$tmp/slowcc" >/dev/null 2>"$tmp/err1" &
first=$!
for _ in $(seq 200); do [ -e "$tmp/cc-started" ] && break; sleep 0.05; done
[ -e "$tmp/cc-started" ] || fail "the first build did not start its compiler"
set +e; build >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
wait $first || { cat "$tmp/err1"; fail "the first build failed"; }
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "second build: exit $rc"; }
[ "$(cat "$tmp/err")" = "chrononc build: another chrononc build holds the lock on ./build (pid $first); run again when it has finished" ] ||
    { cat "$tmp/err"; fail "second build: message (first build pid $first)"; }
echo "ok: a build while another builds: exit 1, the first build's pid named"

# 3. a build killed while holding it: the lock goes with it, the next build converges
rm -f "$tmp/cc-started"
touch production/group_bys/*/*
$cc build --chronon_root . --kit "$tmp/kit" -j 2 --cc "$tmp/slowcc" >/dev/null 2>&1 &
victim=$!
for _ in $(seq 200); do [ -e "$tmp/cc-started" ] && break; sleep 0.05; done
kill -KILL $victim; wait $victim 2>/dev/null || true
build >"$tmp/out" || fail "the build after a killed one failed"
tail -n 1 "$tmp/out" | grep -Eq "^chrononc build: [0-9]+ built, [0-9]+ up to date, 0 failed \(\./build\)$" ||
    fail "after a killed build: $(tail -n 1 "$tmp/out")"
echo "ok: a killed build's lock is released: $(tail -n 1 "$tmp/out")"

# 4. two builds started together, several times, over a changing repo
check_tree() {
    for f in $(cd production && find . -type f | sed 's|^\./||'); do
        cmp -s "production/$f" <(build/"$f" json) || fail "$1: build/$f json differs from its config"
    done
    [ "$(find build -path build/.build -prune -o -path build/.lib -prune -o -type f -print | wc -l)" = "$n" ] ||
        fail "$1: not $n executables"
    [ -z "$(find build -name '.*' ! -name .build ! -name .lib ! -name '.multi.[0-9]' ! -name libchronon_exe.so.1)" ] ||
        fail "$1: leftovers: $(find build -name '.*' ! -name .build ! -name .lib ! -name '.multi.[0-9]' ! -name libchronon_exe.so.1)"
}
for round in 1 2 3 4; do
    case $round in
    2) rm -rf build ;;
    3) touch production/joins/*/* ;;
    4) "${PYTHON:-python3}" - <<'PY'
import json, pathlib
for i, p in enumerate(sorted(pathlib.Path("production").rglob("*"))):
    if p.is_file() and i % 3 == 0:
        p.write_text(json.dumps(json.loads(p.read_text()), indent=3) + "\n")
PY
    ;;
    esac
    set +e
    build >"$tmp/out1" 2>"$tmp/err1" & p1=$!
    build >"$tmp/out2" 2>"$tmp/err2" & p2=$!
    wait $p1; rc1=$?; wait $p2; rc2=$?
    set -e
    for i in 1 2; do
        eval "rc=\$rc$i"
        case $rc in
        0) ;;
        1) grep -Eq "$msg_re" "$tmp/err$i" || { cat "$tmp/err$i"; fail "round $round: build $i exit 1 without the lock message"; } ;;
        *) cat "$tmp/err$i"; fail "round $round: build $i exit $rc" ;;
        esac
    done
    [ "$rc1" = 0 ] || [ "$rc2" = 0 ] || fail "round $round: both builds refused"
    check_tree "round $round"
    echo "ok: round $round: two builds at once exited $rc1 and $rc2; every executable is its config, nothing left over"
done
