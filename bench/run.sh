#!/usr/bin/env bash
# chrononc vs compile.py, side by side: bench/README.md says what is measured.
#
#   bench/run.sh                 # the whole bench (~5-8 min on 2 cores)
#   bench/run.sh shapes [ARGS]   # the repo shapes against the file system's floor
#                                # (bench/shapes.py --help; ~30 min with compile.py at 10,000)
#   BENCH_SIZES="100 1000" bench/run.sh
#   BENCH_PY_SIZES="100 1000 10000" bench/run.sh   # also compile.py at 10,000 (over an hour)
#
# Environment (all optional):
#   BENCH_SIZES        repo sizes in configs            (default: 100 1000 10000)
#   BENCH_VERIFY_SIZES sizes whose output trees must be byte-identical (default: 100 1000)
#   BENCH_PY_SIZES     sizes compile.py is timed on     (default: 100 1000)
#   BENCH_PY_RUNS      compile.py runs per size         (default: 100:3,1000:1, else 1)
#   BENCH_C_RUNS       chrononc runs per size           (default: 100:7,1000:5,10000:3)
#   BENCH_PROFILE      1: callgrind + perf profile of chrononc on the 1,000 repo (default 1)
#   BENCH_SEED         generator seed                   (default 20240601)
#   BENCH_WORK         work folder (default: a new folder under $TMPDIR or /tmp)
#   BENCH_KEEP         1: keep the work folder
#   CHRONONC           the binary (default: build/chrononc, built with make first)
set -euo pipefail
cd "$(dirname "$0")/.."

# GNU time for peak RSS (Debian package "time"; not always installed).
if [ ! -x /usr/bin/time ]; then
    echo "bench: /usr/bin/time missing, installing Debian package 'time'" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y time >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null; }
    else
        sudo apt-get install -y time >/dev/null
    fi
fi

if [ -z "${CHRONONC:-}" ]; then
    make -s build/chrononc >&2
    export CHRONONC=$PWD/build/chrononc
fi

# compile.py runs through tests/conformance/oracle.sh; give it the interpreter
# itself rather than a version-manager shim, so no shim start-up is timed.
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
export PYTHON
command -v compile.py >/dev/null || echo "bench: warning: compile.py not on PATH (chronon-ai 0.0.115 expected)" >&2

if [ "${1:-}" = shapes ]; then
    shift
    exec "$PYTHON" bench/shapes.py "$@"
fi
exec "$PYTHON" bench/bench.py "$@"
