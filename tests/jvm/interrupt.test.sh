#!/usr/bin/env bash
# Ctrl-C during a long Spark query: SIGINT reaches chrononc sql's watcher
# thread, which cancels the Spark jobs; the run ends with status 130 within a
# few seconds and says it was interrupted.
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, PYTHON.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
jvm_setup interrupt

# Job control: a background job of a script would otherwise ignore SIGINT.
set -m
# (INFO logging: the executor's "Running task" line says the long job is in.)
(CHRONON_LOG_LEVEL=info sigint_default "$chrononc" sql --warehouse "$wh" "SELECT 'go' AS ready" \
    "SELECT count(*) FROM range(0, 100000000000)" >"$work/long.out" 2>"$work/long.err") &
pid=$!
# Wait for the first result: the JVM and Spark are up, the long query is next.
for _ in $(seq 1 1800); do
    grep -q ready "$work/long.out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if ! grep -q ready "$work/long.out"; then
    kill -KILL "$pid" 2>/dev/null
    bad interrupt "the first statement never printed"
    sed 's/^/     | /' "$work/long.err" | tail -n 40
    exit 1
fi
# The long query's job is running once a task of it is: a task of the job
# after the first statement's (whose tasks ran before "ready" was printed).
log=$wh/logs/$pid.log
before=$(grep -c 'Running task' "$log" 2>/dev/null || true)
for _ in $(seq 1 600); do
    [ "$(grep -c 'Running task' "$log" 2>/dev/null || echo 0)" -gt "${before:-0}" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
sleep 0.5
kill -0 "$pid" 2>/dev/null || { bad interrupt "chrononc sql ended before the signal"; exit 1; }
start=$(date +%s%N)
kill -INT "$pid"
for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    bad interrupt "still running 30 s after SIGINT"
fi
rc=0
wait "$pid" || rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "     (exit $rc, ${ms} ms after SIGINT)"
[ "$rc" = 130 ] && ok "interrupt: exit 130" || bad interrupt "exit $rc, wanted 130"
[ "$ms" -le 10000 ] && ok "interrupt: ended ${ms} ms after SIGINT" || bad interrupt "took ${ms} ms to end"
if grep -q 'interrupted' "$work/long.err"; then ok "interrupt: says it was interrupted"; else bad interrupt "no 'interrupted' message"; fi
if grep -q -- '----- BEGIN JVM LOG' "$work/long.err" && grep -q 'TaskKilled' "$work/long.err"; then
    ok "interrupt: the log shows the cancelled tasks"
else
    bad interrupt "no JVM log with the cancelled tasks"
fi
if grep -q 'count(' "$work/long.out"; then bad interrupt "the long query printed a result"; else ok "interrupt: no result printed"; fi
sed 's/^/     | /' "$work/long.err" | tail -n 20

exit $failed
