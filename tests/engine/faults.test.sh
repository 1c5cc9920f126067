#!/usr/bin/env bash
# Runtime faults of the per-config executables on Chronon's engine (issue 11),
# each triggered for real; tests/engine/errors.test.sh covers the others (a
# missing table or source, no JVM, not Chronon's jar, Ctrl-C, SIGTERM, an
# unwritable --output):
#   wrong type       a GroupBy SUMs a STRING column: Chronon refuses it before
#                    reading a row (UnsupportedOperationException), exit 1
#   ts not a time    the events' ts is a STRING ('not a time'): Chronon's
#                    assertion, exit 1
#   tiny heap        --conf spark.driver.memory=64m: Spark refuses to start
#                    (IllegalArgumentException: System memory ... must be at
#                    least 471859200), exit 1
#   out of memory    spark.driver.memory=600m and a query whose one task needs
#                    gigabytes: Spark ends the process itself (System.exit(52));
#                    the runtime's exit hook says so and exits 1, not 52. (The
#                    error the run itself reports first is the task's
#                    OutOfMemoryError or, when Spark's shutdown gets there
#                    first, "SparkContext was shut down": a race, not checked.)
#   SIGKILL          the JVM killed (kill -9) while a StagingQuery writes its
#                    table: the caller sees death by SIGKILL (137 in a shell),
#                    no --output file; the warehouse keeps the table without
#                    the partition (Spark's commit never ran), the next run
#                    removes the dead run's WAREHOUSE/tmp/PID folder, writes
#                    every row, and a count reads them all
# After each: an existing --output file is untouched, nothing beside it.
#
# One warehouse, 7 JVM starts. Plain pass only; a missing Java, pyspark or
# Chronon jar fails (tests/engine/lib.sh).
set -uo pipefail
source tests/engine/lib.sh
engine_setup engine-faults

src=$work/src
cp -r examples/quickstart "$src"
rm -rf "$src/production" "$src/build" "$src/data"
cat >"$src/staging_queries/quickstart/big.py" <<'PY'
"""One task that needs gigabytes (tests/engine/faults.test.sh: out of memory)."""
from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query="""
        SELECT size(collect_list(repeat(CAST(id AS STRING), 100000))) AS n, '{{ end_date }}' AS ds
        FROM range(0, 100000, 1, 1)
    """,
    metaData=ttypes.MetaData(name="big", outputNamespace="default"),
)
PY
cat >"$src/staging_queries/quickstart/many.py" <<'PY'
"""Rows to write for a few seconds (tests/engine/faults.test.sh: killed while writing its table)."""
from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query="""
        SELECT id, repeat('x', 100) AS pad, '{{ end_date }}' AS ds
        FROM range(0, 3000000, 1, 4)
    """,
    startPartition="2023-12-01",
    metaData=ttypes.MetaData(name="many", outputNamespace="default"),
)
PY
engine_build "$src"
gb=$repo/build/group_bys/quickstart/purchases.v1
returns=$repo/build/group_bys/quickstart/returns.v1
big=$repo/build/staging_queries/quickstart/big.v1
many=$repo/build/staging_queries/quickstart/many.v1

try() {
    local name=$1 start=$SECONDS rc=0
    shift
    timeout 300 "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    echo "$rc" >"$work/$name.rc"
    echo "     ($name: exit $rc in $((SECONDS - start))s)"
}
output_before() {
    mkdir -p "$work/out-$1"
    printf 'user_id,spend\nu1,12.5\n' >"$work/out-$1/result.csv"
    echo "$work/out-$1/result.csv"
}
output_after() {
    local dir=$work/out-$1 files
    files=$(ls -A "$dir")
    if [ "$files" = result.csv ] && [ "$(cat "$dir/result.csv")" = "$(printf 'user_id,spend\nu1,12.5')" ]; then
        ok "$1: the existing output file is untouched, nothing beside it"
    else
        bad "$1" "output folder holds: $(echo $files) / result.csv: $(head -c 200 "$dir/result.csv" 2>&1)"
    fi
}

# Rows a GroupBy cannot aggregate: a price as text, a timestamp as text.
engine_sql data --show 0 \
    "CREATE DATABASE IF NOT EXISTS data" "CREATE DATABASE IF NOT EXISTS quickstart" \
    "CREATE TABLE data.purchases (user_id STRING, purchase_price STRING, ts BIGINT) PARTITIONED BY (ds STRING)" \
    "INSERT INTO data.purchases PARTITION (ds='2023-12-01') VALUES ('u1', '12.5', 1701388800000), ('u2', 'abc', 1701392400000)" \
    "CREATE TABLE data.returns (user_id STRING, refund_amt DOUBLE, ts STRING) PARTITIONED BY (ds STRING)" \
    "INSERT INTO data.returns PARTITION (ds='2023-12-01') VALUES ('u1', 7.5, 'not a time')" || exit 1

out=$(output_before wrong-type)
try wrong-type "$gb" run --name-prefix t --start-date 2023-11-29 --end-date 2023-12-01 --quiet --output "$out"
expect_rc wrong-type 1
expect_err wrong-type "error: java.lang.Exception: [1/1 exceptions]"
expect_err wrong-type "Failed to create SUM aggregator for purchase_price column of type StringType"
expect_err wrong-type "Caused by: java.lang.UnsupportedOperationException: StringType is incompatible with SUM"
expect_err wrong-type "Execution failed for GroupBy t_quickstart.purchases.v1"
output_after wrong-type

out=$(output_before ts-text)
try ts-text "$returns" run --name-prefix t --start-date 2023-11-29 --end-date 2023-12-01 --quiet --output "$out"
expect_rc ts-text 1
expect_err ts-text "java.lang.AssertionError: assertion failed: Time column, ts doesn't exists (or is not a LONG type) for groupBy t_quickstart.returns.v1"
output_after ts-text

out=$(output_before tiny-heap)
try tiny-heap "$big" run --name-prefix t --end-date 2023-12-01 --conf spark.driver.memory=64m --quiet --output "$out"
expect_rc tiny-heap 1
expect_err tiny-heap "error: java.lang.IllegalArgumentException: System memory "
expect_err tiny-heap " must be at least 471859200. Please increase heap size using the --driver-memory option or spark.driver.memory in Spark configuration."
output_after tiny-heap

out=$(output_before oom)
try oom "$big" run --name-prefix t --end-date 2023-12-01 --conf spark.driver.memory=600m --quiet --output "$out"
expect_rc oom 1
expect_err oom "error: Spark ended the process (System.exit(52)): a task ran out of memory (java.lang.OutOfMemoryError: Java heap space); the driver's heap is spark.driver.memory (give it more with --conf spark.driver.memory=SIZE)"
output_after oom

# ---- SIGKILL while the table is written ---------------------------------------------------
table_dir=$wh/spark-warehouse/t_quickstart_many_v1
out=$(output_before kill)
"$many" run --name-prefix t --end-date 2023-12-01 --quiet --output "$out" >"$work/kill.out" 2>"$work/kill.err" &
pid=$!
# the insert has begun when Spark's staging folder is in the table's folder
for _ in $(seq 1 1200); do
    kill -0 "$pid" 2>/dev/null || break
    ls -A "$table_dir" 2>/dev/null | grep -q '^\.spark-staging\|^_temporary' && break
    sleep 0.1
done
staging=$(ls -A "$table_dir" 2>/dev/null | tr '\n' ' ')
kill -KILL "$pid" 2>/dev/null
rc=0; wait "$pid" || rc=$?
echo "     (kill: SIGKILL with $table_dir holding: $staging; exit $rc)"
[ "$rc" = 137 ] && ok "kill: the caller sees death by SIGKILL (exit 137)" || bad kill "exit $rc, wanted 137 (the kill came too late?)"
case $staging in
*spark-staging*|*_temporary*) ok "kill: killed while Spark wrote the table ($staging)" ;;
*) bad kill "never saw the table being written" ;;
esac
output_after kill
[ -d "$wh/tmp/$pid" ] && ok "kill: the dead run's $wh/tmp/$pid is left (nothing can remove it then)" ||
    echo "     (kill: no tmp folder left by $pid)"
ls "$table_dir/ds=2023-12-01"/part-* >/dev/null 2>&1 && bad kill "a partition was committed before the kill" ||
    ok "kill: no partition of the table committed"

try rerun "$many" run --name-prefix t --end-date 2023-12-01 --quiet --show 0
expect_rc rerun 0
expect_err rerun "StagingQuery t_quickstart.many.v1 executed successfully and was written to default.t_quickstart_many_v1"
echo "     (rerun: the table's folder holds $(ls -A "$table_dir" | tr '\n' ' '))"
[ ! -e "$wh/tmp/$pid" ] && ok "rerun: the dead run's temporary folder removed" || bad rerun "$wh/tmp/$pid still there"
engine_sql count --show 5 "SELECT count(*) AS n, count(DISTINCT id) AS ids, min(ds) AS ds FROM default.t_quickstart_many_v1" &&
    if grep -q '|3000000|3000000|2023-12-01|' "$work/count.out"; then
        ok "rerun: the table holds every row once (3000000 ids on 2023-12-01)"
    else
        bad count "$(cat "$work/count.out")"
    fi

echo "     (faults test: $((SECONDS - engine_start))s)"
exit $failed
