#!/usr/bin/env bash
# Run the test suite: every unit binary $BUILD/tests/test_* and every script
# tests/*/*.test.sh, JOBS at a time (default: the number of cores). Prints one
# line per test, in a fixed order, and a closing "N passed, N failed" line;
# exits 1 if any failed.
#
# Environment: BUILD (build folder), RUNNER (prefix for C programs, e.g.
# valgrind), PYTHON, JOBS. Arguments, if any, restrict the run to tests whose
# name contains one of them.
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build} RUNNER=${RUNNER:-} PYTHON=${PYTHON:-python3}
export ROOT=$PWD SHARED=${SHARED:-$PWD/../shared}
# Every compile in the tests checks, after copying a module's values out of
# its arena, that nothing else still points into that arena (loader.c).
export CHRONONC_CHECK_COPY_OUT=${CHRONONC_CHECK_COPY_OUT-1}
# And parses files ahead two at a time (64 otherwise): every repo of more
# than two files has windows parsed in the background while modules run.
export CHRONONC_PREFILL_WINDOW=${CHRONONC_PREFILL_WINDOW-2}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

selected() {
    [ $# -eq 1 ] && return 0
    local name=$1; shift
    for pat in "$@"; do case "$name" in *"$pat"*) return 0 ;; esac; done
    return 1
}

logdir=$BUILD/test-logs
mkdir -p "$logdir"
names=() cmds=()
for bin in "$BUILD"/tests/test_*; do
    [ -x "$bin" ] || continue
    name=unit/$(basename "$bin")
    selected "$name" "$@" && { names+=("$name"); cmds+=("$RUNNER $bin"); }
done
for script in tests/*/*.test.sh; do
    [ -f "$script" ] || continue
    name=${script#tests/}; name=${name%.test.sh}
    selected "$name" "$@" && { names+=("$name"); cmds+=("bash $script"); }
done

# Each test runs in the background; its status and time land in files that
# the reporting loop below reads in the original order.
start_one() {
    local i=$1 key=${names[$1]//\//_}
    ( s=$(date +%s); eval "${cmds[$i]}" >"$logdir/$key.log" 2>&1; rc=$?; echo "$rc $(( $(date +%s) - s ))" >"$logdir/$key.status" ) &
}
for i in "${!names[@]}"; do rm -f "$logdir/${names[$i]//\//_}.status"; done
next=0 passed=0 failed=0 failures=()
# started tests whose status has not landed yet
busy() {
    local n=0 k
    for ((k = 0; k < next; k++)); do [ -s "$logdir/${names[$k]//\//_}.status" ] || n=$((n + 1)); done
    echo $n
}
fill() {
    while [ $next -lt ${#names[@]} ] && [ "$(busy)" -lt "$JOBS" ]; do start_one $next; next=$((next + 1)); done
}
for i in "${!names[@]}"; do
    fill
    key=${names[$i]//\//_}
    while [ ! -s "$logdir/$key.status" ]; do
        sleep 0.2
        fill
    done
    read -r rc secs <"$logdir/$key.status"
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        printf 'PASS %-40s %3ss\n' "${names[$i]}" "$secs"
    else
        failed=$((failed + 1)); failures+=("${names[$i]}")
        printf 'FAIL %-40s %3ss  (log: %s)\n' "${names[$i]}" "$secs" "$logdir/$key.log"
        tail -n 30 "$logdir/$key.log" | sed 's/^/    | /'
    fi
done
wait

echo
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
