#!/usr/bin/env bash
# The conformance suite: the definitions repo in tests/conformance/repo,
# compiled by chronon-ai's compile.py (oracle.sh) and by `chrononc compile`,
# must give byte-identical production/ trees. Then: a second compile rewrites
# nothing, a file-by-file compile gives the same bytes, and `chrononc check`
# passes without writing.
set -euo pipefail
tmp=$(mktemp -d "$BUILD/conformance.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bash tests/conformance/oracle.sh "$tmp/expected" >"$tmp/oracle.log" 2>&1 ||
    { cat "$tmp/oracle.log"; exit 1; }

cp -r tests/conformance/repo "$tmp/ours"
$RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/ours" --force-overwrite -y 2>"$tmp/compile.err" ||
    { cat "$tmp/compile.err"; exit 1; }
tail -n 1 "$tmp/compile.err"
if ! diff -r "$tmp/expected" "$tmp/ours/production" >"$tmp/diff"; then
    echo "FAIL: chrononc compile differs from compile.py:"; head -60 "$tmp/diff"; exit 1
fi
n=$(find "$tmp/expected" -type f | wc -l)
echo "conformance: $n files byte-identical to compile.py"
[ "$n" -ge 60 ]

# Outputs are written only when their bytes change: compiling a folder again
# rewrites nothing. (A whole-repo recompile does rewrite some GroupBys, as
# compile.py does: the validator now sees the production Joins of the first
# run and marks their GroupBys production.)
cp -r tests/conformance/repo "$tmp/again"
$RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/again" --input_path staging_queries -y -q
touch "$tmp/stamp"
$RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/again" --input_path staging_queries -y 2>"$tmp/again.err"
grep -q "chrononc compile: 0 written, 8 unchanged" "$tmp/again.err" || { cat "$tmp/again.err"; exit 1; }
[ -z "$(find "$tmp/again/production" -type f -newer "$tmp/stamp")" ] || { echo "FAIL: an unchanged output was rewritten"; exit 1; }

# compile.py's way: one folder at a time, in its order, into a fresh tree.
cp -r tests/conformance/repo "$tmp/byfolder"
for folder in group_bys joins staging_queries; do
    $RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/byfolder" --input_path "$folder" --force-overwrite -y -q
done
diff -r "$tmp/expected" "$tmp/byfolder/production" >"$tmp/diff" ||
    { echo "FAIL: folder-by-folder compile differs:"; head -40 "$tmp/diff"; exit 1; }

# The write threads change nothing: one thread or several, the same bytes.
for jobs in 1 4; do
    cp -r tests/conformance/repo "$tmp/j$jobs"
    $RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/j$jobs" --force-overwrite -y -q -j $jobs
    diff -r "$tmp/expected" "$tmp/j$jobs/production" >"$tmp/diff" ||
        { echo "FAIL: compile -j $jobs differs:"; head -40 "$tmp/diff"; exit 1; }
done

# A write that fails is an error at the config, in file order, whatever the
# threads do; the other configs are still written.
cp -r tests/conformance/repo "$tmp/blocked"
mkdir -p "$tmp/blocked/production/joins"
echo "not a folder" >"$tmp/blocked/production/joins/risk"
rc=0
$RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/blocked" --input_path joins --force-overwrite -y -j 3 \
    2>"$tmp/blocked.err" || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: a blocked write exited $rc"; cat "$tmp/blocked.err"; exit 1; }
grep -E '^joins/risk/[a-z_]+\.py:[0-9]+:[0-9]+: error: cannot create .*/production/joins/risk: Not a directory$' \
    "$tmp/blocked.err" >"$tmp/blocked.lines" || { echo "FAIL: no 'cannot create' error:"; cat "$tmp/blocked.err"; exit 1; }
[ "$(cut -d: -f1 "$tmp/blocked.lines")" = "$(cut -d: -f1 "$tmp/blocked.lines" | sort)" ] ||
    { echo "FAIL: errors out of file order"; cat "$tmp/blocked.lines"; exit 1; }
grep -q "chrononc compile: .* [1-9][0-9]* failed; " "$tmp/blocked.err" || { cat "$tmp/blocked.err"; exit 1; }
cmp -s "$tmp/expected/joins/commerce/purchase_online.v1" "$tmp/blocked/production/joins/commerce/purchase_online.v1" ||
    { echo "FAIL: the other Joins were not written"; exit 1; }

# check validates the same repo and writes nothing.
cp -r tests/conformance/repo "$tmp/checked"
$RUNNER "$BUILD/chrononc" check --chronon_root "$tmp/checked" 2>"$tmp/check.err" || { cat "$tmp/check.err"; exit 1; }
[ ! -e "$tmp/checked/production" ] || { echo "FAIL: check wrote files"; exit 1; }
echo "conformance: recompile, folder-by-folder, -j 1 / -j 4, a blocked write and check agree"
