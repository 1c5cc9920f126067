#!/usr/bin/env bash
# chrononc build on the quickstart: one executable per config, whose `json` is
# the config byte for byte, whose `info` and `validate` say what they should;
# incremental rebuilds; atomic outputs.
set -euo pipefail
source tests/build/lib.sh
make_tmp
repo=$tmp/repo
out=$repo/build

build_quickstart "$repo" >"$tmp/build1.out"
cat "$tmp/build1.out"
grep -qxF "chrononc build: 5 built, 0 up to date, 0 failed ($out)" "$tmp/build1.out" || fail "first build"

# ---- json: byte for byte -------------------------------------------------------
for c in "${QUICKSTART_CONFIGS[@]}"; do
    [ -x "$out/$c" ] || fail "$c: no executable"
    $RUNNER "$out/$c" json >"$tmp/json"
    cmp "$tmp/json" "$repo/production/$c" || fail "$c: json differs from the config"
done
echo "json: 5 configs byte-identical"

# ---- info: exact ---------------------------------------------------------------
$RUNNER "$out/group_bys/quickstart/purchases.v1" info >"$tmp/info"
diff -u - "$tmp/info" <<'EOF'
name: quickstart.purchases.v1
kind: GroupBy
team: quickstart
output_table: quickstart.quickstart_purchases_v1
sources:
  data.purchases
dependencies:
  {"name": "wait_for_data.purchases_ds", "spec": "data.purchases/ds={{ ds }}", "start": null, "end": null}
EOF
$RUNNER "$out/group_bys/quickstart/users.v1" info >"$tmp/info"
diff -u - "$tmp/info" <<'EOF'
name: quickstart.users.v1
kind: GroupBy
team: quickstart
output_table: quickstart.quickstart_users_v1
sources:
  data.users
dependencies:
  {"name": "wait_for_data.users_ds", "spec": "data.users/ds={{ ds }}", "start": null, "end": null}
EOF
$RUNNER "$out/joins/quickstart/training_set.v1" info >"$tmp/info"
diff -u - "$tmp/info" <<'EOF'
name: quickstart.training_set.v1
kind: Join
team: quickstart
output_table: quickstart.quickstart_training_set_v1
sources:
  data.checkouts
  data.purchases
  data.returns
  data.users
dependencies:
  {"name": "wait_for_data.checkouts_ds", "spec": "data.checkouts/ds={{ ds }}", "start": null, "end": null}
  {"name": "wait_for_data.purchases_ds", "spec": "data.purchases/ds={{ ds }}", "start": null, "end": null}
  {"name": "wait_for_data.returns_ds", "spec": "data.returns/ds={{ ds }}", "start": null, "end": null}
  {"name": "wait_for_data.users_ds", "spec": "data.users/ds={{ ds }}", "start": null, "end": null}
EOF
$RUNNER "$out/staging_queries/quickstart/daily_spend.v1" info >"$tmp/info"
diff -u - "$tmp/info" <<'EOF'
name: quickstart.daily_spend.v1
kind: StagingQuery
team: quickstart
output_table: quickstart.quickstart_daily_spend_v1
sources:
dependencies:
  data.purchases
EOF
echo "info: exact"

# ---- validate (static part) ------------------------------------------------------
for c in "${QUICKSTART_CONFIGS[@]}"; do
    $RUNNER "$out/$c" validate --static >"$tmp/validate"
    kind=$(sed -n 's/^kind: //p' <("$out/$c" info))
    name=$(sed -n 's/^name: //p' <("$out/$c" info))
    printf 'static: ok: %s %s parses strictly into chronon_%s\njvm: not checked (--static)\n' \
        "$kind" "$name" "$kind" | diff -u - "$tmp/validate"
done
echo "validate --static: 5 ok"

# A corrupted copy: builds (build embeds bytes, it does not judge them), then
# fails validate with the JSON path of the bad value.
mkdir -p "$tmp/bad"
cp -r "$repo/production" "$tmp/bad/production"
sed -i '0,/"operation": 7/s//"operation": "SUM"/' "$tmp/bad/production/group_bys/quickstart/purchases.v1"
sed -i 's/"keyColumns"/"keyColumnz"/' "$tmp/bad/production/group_bys/quickstart/users.v1"
$RUNNER "$BUILD/chrononc" build --chronon_root "$tmp/bad" >/dev/null
rc=0; $RUNNER "$tmp/bad/build/group_bys/quickstart/purchases.v1" validate --static >"$tmp/v.out" 2>"$tmp/v.err" || rc=$?
[ "$rc" -eq 1 ] || fail "corrupted purchases: validate exit $rc"
echo 'group_bys/quickstart/purchases.v1: error: $.aggregations[0].operation: expected integer, got string' |
    diff -u - "$tmp/v.err"
[ ! -s "$tmp/v.out" ] || fail "validate printed ok for a bad config"
rc=0; $RUNNER "$tmp/bad/build/group_bys/quickstart/users.v1" validate --static 2>"$tmp/v.err" >/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "unknown field: validate exit $rc"
grep -F 'group_bys/quickstart/users.v1: error: $.keyColumnz' "$tmp/v.err" || { cat "$tmp/v.err"; fail "unknown field not reported"; }
# the bad copy's json is still the bad bytes
$RUNNER "$tmp/bad/build/group_bys/quickstart/purchases.v1" json | cmp - "$tmp/bad/production/group_bys/quickstart/purchases.v1"
echo "validate: corrupted copies fail with their JSON paths"

# ---- incremental -------------------------------------------------------------------
stamps() { for c in "${QUICKSTART_CONFIGS[@]}"; do printf '%s %s\n' "$c" "$(stat -c %y "$out/$c")"; done; }
stamps >"$tmp/stamps1"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" -j 3 >"$tmp/build2.out"
grep -qxF "chrononc build: 0 built, 5 up to date, 0 failed ($out)" "$tmp/build2.out" ||
    { cat "$tmp/build2.out"; fail "second build rebuilt something"; }
stamps | diff -u "$tmp/stamps1" - || fail "second build touched an executable"
echo "incremental: a second build rebuilds nothing"

touch "$repo/production/group_bys/quickstart/returns.v1"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" >"$tmp/build3.out"
diff -u - "$tmp/build3.out" <<EOF
built group_bys/quickstart/returns.v1
chrononc build: 1 built, 4 up to date, 0 failed ($out)
EOF
# The five configs share one program (tests/build/layout.test.sh: parts of a
# big repo); it was relinked, and every executable is still a link to it.
for c in "${QUICKSTART_CONFIGS[@]}"; do
    [ "$out/$c" -ef "$out/.build/.multi.0" ] || fail "$c: not a link to the program"
    $RUNNER "$out/$c" json | cmp - "$repo/production/$c" || fail "$c: json after the rebuild"
done
echo "incremental: touching one config rebuilds only its program"

# The kit (a private copy): a newer runtime library rebuilds nothing (stubs
# bind to it by soname; <out>/.lib gets the new copy when its bytes differ);
# a newer header, template or build.conf rebuilds every executable.
cp -rp "$BUILD/exe-kit" "$tmp/kit"    # -p: the kit's own times
touch "$tmp/kit/lib/libchronon_exe.so.1"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --kit "$tmp/kit" --out "$out" >"$tmp/build4.out"
grep -qxF "chrononc build: 0 built, 5 up to date, 0 failed ($out)" "$tmp/build4.out" || fail "newer runtime rebuilt"
printf '\n' >>"$tmp/kit/lib/libchronon_exe.so.1"    # other bytes, still a valid library
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --kit "$tmp/kit" --out "$out" >"$tmp/build4.out"
grep -qxF "chrononc build: 0 built, 5 up to date, 0 failed ($out)" "$tmp/build4.out" || fail "other runtime rebuilt"
cmp "$tmp/kit/lib/libchronon_exe.so.1" "$out/.lib/libchronon_exe.so.1" || fail "<out>/.lib not refreshed"
$RUNNER "$out/group_bys/quickstart/users.v1" json | cmp - "$repo/production/group_bys/quickstart/users.v1"
touch "$tmp/kit/build.conf"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --kit "$tmp/kit" --out "$out" >"$tmp/build4.out"
grep -qxF "chrononc build: 5 built, 0 up to date, 0 failed ($out)" "$tmp/build4.out" || fail "newer build.conf did not rebuild"
echo "incremental: a newer runtime only refreshes <out>/.lib; a newer build.conf rebuilds every executable"

# ---- atomic outputs ------------------------------------------------------------------
# A compiler that fails leaves the old executable in place and no temporary file.
rc=0
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --force --cc false -j 2 >"$tmp/fail.out" 2>"$tmp/fail.err" || rc=$?
[ "$rc" -eq 1 ] || fail "failed compiles: exit $rc"
grep -qxF "chrononc build: 0 built, 0 up to date, 5 failed ($out)" "$tmp/fail.out" || fail "failed compiles counted"
grep -qF "chrononc build: .build/.multi.0: the compiler failed (exit 1)" "$tmp/fail.err" || fail "failure not reported"
[ -z "$(find "$out" -name '*.tmp.*')" ] || fail "temporary files left behind"
$RUNNER "$out/group_bys/quickstart/purchases.v1" json | cmp - "$repo/production/group_bys/quickstart/purchases.v1"
echo "atomic: a failed compile keeps the old executable, leaves no temporary file"

# ---- usage -----------------------------------------------------------------------------
rc=0; $RUNNER "$BUILD/chrononc" build --bogus 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "unknown option: exit $rc"
rc=0; $RUNNER "$BUILD/chrononc" build --chronon_root "$tmp/nowhere" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "no compiled configs" "$tmp/err" || fail "missing production/"
rc=0; $RUNNER "$out/group_bys/quickstart/purchases.v1" frobnicate 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "unknown subcommand: exit $rc"
$RUNNER "$out/group_bys/quickstart/purchases.v1" --help | grep -q '^usage: purchases.v1 COMMAND'
# --version: chronon-c's, and the engine it was tested with, as chrononc's
ver=$($RUNNER "$out/joins/quickstart/training_set.v1" --version) || fail "--version: exit $?"
[ "$(head -n 1 <<<"$ver")" = "training_set.v1 (joins/quickstart/training_set.v1): built by chrononc build, $("$BUILD/chrononc" --version | head -n 1 | sed 's/^chrononc /chronon-c /')" ] ||
    fail "--version: first line: $(head -n 1 <<<"$ver")"
[ "$(tail -n +2 <<<"$ver")" = "$("$BUILD/chrononc" --version | tail -n +2)" ] || fail "--version: not chrononc's versions"
grep -q "^tested with: Chronon engine chronon-spark_uber_2.12-.*\.jar, Spark 3\." <<<"$ver" || fail "--version: no engine line"
rc=0; $RUNNER "$out/joins/quickstart/training_set.v1" --version extra 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--version extra: exit $rc"
echo "build: all checks passed"
