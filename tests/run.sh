#!/usr/bin/env bash
# Run the test suite: every unit binary $BUILD/tests/test_* and every script
# tests/*/*.test.sh. Prints one line per test and a closing
# "N passed, N failed" line; exits 1 if any failed.
#
# Environment: BUILD (build folder), RUNNER (prefix for C programs, e.g.
# valgrind), PYTHON. Arguments, if any, restrict the run to tests whose name
# contains one of them.
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build} RUNNER=${RUNNER:-} PYTHON=${PYTHON:-python3}
export ROOT=$PWD SHARED=${SHARED:-$PWD/../shared}

selected() {
    [ $# -eq 1 ] && return 0
    local name=$1; shift
    for pat in "$@"; do case "$name" in *"$pat"*) return 0 ;; esac; done
    return 1
}

passed=0 failed=0 failures=()
logdir=$BUILD/test-logs
mkdir -p "$logdir"

run_one() {
    local name=$1; shift
    local log="$logdir/${name//\//_}.log" start=$SECONDS
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        printf 'PASS %-40s %3ss\n' "$name" $((SECONDS - start))
    else
        failed=$((failed + 1)); failures+=("$name")
        printf 'FAIL %-40s %3ss  (log: %s)\n' "$name" $((SECONDS - start)) "$log"
        tail -n 30 "$log" | sed 's/^/    | /'
    fi
}

for bin in "$BUILD"/tests/test_*; do
    [ -x "$bin" ] || continue
    name=unit/$(basename "$bin")
    selected "$name" "$@" && run_one "$name" $RUNNER "$bin"
done
for script in tests/*/*.test.sh; do
    [ -f "$script" ] || continue
    name=${script#tests/}; name=${name%.test.sh}
    selected "$name" "$@" && run_one "$name" bash "$script"
done

echo
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
