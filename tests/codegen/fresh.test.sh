#!/usr/bin/env bash
# The committed generated/chronon_api.{h,c} are what thrift-cgen makes today
# from thrift/api.thrift and templates/: regenerate into a temporary folder
# and compare byte for byte. On a difference: make generated/chronon_api.h
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER.
set -euo pipefail

BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
[ -x "$BUILD/thrift-cgen" ] || { echo "missing $BUILD/thrift-cgen (run make first)" >&2; exit 1; }

mkdir -p "$BUILD"
work=$(mktemp -d "$BUILD/codegen-fresh.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The same arguments as the Makefile's rule: the IDL path is quoted in the output.
# shellcheck disable=SC2086  # RUNNER is a command prefix with arguments
$RUNNER "$BUILD/thrift-cgen" --prefix chronon_ --templates templates --out "$work" \
    --name chronon_api thrift/api.thrift

stale=0
for f in chronon_api.h chronon_api.c; do
    if ! cmp "$work/$f" "generated/$f"; then
        diff -u "generated/$f" "$work/$f" | head -40 || true
        stale=1
    fi
done
if [ $stale -ne 0 ]; then
    echo "generated/ is stale: run make generated/chronon_api.h and commit the result" >&2
    exit 1
fi
echo "generated/chronon_api.{h,c} are up to date"
