#!/usr/bin/env bash
# Modules that fail to import, against compile.py: the corpus in
# tests/conformance/import_failures/ (see each file's docstring) compiled by
# compile.py (oracle.sh, failures allowed) and by `chrononc compile` must give
# byte-identical production/ trees, down to which files are absent.
#
# Python's rule: an exception ends a module's import, and every module that
# imports it, directly or through others, fails at its import statement;
# compile.py logs "Failed to extract: FILE" and writes nothing of those files.
# The corpus fails: a GroupBy constructor's validation (snapshot_hourly.py),
# a helper of another module (via_helper.py), module level after three good
# GroupBys (late_failure.py, whose statements after the failure would change a
# shared source), a sources module imported by three files (sources/broken.py),
# a package's __init__.py (group_bys/shop/nested/), a chain of three imports
# (joins/shop/chain.py -> chain_a -> chain_b -> chain_c) and a Join importing a
# good and a failed module (joins/shop/mixed.py).
#
# compile.py exits 0 after logging the failures; chrononc exits 1
# (docs/language.md, "When a module fails").
set -euo pipefail
tmp=$(mktemp -d "$BUILD/import_failures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
corpus=tests/conformance/import_failures

ORACLE_FAILURES=allowed ORACLE_KEEP_LOGS=1 bash tests/conformance/oracle.sh "$tmp/expected" "$corpus" \
    >"$tmp/oracle.log" 2>&1 || { cat "$tmp/oracle.log"; exit 1; }

# What compile.py does, pinned (a check of the corpus and of the oracle): the
# files it fails on, and the only configs it writes.
want_failed="group_bys/growth/views.py
group_bys/shop/chain_a.py
group_bys/shop/chain_b.py
group_bys/shop/chain_c.py
group_bys/shop/clicks.py
group_bys/shop/late_failure.py
group_bys/shop/nested/__init__.py
group_bys/shop/nested/merchants.py
group_bys/shop/snapshot_hourly.py
group_bys/shop/via_helper.py
joins/growth/from_broken.py
joins/shop/chain.py
joins/shop/mixed.py
joins/shop/nested_user.py"
failed=$(grep -ho 'Failed to extract: .*' "$tmp/expected.logs"/*.log | sed 's|.*/repo/||' | sort)
[ "$failed" = "$want_failed" ] || { echo "FAIL: compile.py failed on other files than expected:"; echo "$failed"; exit 1; }
want_written="group_bys/shop/good.baskets
group_bys/shop/good.v1
joins/shop/healthy.v1"
written=$(cd "$tmp/expected" && find . -type f | sed 's|^\./||' | sort)
[ "$written" = "$want_written" ] || { echo "FAIL: compile.py wrote other configs than expected:"; echo "$written"; exit 1; }

# chrononc, the whole repo: the same tree, exit 1.
cp -r "$corpus" "$tmp/ours"
rc=0
$RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/ours" --force-overwrite -y 2>"$tmp/compile.err" || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: chrononc compile exited $rc, not 1"; cat "$tmp/compile.err"; exit 1; }
diff -r "$tmp/expected" "$tmp/ours/production" >"$tmp/diff" ||
    { echo "FAIL: chrononc compile differs from compile.py:"; head -40 "$tmp/diff"; cat "$tmp/compile.err"; exit 1; }
tail -n 1 "$tmp/compile.err"

# Every file compile.py failed on has a diagnostic of ours (the root error, a
# failed import at its import line, an error on the file for a failed
# package, a note at the call of a failing helper); the root errors are
# reported once, the failed imports once per importer.
for f in $failed; do
    grep -q "^$f:" "$tmp/compile.err" || { echo "FAIL: no diagnostic in $f:"; cat "$tmp/compile.err"; exit 1; }
done
count() { grep -c -- "$1" "$tmp/compile.err" || true; }
for root in "error: Query() got an unexpected keyword argument 'time_colum'" \
            "error: input_column is required for all operations" \
            "error: Window() got an unexpected keyword argument 'time_unit'" \
            "windows: \[Window(length=12, timeUnit=0)\]" \
            "error: Aggregation() got an unexpected keyword argument 'input_colum'"; do
    [ "$(count "$root")" = 1 ] || { echo "FAIL: not once: $root"; cat "$tmp/compile.err"; exit 1; }
done
[ "$(count "error: cannot import 'sources.broken': the module failed to load")" = 3 ] ||
    { echo "FAIL: sources.broken's three importers"; cat "$tmp/compile.err"; exit 1; }
[ "$(count "note: 'sources.broken' failed to load because of this error")" = 3 ] ||
    { echo "FAIL: the notes at sources.broken's error"; cat "$tmp/compile.err"; exit 1; }
grep -q "^joins/shop/chain.py:6:6: error: cannot import 'group_bys.shop.chain_a': the module failed to load$" "$tmp/compile.err" &&
    grep -q "^group_bys/shop/chain_c.py:14:19: note: 'group_bys.shop.chain_a' failed to load because of this error$" "$tmp/compile.err" ||
    { echo "FAIL: the chain's note does not point at chain_c's error"; cat "$tmp/compile.err"; exit 1; }
grep -q "^group_bys/shop/nested/merchants.py: error: cannot compile this file: its package 'group_bys.shop.nested' failed to load$" \
    "$tmp/compile.err" || { echo "FAIL: no error on the failed package's file"; cat "$tmp/compile.err"; exit 1; }

# compile.py's way, one folder at a time (the failed modules of the group_bys
# pass fail the joins pass's importers too), and one file at a time; -j 1 and
# -j 4: the same tree each time.
cp -r "$corpus" "$tmp/byfolder"
for folder in group_bys joins; do
    $RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/byfolder" --input_path "$folder" --force-overwrite -y -q \
        2>/dev/null && { echo "FAIL: compile --input_path $folder exited 0"; exit 1; }
done
diff -r "$tmp/expected" "$tmp/byfolder/production" >"$tmp/diff" ||
    { echo "FAIL: folder-by-folder compile differs:"; head -40 "$tmp/diff"; exit 1; }
cp -r "$corpus" "$tmp/byfile"
for f in $(cd "$corpus" && find group_bys joins -name '*.py' | sort); do
    rc=0
    $RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/byfile" --input_path "$f" --force-overwrite -y -q \
        2>"$tmp/file.err" || rc=$?
    case "$want_failed" in
    *"$f"*) [ "$rc" = 1 ] || { echo "FAIL: compile --input_path $f exited $rc"; exit 1; } ;;
    *) [ "$rc" = 0 ] || { echo "FAIL: compile --input_path $f exited $rc"; cat "$tmp/file.err"; exit 1; } ;;
    esac
done
diff -r "$tmp/expected" "$tmp/byfile/production" >"$tmp/diff" ||
    { echo "FAIL: file-by-file compile differs:"; head -40 "$tmp/diff"; exit 1; }
for jobs in 1 4; do
    cp -r "$corpus" "$tmp/j$jobs"
    $RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/j$jobs" --force-overwrite -y -q -j $jobs 2>"$tmp/j.err" &&
        { echo "FAIL: compile -j $jobs exited 0"; exit 1; }
    head -n -1 "$tmp/compile.err" | cmp -s - "$tmp/j.err" ||
        { echo "FAIL: compile -j $jobs reports other diagnostics"; diff <(head -n -1 "$tmp/compile.err") "$tmp/j.err"; exit 1; }
    diff -r "$tmp/expected" "$tmp/j$jobs/production" >"$tmp/diff" ||
        { echo "FAIL: compile -j $jobs differs:"; head -40 "$tmp/diff"; exit 1; }
done
echo "import failures: $(echo "$failed" | wc -l) files fail as in compile.py; the same $(echo "$written" | wc -l) configs" \
     "written whole-repo, folder by folder, file by file, -j 1 / -j 4"
