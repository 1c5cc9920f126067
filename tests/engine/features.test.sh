#!/usr/bin/env bash
# Everything the executables' run/analyze/validate offer, on Chronon's real
# engine (the JVM, pyspark's Spark, Chronon's jar from chronon-c's jar cache):
#   run of a GroupBy and a Join, analyze of both, validate (--require-jvm);
#   StagingQuery: auto-expand (default) vs --no-auto-expand,
#     --override-start-partition, --step-days;
#   a GroupBy fed by a JoinSource: the upstream join runs first under this
#     run's prefix; --no-upstream skips it;
#   --step-days 1 over 3 days; a Join's --skip-first-hole / --no-skip-first-hole;
#   the name prefix (user name by default, --name-prefix, --no-name-prefix),
#     --output-namespace;
#   a Query's setups registering a Hive UDF that its selects call;
#   the JVM log echoed on stderr without --quiet, not with it.
#
# Definitions: examples/quickstart plus tests/engine/features_repo (a join
# with a topic feeding a JoinSource, and a GroupBy with setups). Data: the
# quickstart's examples/quickstart/data/data.sql, in one warehouse shared by
# every case. Each executable run is one JVM, so the cases share runs; the
# runs go one after the other (the Derby metastore takes one JVM at a time).
#
# Plain pass only (the JVM cannot run under valgrind/ASan); there it never
# skips: no Java, no pyspark or no jar in the cache FAILS.
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, PYTHON.
set -uo pipefail
. tests/jvm/lib.sh
jvm_setup features
cache=${XDG_CACHE_HOME:-$HOME/.cache}/chronon-c/jars
ls "$cache"/*.jar >/dev/null 2>&1 ||
    { echo "FAIL: Chronon's jar is not in $cache: run make chronon-jar (make check does)"; exit 1; }
data_sql=examples/quickstart/data/data.sql
[ -f "$data_sql" ] || { echo "FAIL: missing $data_sql"; exit 1; }
export CHRONON_WAREHOUSE=$wh LOGNAME=tester USER=tester
test_start=$SECONDS

# ---- helpers ------------------------------------------------------------------------

# exe NAME CONFIG ARGS...: $repo/build/CONFIG ARGS --log-file $work/NAME.log,
# stdout, stderr and status in $work/NAME.{out,err,rc}; prints the time taken.
exe() {
    local name=$1 config=$2 start=$SECONDS rc=0
    shift 2
    timeout 600 "$repo/build/$config" "$@" --log-file "$work/$name.log" \
        >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    echo "$rc" >"$work/$name.rc"
    echo "     ($name: exit $rc in $((SECONDS - start))s)"
}

# expect_no_err NAME TEXT: stderr lacks TEXT
expect_no_err() {
    if grep -qF -- "$2" "$work/$1.err"; then
        bad "$1" "stderr has: $2"
        grep -F -- "$2" "$work/$1.err" | head -n 5 | sed 's/^/     | /'
    else
        ok "$1: does not say '$2'"
    fi
}

# expect_in NAME WHERE TEXT: $work/NAME.WHERE (out, err, log) holds TEXT
expect_in() {
    if grep -qF -- "$3" "$work/$1.$2"; then
        ok "$1: $2 has '$3'"
    else
        bad "$1" "$2 lacks: $3"
        tail -n 20 "$work/$1.$2" | cut -c1-300 | sed 's/^/     | /'
    fi
}

# partitions DB.TABLE: the table's partition folders in the warehouse, sorted,
# space-separated ("absent" when the table has no folder)
partitions() {
    local dir=$wh/spark-warehouse/${1%%.*}.db/${1#*.}
    if [ -d "$dir" ]; then
        (cd "$dir" && ls -d ds=* 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//')
    else
        echo absent
    fi
}

# expect_partitions NAME DB.TABLE WANTED: WANTED is "ds=... ds=..." or "absent"
expect_partitions() {
    local got
    got=$(partitions "$2")
    if [ "$got" = "$3" ]; then
        ok "$1: $2: ${3:-no partitions}"
    else
        bad "$1" "$2: partitions '$got', wanted '$3'"
    fi
}

# expect_rows NAME WHAT EXPR WANTED: EXPR, a Python expression over rows (the
# dicts of $work/NAME.jsonl, the rows the run returned), prints WANTED
expect_rows() {
    local got
    got=$("$PYTHON" -c '
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(eval(sys.argv[2]))' "$work/$1.jsonl" "$3" 2>&1)
    if [ "$got" = "$4" ]; then
        ok "$1: $2: $4"
    else
        bad "$1" "$2: got $got, wanted $4"
    fi
}

# ---- definitions and data -----------------------------------------------------------
repo=$work/repo
cp -r examples/quickstart "$repo"
rm -rf "$repo/production" "$repo/build" "$repo/data"
cp -r tests/engine/features_repo/. "$repo/"
# --force-overwrite: the GroupBy over the join source embeds the join, which
# must then be compiled with it (chronon-ai's compile asks for the same flag).
"$chrononc" compile --chronon_root "$repo" -y --force-overwrite >"$work/compile.out" 2>&1 &&
    "$chrononc" build --chronon_root "$repo" >"$work/build.out" 2>&1 ||
    { echo "FAIL compile/build:"; sed 's/^/     | /' "$work/compile.out" "$work/build.out"; exit 1; }
ok "compiled and built $(grep -c '^built ' "$work/build.out") configs"

gb=group_bys/quickstart/purchases.v1
join=joins/quickstart/features_test.checkout_spend
chained=group_bys/quickstart/features_test.chained
reversed=group_bys/quickstart/features_test.reversed
sq=staging_queries/quickstart/daily_spend.v1
join_cols=user_id,ts,quickstart_purchases_v1_purchase_price_sum_3d

# The quickstart's data, the namespace for --output-namespace, and tables that
# exist before their runs:
#  - two StagingQuery outputs without the spend column (auto-expand adds it;
#    without auto-expand the insert fails);
#  - the Join's output (prefix sh) with a partition 2023-11-30 only, holding a
#    sentinel row: a first hole (2023-11-29) before an existing partition. No
#    semantic hash on it, so Chronon keeps it.
sql setup --quiet -f "$data_sql" \
    "CREATE DATABASE IF NOT EXISTS ft_out" \
    "CREATE TABLE quickstart.sqa_quickstart_daily_spend_v1 (user_id STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET" \
    "CREATE TABLE quickstart.sqn_quickstart_daily_spend_v1 (user_id STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET" \
    "CREATE TABLE quickstart.sh_quickstart_features_test_checkout_spend (user_id STRING, ts BIGINT) PARTITIONED BY (ds STRING) STORED AS PARQUET" \
    "INSERT INTO quickstart.sh_quickstart_features_test_checkout_spend PARTITION (ds = '2023-11-30') VALUES ('sentinel', 0)"
expect_rc setup 0
[ "$(cat "$work/setup.rc")" = 0 ] || exit 1

# ---- GroupBy run: the user name prefix, --step-days 1 over 3 days, the JVM log echo --
# Chronon's INFO lines (its step progress) are in the log at level info.
CHRONON_LOG_LEVEL=info exe gb "$gb" run --start-date 2023-11-29 --end-date 2023-12-01 --step-days 1 \
    --output "$work/gb.jsonl"
expect_rc gb 0
expect_err gb "written to quickstart.tester_quickstart_purchases_v1"
expect_partitions gb quickstart.tester_quickstart_purchases_v1 "ds=2023-11-29 ds=2023-11-30 ds=2023-12-01"
expect_rows gb "u1's 3-day sums" \
    '[r["purchase_price_sum_3d"] for r in sorted(rows, key=lambda r: r["ds"]) if r["user_id"] == "u1"]' \
    "[42.5, 67.5, 75.0]"
for step in "[2023-11-29...2023-11-29] [1/3]" "[2023-11-30...2023-11-30] [2/3]" "[2023-12-01...2023-12-01] [3/3]"; do
    expect_in gb log "Computing group by for range: $step"
done
# Without --quiet the log file's lines, exactly, between the two markers.
expect_err gb "----- BEGIN JVM LOG ($work/gb.log) -----"
expect_err gb "----- END JVM LOG -----"
# (The JVM's shutdown hooks log a line or two after the echo: the echo is the
# log file up to the end of the run.)
sed -n '/^----- BEGIN JVM LOG (/,/^----- END JVM LOG -----$/p' "$work/gb.err" | sed '1d;$d' >"$work/gb.echoed"
if grep -q 'Computing group by for range' "$work/gb.echoed" &&
    head -c "$(wc -c <"$work/gb.echoed")" "$work/gb.log" | cmp -s - "$work/gb.echoed"; then
    ok "gb: the run's JVM log ($(wc -l <"$work/gb.echoed") lines) echoed between the markers"
else
    bad gb "the text between the markers is not the log file's ($(wc -l <"$work/gb.echoed") vs $(wc -l <"$work/gb.log") lines)"
fi

# ---- Join run: --name-prefix, --quiet, --skip-first-hole / --no-skip-first-hole ------
# The output (prefix sh) has 2023-11-30 (the sentinel) and a hole at 2023-11-29,
# the range's first partition: skipping the first hole fills 2023-12-01 only;
# not skipping it fills 2023-11-29 too. 2023-11-30 is never recomputed.
sh_table=quickstart.sh_quickstart_features_test_checkout_spend
exe skip "$join" run --name-prefix sh --start-date 2023-11-29 --end-date 2023-12-01 --skip-first-hole --quiet \
    --output "$work/skip.jsonl"
expect_rc skip 0
expect_err skip "Skip First Hole: True"
expect_partitions skip $sh_table "ds=2023-11-30 ds=2023-12-01"
expect_rows skip "rows by day" 'sorted((r["ds"], r["user_id"]) for r in rows)' \
    "[('2023-11-30', 'sentinel'), ('2023-12-01', 'u1'), ('2023-12-01', 'u2'), ('2023-12-01', 'u3')]"
expect_no_err skip "BEGIN JVM LOG"
[ -s "$work/skip.log" ] && ok "skip: --quiet: the log is in the log file" || bad skip "--quiet: empty log file"

exe fill "$join" run --name-prefix sh --start-date 2023-11-29 --end-date 2023-12-01 --no-skip-first-hole --quiet \
    --output "$work/fill.jsonl"
expect_rc fill 0
expect_err fill "Skip First Hole: False"
expect_err fill "written to $sh_table"
expect_partitions fill $sh_table "ds=2023-11-29 ds=2023-11-30 ds=2023-12-01"
# Point in time: each checkout sees the purchases of the 3 days before its day.
expect_rows fill "checkouts with their 3-day purchase sums" \
    'sorted((r["ds"], r["user_id"], r["quickstart_purchases_v1_purchase_price_sum_3d"]) for r in rows)' \
    "[('2023-11-29', 'u1', 35.0), ('2023-11-29', 'u3', None), ('2023-11-30', 'sentinel', None), ('2023-12-01', 'u1', 67.5), ('2023-12-01', 'u2', 70.0), ('2023-12-01', 'u3', 100.0)]"
expect_no_err fill "BEGIN JVM LOG"

# Proof that the checks above can fail: the same helpers on wrong expectations.
selfcheck=$( (failed=0
    expect_partitions fill $sh_table "ds=2023-11-30 ds=2023-12-01"
    expect_rows fill "row count" 'len(rows)' 7
    expect_err fill "Skip First Hole: True"
    echo "failed=$failed") 2>&1)
if [ "$(grep -c '^FAIL' <<<"$selfcheck")" = 3 ] && grep -q '^failed=1$' <<<"$selfcheck"; then
    ok "self-check: 3 wrong expectations each FAIL"
else
    bad self-check "wrong expectations passed:"$'\n'"$selfcheck"
fi

# ---- analyze: a GroupBy and a Join (what it prints is still changing: it
# succeeds and names the output columns) ------------------------------------------------
exe analyze_gb "$gb" analyze --start-date 2023-11-29 --end-date 2023-12-01 --quiet
expect_rc analyze_gb 0
if cat "$work/analyze_gb.out" "$work/analyze_gb.err" | grep -q purchase_price_sum_3d; then
    ok "analyze_gb: names the output column purchase_price_sum_3d"
else
    bad analyze_gb "stdout and stderr do not name the output column purchase_price_sum_3d"
fi
exe analyze_join "$join" analyze --start-date 2023-11-29 --end-date 2023-12-01 --quiet
expect_rc analyze_join 0
if cat "$work/analyze_join.out" "$work/analyze_join.err" | grep -q quickstart_purchases_v1_purchase_price_sum_3d; then
    ok "analyze_join: names the output column quickstart_purchases_v1_purchase_price_sum_3d"
else
    bad analyze_join "stdout and stderr do not name the output column quickstart_purchases_v1_purchase_price_sum_3d"
fi

# ---- validate: the JVM's parse; --require-jvm without a JVM fails (no JVM start) -----
exe validate "$chained" validate --require-jvm --quiet
expect_rc validate 0
expect_in validate out "jvm: ok: PySparkUtils.parseGroupBy accepted it"
exe validate_nojvm "$chained" validate --java-home "$work/no-such-jdk"
expect_rc validate_nojvm 0
expect_in validate_nojvm out "jvm: not checked: no JVM available"
exe validate_require "$chained" validate --java-home "$work/no-such-jdk" --require-jvm
expect_rc validate_require 1
expect_in validate_require out "jvm: not checked: no JVM available"

# ---- StagingQuery: auto-expand, --no-auto-expand, --override-start-partition, --step-days
exe sq_auto "$sq" run --name-prefix sqa --end-date 2023-12-01 --quiet --output "$work/sq_auto.jsonl"
expect_rc sq_auto 0
expect_err sq_auto "Enable Auto Expand: True"
# startPartition 2023-11-01 to the end: every day with purchases
expect_partitions sq_auto quickstart.sqa_quickstart_daily_spend_v1 \
    "ds=2023-11-24 ds=2023-11-25 ds=2023-11-26 ds=2023-11-28 ds=2023-11-29 ds=2023-11-30 ds=2023-12-01"
expect_rows sq_auto "the spend column added, u1's spend" \
    '[r["spend"] for r in sorted(rows, key=lambda r: r["ds"]) if r["user_id"] == "u1"]' \
    "[10.0, 12.5, 15.0, 20.0, 22.5, 25.0, 27.5]"

exe sq_fixed "$sq" run --name-prefix sqn --end-date 2023-12-01 --no-auto-expand --quiet
expect_rc sq_fixed 1
expect_err sq_fixed "Enable Auto Expand: False"
expect_err sq_fixed "target table has 2 column(s) but the inserted data has 3 column(s)"
expect_partitions sq_fixed quickstart.sqn_quickstart_daily_spend_v1 ""

CHRONON_LOG_LEVEL=info exe sq_range "$sq" run --name-prefix sqo --end-date 2023-12-01 \
    --override-start-partition 2023-11-28 --step-days 2 --quiet --output "$work/sq_range.jsonl"
expect_rc sq_range 0
expect_partitions sq_range quickstart.sqo_quickstart_daily_spend_v1 "ds=2023-11-28 ds=2023-11-29 ds=2023-11-30 ds=2023-12-01"
expect_rows sq_range "rows by day" 'sorted(set(r["ds"] for r in rows))' \
    "['2023-11-28', '2023-11-29', '2023-11-30', '2023-12-01']"
expect_in sq_range log "Computing staging query for range: [2023-11-28...2023-11-29]  | [1/2]"
expect_in sq_range log "Computing staging query for range: [2023-11-30...2023-12-01]  | [2/2]"

# ---- JoinSource: the upstream join first, with this run's prefix; --no-upstream ------
# The GroupBy's 7-day window: the join runs from 2023-11-24 to 2023-12-01, and
# the GroupBy reads that output: its sums at 2023-12-01 add up each user's
# checkouts' 3-day purchase sums (u1: 35.0 + 67.5; u2: 36.0 + 70.0; u3: 100.0).
# Chronon's GroupBy materializes its join source itself (GroupBy.replaceJoinSource);
# it keeps the upstream output only when the join it is given has the same
# semantic hash as the one that wrote it, else it archives that output
# (<table>_<timestamp>) and recomputes the join up to the day before the end.
js_table=quickstart.js_quickstart_features_test_checkout_spend
exe chain "$chained" run --name-prefix js --start-date 2023-12-01 --end-date 2023-12-01 --quiet \
    --output "$work/chain.jsonl"
expect_rc chain 0
expect_err chain "Executing Join Source js_quickstart.features_test.checkout_spend from 2023-11-24 to 2023-12-01"
expect_err chain "Join js_quickstart.features_test.checkout_spend executed successfully and was written to $js_table"
expect_partitions chain $js_table "ds=2023-11-29 ds=2023-11-30 ds=2023-12-01"
archived=$(cd "$wh/spark-warehouse/quickstart.db" && ls -d js_*_2[0-9]* 2>/dev/null | tr '\n' ' ')
[ -z "$archived" ] && ok "chain: the upstream output kept (nothing archived)" ||
    bad chain "Chronon archived the upstream join's tables, its join had another semantic hash (exe_run.c edit_join_sources gives the embedded join the prefix but not the upstream step's dates): $archived"
expect_partitions chain quickstart.js_quickstart_features_test_chained "ds=2023-12-01"
expect_rows chain "7-day spend sums" 'sorted((r["user_id"], r["spend_sum_7d"]) for r in rows)' \
    "[('u1', 102.5), ('u2', 106.0), ('u3', 100.0)]"

# No upstream run and no join output under this prefix: nothing to read, so the
# GroupBy writes nothing and the run fails.
exe no_upstream "$chained" run --no-upstream --name-prefix nu --start-date 2023-12-01 --end-date 2023-12-01 --quiet
expect_rc no_upstream 1
expect_err no_upstream "Skip Execution of Underlying Join Sources: True"
expect_no_err no_upstream "Executing Join Source"
expect_err no_upstream "Execution failed for GroupBy nu_quickstart.features_test.chained"
expect_err no_upstream "error: --no-upstream: the table of join source nu_quickstart.features_test.checkout_spend, quickstart.nu_quickstart_features_test_checkout_spend, does not exist; run without --no-upstream so that the join runs first"
expect_partitions no_upstream quickstart.nu_quickstart_features_test_checkout_spend absent
expect_partitions no_upstream quickstart.nu_quickstart_features_test_chained absent

# ---- setups (a Hive UDF), --no-name-prefix, --output-namespace ----------------------
exe udf "$reversed" run --no-name-prefix --output-namespace ft_out --start-date 2023-11-30 --end-date 2023-12-01 \
    --quiet --output "$work/udf.jsonl"
expect_rc udf 0
expect_err udf "written to ft_out.quickstart_features_test_reversed"
expect_partitions udf ft_out.quickstart_features_test_reversed "ds=2023-11-30 ds=2023-12-01"
expect_partitions udf quickstart.quickstart_features_test_reversed absent
expect_rows udf "keys reversed by the UDF" 'sorted(set(r["user_id"] for r in rows))' "['1u', '2u', '3u']"

echo "     (all cases: $((SECONDS - test_start))s)"
exit $failed
