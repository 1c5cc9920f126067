#!/usr/bin/env bash
# Two chrononc compile runs at once (issue 11): each run flock()s the folder
# holding its output root; a second run while the first holds it exits 1 with
# "another chrononc compile holds the lock on DIR" and writes nothing. Two
# runs started together: one completes, the other completes after it or is
# refused; the tree is always the complete, consistent output, no temporary
# file left. A killed run's lock goes with its process.
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compile_lock.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
cp "$BUILD/chrononc" "$tmp/chrononc" # a private copy: others may relink build/chrononc meanwhile
cc="$RUNNER $tmp/chrononc"
fail() { echo "FAIL: $*"; exit 1; }

"${PYTHON:-python3}" bench/gen_repo.py 300 "$tmp/repo" 2>/dev/null
cd "$tmp/repo"
$cc compile --chronon_root . --output_root "$tmp/ref" --force-overwrite -q
$cc compile --chronon_root . --output_root "$tmp/ref" --force-overwrite -q

# 1. the lock held (flock(1) on the folder holding production/): refused, nothing written
# (-o: the command does not inherit the lock; killing flock releases it)
flock -o "$tmp/repo" -c "touch $tmp/held; exec sleep 30" &
holder=$!
for _ in $(seq 100); do [ -e "$tmp/held" ] && break; sleep 0.05; done
set +e; $cc compile --chronon_root . --force-overwrite >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
sleeper=$(pgrep -P "$holder" || true)
kill "$holder" $sleeper 2>/dev/null || true; wait "$holder" 2>/dev/null || true
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "lock held: exit $rc"; }
[ "$(cat "$tmp/err")" = "chrononc compile: another chrononc compile holds the lock on . (it is writing ./production); run again when it has finished" ] ||
    { cat "$tmp/err"; fail "lock held: message"; }
[ ! -e production ] || fail "lock held: production/ was written"
echo "ok: a held lock: exit 1, 'another chrononc compile holds the lock on .', nothing written"

# 2. the lock released when its holder is killed: the next run proceeds
$cc compile --chronon_root . --force-overwrite -q
# 3. two runs started together, several times, over a changing tree
for round in 1 2 3 4 5; do
    [ $((round % 2)) = 0 ] && rm -rf production
    set +e
    $cc compile --chronon_root . --force-overwrite -q 2>"$tmp/err1" & p1=$!
    $cc compile --chronon_root . --force-overwrite -q 2>"$tmp/err2" & p2=$!
    wait $p1; rc1=$?; wait $p2; rc2=$?
    set -e
    for i in 1 2; do
        eval "rc=\$rc$i"
        case $rc in
        0) ;;
        1) grep -q "^chrononc compile: another chrononc compile holds the lock on \. " "$tmp/err$i" ||
               { cat "$tmp/err$i"; fail "round $round: run $i exit 1 without the lock message"; } ;;
        *) cat "$tmp/err$i"; fail "round $round: run $i exit $rc" ;;
        esac
    done
    [ "$rc1" = 0 ] || [ "$rc2" = 0 ] || fail "round $round: both runs refused"
    # one more run brings a fresh tree to the fixed point; then it must be the reference
    [ $((round % 2)) = 0 ] && $cc compile --chronon_root . --force-overwrite -q
    diff -r production "$tmp/ref" >/dev/null || fail "round $round: the tree differs from a single run's"
    [ -z "$(find production -name '.*')" ] || fail "round $round: temporary files left"
    echo "ok: round $round: two runs at once exited $rc1 and $rc2; the tree is complete and consistent"
done
