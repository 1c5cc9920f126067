#!/usr/bin/env bash
# run / analyze: the config edits of Chronon's PySpark interface, checked
# without a JVM through --dry-run (against chronon-ai's own edit functions,
# tests/build/edits_oracle.py, and by hand), and, in the plain pass, the clean
# failure when Chronon's jar is not on the classpath.
set -euo pipefail
source tests/build/lib.sh
make_tmp
repo=$tmp/repo
build_quickstart "$repo" >/dev/null
out=$repo/build
export LOGNAME=tester USER=tester CHRONON_TODAY=20240315
pyjson() { # FILE EXPR: print a Python expression of the JSON document d
    $PYTHON -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ---- against chronon-ai's edit functions ---------------------------------------------
# (purchases.v1 has a LAST_K without windows, on which chronon-ai's
# get_max_window_for_gb_in_days raises; the oracle works around that.)
n=0
for entry in group_bys/quickstart/purchases.v1:GroupBy group_bys/quickstart/users.v1:GroupBy \
             joins/quickstart/training_set.v1:Join; do
    c=${entry%%:*} kind=${entry##*:}
    for mode in run analyze; do
        for args in "20240301 20240305 te_st dev" "20231231 20240101 quickstart ''" "20240229 20240229 '' ''"; do
            eval "set -- $args"
            $PYTHON tests/build/edits_oracle.py "$mode" "$kind" "$repo/production/$c" "$1" "$2" "$3" "$4" >"$tmp/expected"
            flags=(--start-date "$1" --end-date "$2")
            if [ -n "$3" ]; then flags+=(--name-prefix "$3"); else flags+=(--no-name-prefix); fi
            [ -z "$4" ] || flags+=(--output-namespace "$4")
            $RUNNER "$out/$c" "$mode" --dry-run "${flags[@]}" >"$tmp/actual" 2>"$tmp/plan"
            cmp "$tmp/expected" "$tmp/actual" || { diff "$tmp/expected" "$tmp/actual" | head -20; fail "$c $mode $args"; }
            n=$((n + 1))
        done
    done
done
sq=staging_queries/quickstart/daily_spend.v1
$PYTHON tests/build/edits_oracle.py run StagingQuery "$repo/production/$sq" x x bob ns2 >"$tmp/expected"
$RUNNER "$out/$sq" run --dry-run --name-prefix bob --output-namespace ns2 >"$tmp/actual" 2>/dev/null
cmp "$tmp/expected" "$tmp/actual"
echo "dry-run: $((n + 1)) edited configs identical to chronon-ai's edits"

# ---- the GroupBy with a 30-day window, defaults (today = CHRONON_TODAY) ---------------
gb=$out/group_bys/quickstart/purchases.v1
$RUNNER "$gb" run --dry-run >"$tmp/gb.json" 2>"$tmp/gb.plan"
[ "$(pyjson "$tmp/gb.json" 'd["backfillStartDate"]')" = 20240307 ] || fail "backfillStartDate: today - 8"
# purchases.v1 has a LAST_K without windows (a lifetime aggregation): its source
# keeps the config's start (none: the whole history), only the end is set.
[ "$(pyjson "$tmp/gb.json" '"startPartition" in d["sources"][0]["events"]["query"]')" = False ] ||
    fail "a lifetime aggregation: the source keeps the config's start"
[ "$(pyjson "$tmp/gb.json" 'd["sources"][0]["events"]["query"]["endPartition"]')" = 20240314 ] || fail "source end: today - 1"
[ "$(pyjson "$tmp/gb.json" 'd["metaData"]["name"]')" = tester_quickstart.purchases.v1 ] || fail "user name prefix"
sed 's/^\[[^]]*\] //' "$tmp/gb.plan" | diff -u - <(cat <<'EOF'
Executing GroupBy tester_quickstart.purchases.v1 from 20240307 to 20240314 with step_days 30
Skip Execution of Underlying Join Sources: False
dry-run: call PySparkUtils.parseGroupBy(<GroupBy tester_quickstart.purchases.v1>)
dry-run: sql DROP TABLE IF EXISTS quickstart.tester_quickstart_purchases_v1
dry-run: call PySparkUtils.runGroupBy(<GroupBy tester_quickstart.purchases.v1>, "20240314", 30, tableUtils)
EOF
)
# Explicit dates over a leap day, a step, dashed dates kept dashed.
$RUNNER "$gb" run --dry-run --start-date 20240301 --end-date 20240310 --step-days 5 >"$tmp/gb.json" 2>"$tmp/gb.plan"
[ "$(pyjson "$tmp/gb.json" 'd["sources"][0]["events"]["query"]["endPartition"]')" = 20240310 ]
grep -qF '"20240310", 5, tableUtils)' "$tmp/gb.plan"
$RUNNER "$gb" run --dry-run --start-date 2024-03-01 --end-date 2024-03-10 >"$tmp/gb.json" 2>/dev/null
[ "$(pyjson "$tmp/gb.json" '(d["backfillStartDate"], d["sources"][0]["events"]["query"]["endPartition"])')" = \
  "('2024-03-01', '2024-03-10')" ]
# The user name is lower-cased, '.' and '-' made '_' (PySpark's Jupyter platform).
LOGNAME=Jo.hn-Doe $RUNNER "$gb" analyze --dry-run >"$tmp/gb.json" 2>/dev/null
[ "$(pyjson "$tmp/gb.json" 'd["metaData"]["name"]')" = jo_hn_doe_quickstart.purchases.v1 ]
[ "$(pyjson "$tmp/gb.json" '"backfillStartDate" in d')" = False ] || fail "analyze sets no backfillStartDate"
echo "dry-run: 30-day window GroupBy: start partitions, backfillStartDate, prefix"

# ---- windows in hours, prefix applied once, join sources run upstream ------------------
mkdir -p "$tmp/t/production/group_bys/t"
$PYTHON - "$tmp/t/production/group_bys/t" <<'EOF'
import json, sys
d = sys.argv[1]
def q(): return {"selects": {"k": "k", "v": "v"}, "timeColumn": "ts", "setups": []}
def agg(n, unit): return {"inputColumn": "v", "operation": 7, "argMap": {},
                          "windows": [{"length": n, "timeUnit": unit}]}
hours = {"metaData": {"name": "t.bob_hours.v1", "outputNamespace": "t", "team": "t"},
         "sources": [{"events": {"table": "data.e", "query": q()}},
                     {"entities": {"snapshotTable": "data.s", "query": q()}}],
         "keyColumns": ["k"], "aggregations": [agg(49, 0), agg(2, 1)]}
upstream = {"metaData": {"name": "t.upstream.v1", "outputNamespace": "t", "team": "t"},
            "left": {"events": {"table": "data.l", "query": q()}},
            "joinParts": [{"groupBy": {"metaData": {"name": "t.inner.v1", "team": "t"},
                                       "sources": [{"events": {"table": "data.i", "query": q()}}],
                                       "keyColumns": ["k"], "aggregations": [agg(7, 1)]}}]}
chained = {"metaData": {"name": "t.chained.v1", "outputNamespace": "t", "team": "t"},
           "sources": [{"joinSource": {"join": upstream, "query": q()}}],
           "keyColumns": ["k"], "aggregations": [agg(10, 1)]}
days30 = {"metaData": {"name": "t.days30.v1", "outputNamespace": "t", "team": "t"},
          "sources": [{"events": {"table": "data.e", "query": q()}}],
          "keyColumns": ["k"], "aggregations": [agg(30, 1), agg(3, 1)]}
for name, conf in [("hours.v1", hours), ("chained.v1", chained), ("days30.v1", days30)]:
    with open(f"{d}/{name}", "w") as f:
        json.dump(conf, f, indent=2)
EOF
$RUNNER "$BUILD/chrononc" build --chronon_root "$tmp/t" >/dev/null
hours=$tmp/t/build/group_bys/t/hours.v1
$PYTHON tests/build/edits_oracle.py run GroupBy "$tmp/t/production/group_bys/t/hours.v1" 20240310 20240312 bob '' >"$tmp/expected"
$RUNNER "$hours" run --dry-run --start-date 20240310 --end-date 20240312 --name-prefix bob >"$tmp/actual" 2>/dev/null
cmp "$tmp/expected" "$tmp/actual"
[ "$(pyjson "$tmp/actual" '[s.get("events", s.get("entities"))["query"]["startPartition"] for s in d["sources"]]')" = \
  "['20240307', '20240307']" ] || fail "49 hours is 3 days"
[ "$(pyjson "$tmp/actual" 'd["metaData"]["name"]')" = bob_t.hours.v1 ] || fail "prefix applied once"

# A 30-day window: the sources start 30 days before, over a leap day, dashed dates kept dashed.
days30=$tmp/t/build/group_bys/t/days30.v1
$RUNNER "$days30" run --dry-run >"$tmp/d30.json" 2>/dev/null
[ "$(pyjson "$tmp/d30.json" 'd["sources"][0]["events"]["query"]["startPartition"]')" = 20240206 ] ||
    fail "source start: 20240307 - 30 days"
$RUNNER "$days30" run --dry-run --start-date 20240301 --end-date 20240310 >"$tmp/d30.json" 2>/dev/null
[ "$(pyjson "$tmp/d30.json" 'd["sources"][0]["events"]["query"]["startPartition"]')" = 20240131 ] || fail "leap day"
$RUNNER "$days30" run --dry-run --start-date 2024-03-01 --end-date 2024-03-10 >"$tmp/d30.json" 2>/dev/null
[ "$(pyjson "$tmp/d30.json" '(d["backfillStartDate"], d["sources"][0]["events"]["query"]["startPartition"])')" = \
  "('2024-03-01', '2024-01-31')" ] || fail "dashed dates"

chained=$tmp/t/build/group_bys/t/chained.v1
$RUNNER "$chained" run --dry-run >"$tmp/chained.json" 2>"$tmp/chained.plan"
sed 's/^\[[^]]*\] //' "$tmp/chained.plan" | diff -u - <(cat <<'EOF'
Executing GroupBy tester_t.chained.v1 from 20240307 to 20240314 with step_days 30
Skip Execution of Underlying Join Sources: False
Executing 1 Join Sources
Executing Join Source tester_t.upstream.v1 from 20240226 to 20240314
Executing Join tester_t.upstream.v1 from 20240226 to 20240314 with step_days 30
Skip First Hole: False
Skip Execution of Underlying Join: False
dry-run: call PySparkUtils.parseJoin(<Join tester_t.upstream.v1>)
dry-run: call PySparkUtils.runJoin(<Join tester_t.upstream.v1>, "20240314", 30, false, tableUtils)
Join Source tester_t.upstream.v1 will be read from t.tester_t_upstream_v1
Finished executing Join Sources
dry-run: call PySparkUtils.parseGroupBy(<GroupBy tester_t.chained.v1>)
dry-run: sql DROP TABLE IF EXISTS t.tester_t_chained_v1
dry-run: call PySparkUtils.runGroupBy(<GroupBy tester_t.chained.v1>, "20240314", 30, tableUtils)
EOF
)
# The GroupBy reads the upstream join's table under the same prefix, and its
# join source is the join exactly as the upstream step ran it (Chronon checks
# the semantic hash, dates included, before it reads the table).
[ "$(pyjson "$tmp/chained.json" 'd["sources"][0]["joinSource"]["join"]["metaData"]["name"]')" = tester_t.upstream.v1 ]
[ "$(pyjson "$tmp/chained.json" '(lambda j: (j["left"]["events"]["query"]["startPartition"], j["left"]["events"]["query"]["endPartition"], j["joinParts"][0]["groupBy"]["sources"][0]["events"]["query"]["startPartition"]))(d["sources"][0]["joinSource"]["join"])')" = \
  "('20240226', '20240314', '20240219')" ] || fail "the join source carries the upstream run's dates"
$RUNNER "$chained" run --dry-run --no-upstream 2>"$tmp/chained.plan" >/dev/null
! grep -q 'runJoin' "$tmp/chained.plan" || fail "--no-upstream still runs the join source"
echo "dry-run: hour windows, prefix once, upstream join sources"

# ---- options -------------------------------------------------------------------------
expect_exit() { # STATUS CMD...: exit status and a message on stderr
    local want=$1 rc=0; shift
    "$@" >/dev/null 2>"$tmp/err" || rc=$?
    [ "$rc" -eq "$want" ] || fail "$* exited $rc, not $want"
    [ -s "$tmp/err" ] || fail "$*: no message"
}
expect_exit 2 $RUNNER "$gb" run --start-date 20240230
expect_exit 2 $RUNNER "$gb" run --step-days 0
expect_exit 2 $RUNNER "$gb" run --name-prefix a --no-name-prefix
expect_exit 2 $RUNNER "$gb" run --enable-auto-expand
expect_exit 2 $RUNNER "$gb" analyze --show 3
expect_exit 2 $RUNNER "$out/$sq" run --start-date 20240101
expect_exit 2 $RUNNER "$out/$sq" analyze
expect_exit 2 $RUNNER "$gb" run --conf novalue
CHRONON_TODAY=bad expect_exit 2 $RUNNER "$gb" run --dry-run
$RUNNER "$out/$sq" run --dry-run --override-start-partition 20240101 --no-auto-expand --no-skip-first-hole \
    --step-days 2 --end-date 20240110 2>"$tmp/plan" >/dev/null
grep -qF 'runStagingQuery(<StagingQuery tester_quickstart.daily_spend.v1>, "20240110", 2, false, "20240101", false, tableUtils)' "$tmp/plan"
$RUNNER "$out/joins/quickstart/training_set.v1" run --dry-run --skip-first-hole 2>"$tmp/plan" >/dev/null
grep -qF '"20240314", 30, true, tableUtils)' "$tmp/plan"
echo "options: checked"

# ---- without Chronon's jar: a clean failure ------------------------------------------
if jvm_pass; then
    jvm=(--warehouse "$tmp/warehouse" --quiet)
    # Without Chronon's jar: an empty jar cache (the default one holds it).
    mkdir -p "$tmp/no-jars"
    export CHRONON_JAR_DIR=$tmp/no-jars
    for cmd in "group_bys/quickstart/purchases.v1 run" "joins/quickstart/training_set.v1 analyze" \
               "staging_queries/quickstart/daily_spend.v1 run"; do
        set -- $cmd
        rc=0
        "$out/$1" "$2" "${jvm[@]}" >"$tmp/jvm.out" 2>"$tmp/jvm.err" || rc=$?
        cat "$tmp/jvm.err"
        [ "$rc" -eq 1 ] || fail "$cmd without Chronon's jar: exit $rc"
        grep -qF 'class ai.chronon.spark.PySparkUtils not found on the classpath' "$tmp/jvm.err" ||
            fail "$cmd: no missing-class message"
        ! grep -q 'DROP TABLE' "$tmp/jvm.err" || fail "$cmd: dropped a table before failing"
    done
    "$gb" validate "${jvm[@]}" >"$tmp/v.out" 2>"$tmp/v.err"
    grep -qxF "jvm: not checked: Chronon's jar is not on the classpath" "$tmp/v.out" || { cat "$tmp/v.out" "$tmp/v.err"; fail validate; }
    rc=0; "$gb" validate --require-jvm "${jvm[@]}" >/dev/null 2>&1 || rc=$?
    [ "$rc" -eq 1 ] || fail "validate --require-jvm without the jar: exit $rc"
    echo "jvm: run/analyze fail with the missing-class message; validate reports the jar missing"
fi
echo "run: all checks passed"
