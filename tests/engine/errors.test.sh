#!/usr/bin/env bash
# The per-config executables' failures, each triggered for real, with the
# message and the exit status they give (tests/jvm/errors.test.sh and
# interrupt.test.sh cover the same runtime errors for `chrononc sql`):
#   bad date             --start-date 2024-13-45: usage, exit 2, no JVM
#   no JVM               --java-home /nonexistent, JAVA_HOME not a JDK: exit 1
#   not Chronon's jar    --jars naming a jar without PySparkUtils (it wins
#                        over a good CHRONON_JARS): the class and the fix, exit 1
#   missing table        a Join whose left table does not exist: Spark's
#                        AnalysisException, its class and message, exit 1
#   Ctrl-C               SIGINT while a StagingQuery's Spark job runs: the
#                        jobs cancelled, exit 130
#   SIGTERM              the same with SIGTERM: jobs cancelled, the process
#                        ends by the signal (143)
#   output not written   --output names a folder: exit 1, the temporary
#                        file removed
# After every failure: an existing --output file is untouched and no
# temporary file of ours is left beside it, and the run's WAREHOUSE/tmp/PID
# folder is gone.
#
# One warehouse, no data load, 5 JVM starts. Plain pass only; a missing Java,
# pyspark or Chronon jar fails (tests/engine/lib.sh).
set -uo pipefail
source tests/engine/lib.sh
engine_setup engine-errors

# The quickstart plus a StagingQuery that keeps Spark busy for minutes (a scan
# of 10^11 generated rows, none of which passes the filter).
src=$work/src
cp -r examples/quickstart "$src"
rm -rf "$src/production" "$src/build" "$src/data"
cat >"$src/staging_queries/quickstart/slow.py" <<'EOF'
"""A query that keeps Spark busy for minutes (tests/engine/errors.test.sh interrupts it)."""
from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query="""
        SELECT id, '{{ end_date }}' AS ds
        FROM range(0, 100000000000)
        WHERE (id * 7) % 1000003 = 1000004
    """,
    metaData=ttypes.MetaData(name="slow", outputNamespace="default"),
)
EOF
cat >"$src/staging_queries/quickstart/one.py" <<'EOF'
"""One row, at once (tests/engine/errors.test.sh: its output cannot be written)."""
from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query="SELECT 'u1' AS user_id, 1.5 AS spend, '{{ end_date }}' AS ds",
    startPartition="2023-12-01",
    metaData=ttypes.MetaData(name="one", outputNamespace="default"),
)
EOF
engine_build "$src"
gb=$repo/build/group_bys/quickstart/purchases.v1
join=$repo/build/joins/quickstart/training_set.v1
slow=$repo/build/staging_queries/quickstart/slow.v1
one=$repo/build/staging_queries/quickstart/one.v1

# try NAME PROGRAM ARGS...: stdout, stderr, status in $work/NAME.{out,err,rc}
try() {
    local name=$1 start=$SECONDS rc=0
    shift
    timeout 300 "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    echo "$rc" >"$work/$name.rc"
    echo "     ($name: exit $rc in $((SECONDS - start))s)"
}

# An --output file from an earlier run, in a folder of its own.
# output_before NAME: prints the path to pass to --output
output_before() {
    mkdir -p "$work/out-$1"
    printf 'user_id,spend\nu1,12.5\n' >"$work/out-$1/result.csv"
    echo "$work/out-$1/result.csv"
}
# output_after NAME: that file is as it was, and alone in its folder
output_after() {
    local dir=$work/out-$1 files
    files=$(ls -A "$dir")
    if [ "$files" = result.csv ] && [ "$(cat "$dir/result.csv")" = "$(printf 'user_id,spend\nu1,12.5')" ]; then
        ok "$1: the existing output file is untouched, nothing beside it"
    else
        bad "$1" "output folder holds: $(echo $files) / result.csv: $(head -c 200 "$dir/result.csv" 2>&1)"
    fi
}
# no_tmp NAME: no WAREHOUSE/tmp/PID folder of a run is left
no_tmp() {
    if [ -z "$(ls -A "$wh/tmp" 2>/dev/null)" ]; then
        ok "$1: no temporary folder left in the warehouse"
    else
        bad "$1" "left in $wh/tmp: $(ls -A "$wh/tmp" | tr '\n' ' ')"
    fi
}

# ---- usage and no JVM: nothing starts, nothing is created ---------------------------------
out=$(output_before date)
try date "$gb" run --start-date 2024-13-45 --warehouse "$work/never" --output "$out"
expect_rc date 2
expect_err date "purchases.v1: run: --start-date '2024-13-45' is not a date (YYYYMMDD)"
[ ! -e "$work/never" ] && ok "date: no JVM started (no warehouse made)" || bad date "$work/never was created"
output_after date

out=$(output_before java-home)
try java-home "$gb" run --java-home /nonexistent --warehouse "$work/never" --output "$out"
expect_rc java-home 1
expect_err java-home "error: --java-home /nonexistent: no such folder; point it at a JDK or JRE home"
[ ! -e "$work/never" ] && ok "java-home: failed before touching any file" || bad java-home "$work/never was created"
output_after java-home

mkdir -p "$work/not-a-jdk/bin"
out=$(output_before not-a-jdk)
JAVA_HOME=$work/not-a-jdk try not-a-jdk "$join" run --warehouse "$work/never" --output "$out"
expect_rc not-a-jdk 1
expect_err not-a-jdk "error: JAVA_HOME=$work/not-a-jdk is not a JDK or JRE home: it has no lib/server/libjvm.so"
[ ! -e "$work/never" ] && ok "not-a-jdk: failed before touching any file" || bad not-a-jdk "$work/never was created"
output_after not-a-jdk

# ---- a jar without Chronon's PySparkUtils ------------------------------------------------
"$PYTHON" - "$work/not-chronon.jar" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nCreated-By: errors.test.sh\n\n")
    z.writestr("not/chronon/README.txt", "a jar without ai.chronon.spark.PySparkUtils\n")
EOF
good_jar=$(ls "${XDG_CACHE_HOME:-$HOME/.cache}"/chronon-c/jars/*.jar | head -n 1)
out=$(output_before jar)
# (no class-data archive: this classpath, with a jar in a temporary folder, is
# never seen again, and writing one would cost 20 s)
CHRONON_CDS_DIR=off CHRONON_JARS=$good_jar try jar "$gb" run --jars "$work/not-chronon.jar" --warehouse "$wh" --quiet --output "$out"
expect_rc jar 1
expect_err jar "error: class ai.chronon.spark.PySparkUtils not found on the classpath (jars given: $work/not-chronon.jar); put Chronon's spark_uber jar in the jar cache with \`make chronon-jar\` (runtime/jvm/fetch_chronon_jar.sh) or pass it with --jars or CHRONON_JARS"
grep -q 'DROP TABLE' "$work/jar.err" && bad jar "dropped the output table before failing" ||
    ok "jar: failed before the GroupBy's DROP TABLE"
output_after jar
no_tmp jar

# ---- a missing table ----------------------------------------------------------------------
# The warehouse has no tables: the Join's left side, data.checkouts, is missing.
out=$(output_before missing-table)
try missing-table "$join" run --name-prefix t --start-date 2023-11-29 --end-date 2023-12-01 --warehouse "$wh" --quiet --output "$out"
expect_rc missing-table 1
expect_err missing-table "error: org.apache.spark.sql.AnalysisException: Table or view not found: data.checkouts;"
expect_err missing-table "Execution failed for Join t_quickstart.training_set.v1"
output_after missing-table
no_tmp missing-table
# A GroupBy's source: named before Chronon runs (which would find nothing to
# backfill and then fail on the GroupBy's own output table).
try missing-source "$gb" run --name-prefix t --start-date 2023-11-29 --end-date 2023-12-01 --warehouse "$wh" --quiet
expect_rc missing-source 1
expect_err missing-source "error: the source table data.purchases of GroupBy t_quickstart.purchases.v1 does not exist (Table or view not found: data.purchases"

# ---- the rows cannot be written -----------------------------------------------------------
# The run succeeds, but --output names a folder (not empty): the rename of the
# temporary file fails, and the temporary file goes too.
mkdir -p "$work/out-write/result.csv/inside"
try write "$one" run --name-prefix t --end-date 2023-12-01 --warehouse "$wh" --quiet \
    --output "$work/out-write/result.csv"
expect_rc write 1
expect_err write "error: cannot write $work/out-write/result.csv: Is a directory"
if [ "$(ls -A "$work/out-write")" = result.csv ] && [ "$(ls -A "$work/out-write/result.csv")" = inside ]; then
    ok "write: nothing left beside the output, the folder in its place untouched"
else
    bad write "left: $(ls -AR "$work/out-write" | tr '\n' ' ')"
fi
no_tmp write

# ---- signals while a Spark job runs -------------------------------------------------------
# interrupt NAME SIGNAL: run the slow StagingQuery, wait until a task of its
# job has been running for 2 s (the executor's "Running task" line with no
# "Finished task" for it, in the log at INFO), send SIGNAL, and wait for the
# end. Leaves $work/NAME.{out,err,rc,log} and the milliseconds it took in
# $work/NAME.ms.
interrupt() {
    local name=$1 sig=$2 out pid tid= since=0 n line t rc=0 start
    out=$(output_before "$name")
    # Job control: a background job of a script would otherwise ignore SIGINT.
    set -m
    (CHRONON_LOG_LEVEL=info sigint_default "$slow" run --name-prefix t --end-date 2023-12-01 --warehouse "$wh" \
        --quiet --log-file "$work/$name.log" --output "$out" >"$work/$name.out" 2>"$work/$name.err") &
    pid=$!
    set +m
    echo "$pid" >"$work/$name.pid"
    for n in $(seq 1 1500); do
        kill -0 "$pid" 2>/dev/null || break
        line=$(grep -oE 'Running task [0-9.]+ in stage [0-9.]+ \(TID [0-9]+\)' "$work/$name.log" 2>/dev/null | tail -n 1)
        if [ -n "$line" ]; then
            t=${line##*TID }
            t=${t%)}
            if [ "$t" != "$tid" ]; then
                tid=$t since=$n
            elif [ $((n - since)) -ge 10 ] && ! grep -qE "Finished task .*\(TID $tid\)" "$work/$name.log"; then
                break
            fi
        fi
        sleep 0.2
    done
    if ! kill -0 "$pid" 2>/dev/null || [ -z "$tid" ]; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        bad "$name" "never inside the job (no task ran for 2 s)"
        sed 's/^/     | /' "$work/$name.err" | tail -n 20
        return 1
    fi
    start=$(date +%s%N)
    kill "-$sig" "$pid"
    for n in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        bad "$name" "still running 30 s after SIG$sig"
        kill -KILL "$pid"
    fi
    wait "$pid" || rc=$?
    echo "$rc" >"$work/$name.rc"
    echo "$((($(date +%s%N) - start) / 1000000))" >"$work/$name.ms"
    echo "     ($name: SIG$sig in task TID $tid; exit $rc $(cat "$work/$name.ms") ms later)"
}

# interrupted NAME: what both signals must leave behind
interrupted() {
    local name=$1 ms
    ms=$(cat "$work/$name.ms")
    [ "$ms" -le 15000 ] && ok "$name: ended ${ms} ms after the signal" || bad "$name" "took ${ms} ms to end"
    if grep -qE 'TaskKilled \((Stage|Job) cancelled' "$work/$name.log"; then
        ok "$name: the job's tasks were killed (Spark's log)"
    else
        bad "$name" "no killed task in $work/$name.log"
        grep -E 'WARN|ERROR' "$work/$name.log" | sed 's/^/     | /' | tail -n 10
    fi
    grep -q 'Writing to\|Wrote ' "$work/$name.err" && bad "$name" "wrote rows" || ok "$name: no rows written"
    output_after "$name"
    no_tmp "$name"
}

interrupt sigint INT && {
    expect_rc sigint 130
    expect_err sigint "interrupted: cancelling Spark jobs (Ctrl-C again to exit at once)"
    expect_err sigint "error: interrupted (Ctrl-C): Spark jobs cancelled"
    expect_err sigint "Execution failed for StagingQuery t_quickstart.slow.v1"
    interrupted sigint
}

interrupt sigterm TERM && {
    expect_rc sigterm 143
    expect_err sigterm "terminated (SIGTERM): cancelling Spark jobs"
    expect_err sigterm "error: terminated (SIGTERM): Spark jobs cancelled"
    pid=$(cat "$work/sigterm.pid")
    kill -0 "$pid" 2>/dev/null && bad sigterm "process $pid still exists" || ok "sigterm: the process ended"
    interrupted sigterm
}

echo "     (errors test: $((SECONDS - engine_start))s)"
exit $failed
