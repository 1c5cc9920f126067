#!/usr/bin/env bash
# A module's values copied out of the arena it ran in (codegen/dsl/copy_out.h),
# against compile.py: the corpus in tests/conformance/copy_out/ (see each
# file's docstring) is made of modules whose values must outlive their own run
# in every way we know of, and must compile byte for byte as compile.py does:
#   * functions a file defines, called by files that run after it (a def, a
#     closure, a lambda): their code is copied, the file's tree freed
#     (group_bys/shop/builders.py);
#   * a value stored into an older module's list (sources/registry.py's
#     REGISTERED, appended to by invites.py) and a shared source's selects
#     that GroupBy() adds to: the module's arena is kept whole (escaped);
#   * a package importing from itself while it runs (pkg/), and a package
#     whose partly run globals another module reads through its parent's
#     attribute and keeps (deep/ and sources/reader.py): kept (import cycle).
# CHRONONC_CHECK_COPY_OUT makes every copy check that nothing reachable from
# any module still points into the freed arena (a store the write barrier
# missed aborts the run). CHRONONC_STATS prints what became of each pass's
# module arenas: pinned here, so that a change that stops copying (or stops
# keeping) shows.
set -euo pipefail
tmp=$(mktemp -d "$BUILD/copy_out.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
corpus=tests/conformance/copy_out
export CHRONONC_CHECK_COPY_OUT=1

bash tests/conformance/oracle.sh "$tmp/expected" "$corpus" >"$tmp/oracle.log" 2>&1 ||
    { cat "$tmp/oracle.log"; exit 1; }
n=$(find "$tmp/expected" -type f | wc -l)
[ "$n" = 5 ] || { echo "FAIL: compile.py wrote $n configs, expected 5"; find "$tmp/expected" -type f; exit 1; }

for jobs in 1 2 4; do
    cp -r "$corpus" "$tmp/j$jobs"
    CHRONONC_STATS=1 $RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/j$jobs" --force-overwrite -y -j $jobs \
        2>"$tmp/j$jobs.err" || { cat "$tmp/j$jobs.err"; exit 1; }
    diff -r "$tmp/expected" "$tmp/j$jobs/production" >"$tmp/diff" ||
        { echo "FAIL: chrononc -j $jobs differs from compile.py:"; head -40 "$tmp/diff"; exit 1; }
    got=$(grep '^chrononc: [a-z_]*: ' "$tmp/j$jobs.err")
    want="chrononc: group_bys: 13 modules ran: 10 copied out (8 syntax trees freed), 3 kept (1 escaped, 0 failed, 2 on an import cycle)
chrononc: joins: 9 modules ran: 7 copied out (7 syntax trees freed), 2 kept (1 escaped, 0 failed, 1 on an import cycle)"
    [ "$got" = "$want" ] || { echo "FAIL: -j $jobs: module arenas:"; echo "$got"; echo "expected:"; echo "$want"; exit 1; }
done
echo "copy_out: $n configs byte-identical to compile.py with -j 1, 2, 4; 17 of 22 module arenas copied out and freed"

# The bench's repo shapes: every module is copied out and its tree freed
# (what keeps a 10,000-config compile's memory bounded; bench/README.md).
for shape in one-per-file sources-heavy join-heavy; do
    $PYTHON bench/gen_repo.py --shape "$shape" 200 "$tmp/$shape" >/dev/null
    CHRONONC_STATS=1 $RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/$shape" --force-overwrite -q \
        2>"$tmp/$shape.err" || { cat "$tmp/$shape.err"; exit 1; }
    grep '^chrononc: group_bys: ' "$tmp/$shape.err" | grep -Eq ': ([0-9]+) modules ran: \1 copied out \(\1 syntax trees freed\), 0 kept' ||
        { echo "FAIL: $shape: not every module was copied out:"; cat "$tmp/$shape.err"; exit 1; }
done
grep '^chrononc: joins: ' "$tmp/join-heavy.err" | grep -Eq ': ([0-9]+) modules ran: \1 copied out' ||
    { echo "FAIL: join-heavy joins pass:"; cat "$tmp/join-heavy.err"; exit 1; }
echo "copy_out: the bench shapes' group_bys and joins passes copy every module out"
