#!/usr/bin/env bash
# runtime/pyjson.c against Python's json.dumps and base64 on random input:
# tests/pyjson/vectors.py writes the expected bytes, test_pyjson checks them.
# Run by tests/run.sh from the repo root with BUILD, RUNNER and PYTHON set.
set -euo pipefail

BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
PYTHON=${PYTHON:-python3}
SEED=20240601

bin=$BUILD/tests/test_pyjson
if [ ! -x "$bin" ]; then
    echo "missing $bin (make $bin)" >&2
    exit 1
fi

# Under valgrind every vector costs far more; a smaller sample still covers
# each kind of input, and the full sweep runs in the plain and ASan builds.
if [ -n "$RUNNER" ]; then
    counts=(5000 1000 200)
else
    counts=(200000 20000 2000)
fi

mkdir -p "$BUILD"
tmp=$(mktemp -d "$BUILD/pyjson-vectors.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$PYTHON" tests/pyjson/vectors.py "$SEED" "${counts[@]}" >"$tmp/vectors.txt"
echo "seed $SEED: ${counts[0]} random doubles (plus fixed edge cases)," \
     "${counts[1]} strings, ${counts[2]} binaries; $(wc -l <"$tmp/vectors.txt") lines"

# RUNNER is a command prefix and may hold several words; it is split on purpose.
# shellcheck disable=SC2086
$RUNNER "$bin" --vectors "$tmp/vectors.txt"
