#!/usr/bin/env bash
# thrift-cgen on tests/codegen/everything.thrift, checked byte for byte
# against Python: the generated C must compile with -Werror, read every JSON
# that Python's generated code writes (through chronon-ai's thrift_simple_json
# recipe) and write the same bytes back, and its _init defaults must write
# what Python's Struct() writes.
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, PYTHON, and the
# Makefile's CC, CFLAGS, LDFLAGS when it runs the suite.
set -euo pipefail

BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
PYTHON=${PYTHON:-python3}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--std=c11 -Wall -Wextra -Werror -g -O2 -D_POSIX_C_SOURCE=200809L -Iruntime}
LDFLAGS=${LDFLAGS:-}

for need in "$BUILD/thrift-cgen" "$BUILD/libtjson.a"; do
    [ -e "$need" ] || { echo "missing $need (run make first)" >&2; exit 1; }
done

mkdir -p "$BUILD"
work=$(mktemp -d "$BUILD/codegen-generate.XXXXXX")
cleanup() {
    local status=$?
    if [ $status -eq 0 ]; then rm -rf "$work"; else echo "kept $work for a look" >&2; fi
}
trap cleanup EXIT

# Run a step quietly; on failure show what it said.
step() {
    local name=$1; shift
    if ! "$@" >"$work/$name.log" 2>&1; then
        echo "FAILED: $*" >&2
        cat "$work/$name.log" >&2
        exit 1
    fi
}

echo "== generate C"
# shellcheck disable=SC2086  # RUNNER is a command prefix with arguments
step cgen $RUNNER "$BUILD/thrift-cgen" --prefix ev_ --templates templates --out "$work/c" \
    --name everything tests/codegen/everything.thrift
ls "$work/c"

echo "== compile it with -Werror"
# shellcheck disable=SC2086
step compile $CC $CFLAGS -Iruntime -I"$work/c" $LDFLAGS tests/codegen/everything_roundtrip.c \
    "$work/c/everything.c" "$BUILD/libtjson.a" -o "$work/roundtrip" -ljansson -lm
# the header on its own, as another file would include it, and with -Wpedantic
printf '#include "everything.h"\n' >"$work/include_only.c"
# shellcheck disable=SC2086
step pedantic $CC $CFLAGS -Wpedantic -Iruntime -I"$work/c" -c "$work/include_only.c" -o "$work/include_only.o"

echo "== Python's side"
mkdir -p "$work/py"
step thrift-py thrift --gen py -out "$work/py" tests/codegen/everything.thrift
PYTHONPATH="$work/py" step cases "$PYTHON" tests/codegen/everything_cases.py "$work/cases"
cat "$work/cases.log"

echo "== C reads and writes the same bytes"
# shellcheck disable=SC2086
step roundtrip $RUNNER "$work/roundtrip" "$work/cases"
cat "$work/roundtrip.log"

echo "== generating twice gives the same files"
# shellcheck disable=SC2086
step cgen-again $RUNNER "$BUILD/thrift-cgen" --prefix ev_ --templates templates --out "$work/c2" \
    --name everything tests/codegen/everything.thrift
cmp "$work/c/everything.h" "$work/c2/everything.h"
cmp "$work/c/everything.c" "$work/c2/everything.c"
echo ok
