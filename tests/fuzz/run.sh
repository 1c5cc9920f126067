#!/usr/bin/env bash
# Run the libFuzzer harnesses one after the other (make fuzz / make fuzz-ci).
#
#   tests/fuzz/run.sh SECONDS NAME...      NAME: dsl eval json template thriftgen
#
# Each runs SECONDS on one process (the machine is shared: never in parallel)
# from its corpus $FUZZ_BUILD/corpus/NAME (new inputs go there), its seeds
# (made afresh under $FUZZ_BUILD/seeds/NAME from the test fixtures, the
# shared sample configs and tests/fuzz/seeds/NAME) and the minimized inputs
# of past bugs (tests/fuzz/regressions/NAME). A crash, leak, timeout or
# sanitizer report saves the input under $FUZZ_BUILD/artifacts/NAME/ and
# fails the run. One summary line per harness: executions, edges covered
# (libFuzzer's cov:), features (ft:), corpus size, outcome.
# Environment: FUZZ_BUILD (default build-fuzz), SHARED (default ../shared),
# FUZZ_ARGS (more libFuzzer flags), FUZZ_LOGS (where the full logs go),
# FUZZ_FRESH=1 (start from the seeds alone, in an emptied corpus: make fuzz-ci,
# whose time must not grow with what earlier runs kept),
# FUZZ_FORK=1 (the campaign: libFuzzer's fork mode with one job at a time, which
# goes on after a crash, leak or timeout and counts them; afterwards the edges
# of the whole corpus are measured by replaying it, -runs=0).
set -uo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: tests/fuzz/run.sh SECONDS NAME..." >&2; exit 2; }
seconds=$1; shift
B=${FUZZ_BUILD:-build-fuzz}
SHARED=${SHARED:-$PWD/../shared}
logs=${FUZZ_LOGS:-$B/logs}
mkdir -p "$logs" "$B/tmp"

# copy_seeds DEST FILE...: each file under a name made from its path
copy_seeds() {
    local dest=$1; shift
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dest/$(echo "${f#./}" | tr '/' '_')"
    done
    return 0
}

make_seeds() {
    local name=$1 dest=$B/seeds/$1
    rm -rf "$dest" && mkdir -p "$dest"
    case $name in
    dsl | eval)
        # shellcheck disable=SC2046
        # files over 64 KiB left out: libFuzzer's longest input becomes the
        # longest seed's length, and inputs that long make each run slow
        copy_seeds "$dest" $(find tests/conformance/repo tests/diagnostics/cases tests/dsl/cases tests/dsl_api \
            examples/quickstart -name '*.py' -size -64k 2>/dev/null | sort) ;;
    json)
        # shellcheck disable=SC2046
        copy_seeds "$dest" $(find "$SHARED/chronon-sample-production" -type f 2>/dev/null | sort) ;;
    template)
        # shellcheck disable=SC2046
        copy_seeds "$dest" $(ls templates/*.tmpl) ;;
    thriftgen)
        local idl out=$B/tmp/thrift-json
        for idl in thrift/api.thrift tests/codegen/everything.thrift; do
            rm -rf "$out" && mkdir -p "$out"
            thrift --gen json -out "$out" "$idl" >>"$logs/thrift.log" 2>&1 && cp "$out"/*.json "$dest/$(basename "$idl" .thrift).json"
        done
        rm -rf "$out" ;;
    esac
}

dict_of() {
    case $1 in
    dsl | eval) echo tests/fuzz/dsl.dict ;;
    json | thriftgen) echo tests/fuzz/json.dict ;;
    template) echo tests/fuzz/template.dict ;;
    esac
}

status=0
printf '%-10s %10s %8s %8s %8s  %s\n' harness execs cov ft corpus outcome
for name in "$@"; do
    bin=$B/fuzz/fuzz_$name
    [ -x "$bin" ] || { echo "run.sh: $bin not built (make fuzz builds it)" >&2; exit 2; }
    make_seeds "$name"
    corpus=$B/corpus/$name artifacts=$B/artifacts/$name
    [ "${FUZZ_FRESH:-}" = 1 ] && { corpus=$B/corpus-fresh/$name; rm -rf "$corpus"; }
    mkdir -p "$corpus" "$artifacts" "tests/fuzz/seeds/$name" "tests/fuzz/regressions/$name"
    log=$logs/$name.log
    fork=()
    [ "${FUZZ_FORK:-}" = 1 ] && fork=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
    # -close_fd_mask=3: the harnesses' own output (chrononc's diagnostics)
    # is dropped; libFuzzer's and the sanitizers' reports still show.
    # shellcheck disable=SC2086
    TMPDIR=$PWD/$B/tmp "$bin" "${fork[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict="$(dict_of "$name")" -artifact_prefix="$artifacts/" -close_fd_mask=3 -print_final_stats=1 \
        ${FUZZ_ARGS:-} "$corpus" "$B/seeds/$name" "tests/fuzz/seeds/$name" "tests/fuzz/regressions/$name" \
        >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    found=
    if [ ${#fork[@]} -gt 0 ]; then
        execs=$(echo "$last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
        found=$(echo "$last" | sed -n 's/.*oom\/timeout\/crash: \([0-9/]*\).*/\1/p')
        # the edges of what the run covered, measured as a plain run measures
        # them: fork mode adds to the corpus only inputs that found something
        # beyond the seeds, so the seeds are replayed with it
        TMPDIR=$PWD/$B/tmp "$bin" -runs=0 -close_fd_mask=3 "$corpus" "$B/seeds/$name" "tests/fuzz/seeds/$name" \
            "tests/fuzz/regressions/$name" >"$log.replay" 2>&1
        last=$(grep -E '^#[0-9]+' "$log.replay" | tail -1)
        [ "${found:-0/0/0}" = 0/0/0 ] || rc=1
    fi
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    n=$(find "$corpus" -type f | wc -l)
    if [ $rc -eq 0 ]; then
        outcome=ok
    else
        status=1
        outcome="FAILED (exit $rc${found:+, oom/timeout/crash $found}): $(grep -m1 -E 'ERROR: |SUMMARY: |fuzz check failed' "$log" | cut -c1-120); log $log"
    fi
    printf '%-10s %10s %8s %8s %8s  %s\n' "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$n" "$outcome"
done
exit $status
