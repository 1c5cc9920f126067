#!/usr/bin/env bash
# `chrononc compile --check`: the CI guard that the compiled configs under
# production/ are what the definitions compile to. It writes nothing, lists
# the missing or different files on stdout (sorted, each once) and exits 1
# when there are any; 0 and no output when production/ is up to date.
set -euo pipefail
tmp=$(cd "$(mktemp -d "$BUILD/compile_check.XXXXXX")" && pwd)
trap 'rm -rf "$tmp"' EXIT
cp -r examples/quickstart "$tmp/qs"
cd "$tmp/qs"
cc=$ROOT/$BUILD/chrononc
fail() { echo "FAIL: $*"; exit 1; }

# nothing compiled yet: every config is missing, and nothing gets written
set +e; $RUNNER "$cc" compile --check --chronon_root . >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "no production/: exit $rc, expected 1"
printf '%s\n' ./production/group_bys/quickstart/purchases.v1 ./production/group_bys/quickstart/returns.v1 \
    ./production/group_bys/quickstart/users.v1 ./production/joins/quickstart/training_set.v1 \
    ./production/staging_queries/quickstart/daily_spend.v1 >"$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "listed files"
grep -qx 'chrononc compile --check: 5 configs under ./production differ from what the definitions compile to; run chrononc compile' "$tmp/err" \
    || { cat "$tmp/err"; fail "summary"; }
[ ! -e production ] || fail "--check created production/"

# compiled: up to date
$RUNNER "$cc" compile --chronon_root . -q
set +e; $RUNNER "$cc" compile --check --chronon_root . -q >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] || { cat "$tmp/out" "$tmp/err"; fail "up to date: exit $rc"; }

# a config edited by hand, one deleted, one definition changed
echo ' ' >>production/joins/quickstart/training_set.v1
rm production/staging_queries/quickstart/daily_spend.v1
sed -i "s/days=(3, 14, 30)/days=(3, 14)/" group_bys/quickstart/returns.py
grep -q "days=(3, 14)):" group_bys/quickstart/returns.py || fail "the definition edit did not apply"
find production -type f -exec sha256sum {} + | sort >"$tmp/before"
# --check answers "would this compile change anything?", with the same
# options: without --force-overwrite, compile keeps the two online configs
# (compile.py's safe_to_overwrite), so only the deleted file counts
set +e; $RUNNER "$cc" compile --check --chronon_root . >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "stale production/: exit $rc, expected 1"
echo ./production/staging_queries/quickstart/daily_spend.v1 >"$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "listed files after the edits"
grep -q '^chrononc compile --check: 2 up to date, 1 differ, 0 skipped (no batch job needed), 2 kept (materialized online), 0 failed; 0 errors$' "$tmp/err" \
    || { cat "$tmp/err"; fail "summary after the edits"; }
set +e; $RUNNER "$cc" compile --check --force-overwrite --chronon_root . >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "stale production/, --force-overwrite: exit $rc, expected 1"
printf '%s\n' ./production/group_bys/quickstart/returns.v1 ./production/joins/quickstart/training_set.v1 \
    ./production/staging_queries/quickstart/daily_spend.v1 >"$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "listed files after the edits, --force-overwrite"
find production -type f -exec sha256sum {} + | sort >"$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "--check changed production/"
[ ! -e production/staging_queries/quickstart/daily_spend.v1 ] || fail "--check wrote a missing file"
[ -z "$(find . -name '*.tmp*' -o -name '.*.tmp*')" ] || fail "temp files left"

# a compile brings it up to date again
$RUNNER "$cc" compile --force-overwrite --chronon_root . -q
$RUNNER "$cc" compile --check --force-overwrite --chronon_root . -q >"$tmp/out" || fail "after compile: exit $?"
[ ! -s "$tmp/out" ] || fail "after compile: listed $(cat "$tmp/out")"

# only compile has it
set +e; $RUNNER "$cc" check --check --chronon_root . 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "chrononc check: unknown option '--check'" "$tmp/err" || fail "check --check: exit $rc"
echo "compile --check: missing, edited, deleted and out-of-date configs listed; nothing written"
