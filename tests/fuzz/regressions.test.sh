#!/usr/bin/env bash
# The fuzz harnesses in replay mode ($BUILD/fuzz-replay/fuzz_NAME, linked with
# tests/fuzz/replay_main.c, so any compiler and valgrind can run them): each
# harness replays its committed seeds (tests/fuzz/seeds/NAME) and the
# minimized input of every bug fuzzing found (tests/fuzz/regressions/NAME,
# listed in docs/testing.md). Each input must run to its "ok" line: no crash,
# no failed harness check, no sanitizer report or leak (check-asan,
# check-valgrind). One process per harness, so valgrind starts five times.
set -uo pipefail
tmp=$(mktemp -d "$BUILD/fuzz-regressions.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bad=0 total=0
for name in dsl eval json template thriftgen; do
    bin=$BUILD/fuzz-replay/fuzz_$name
    inputs=()
    for dir in tests/fuzz/seeds/$name tests/fuzz/regressions/$name; do
        [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && inputs+=("$dir")
    done
    want=0
    for dir in "${inputs[@]}"; do want=$((want + $(find "$dir" -maxdepth 1 -type f ! -name '.*' | wc -l))); done
    if [ "$want" -eq 0 ]; then
        echo "FAIL $name: no seeds or regression inputs to replay"
        bad=$((bad + 1))
        continue
    fi
    # the eval harness's repo goes in a temporary folder of our own
    TMPDIR=$tmp $RUNNER "$bin" "${inputs[@]}" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    got=$(grep -c '^ok ' "$tmp/$name.out")
    total=$((total + got))
    if [ $rc -ne 0 ] || [ "$got" -ne "$want" ] || grep -qE 'ERROR: (Address|Leak|Undefined)|runtime error:|fuzz check failed' "$tmp/$name.err"; then
        bad=$((bad + 1))
        echo "FAIL $name: exit $rc, $got of $want inputs ran; last ok: $(tail -n 1 "$tmp/$name.out")"
        grep -m5 -E 'ERROR|SUMMARY|runtime error|fuzz check failed' "$tmp/$name.err" | sed 's/^/  /'
    fi
    # the eval harness removes its repo at exit
    [ -z "$(ls -A "$tmp" | grep fuzz_eval)" ] || { echo "FAIL $name: left its repo in $tmp"; bad=$((bad + 1)); }
done
echo "$total inputs replayed, $bad harness(es) failed"
[ $bad -eq 0 ]
