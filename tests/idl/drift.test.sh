#!/usr/bin/env bash
# thrift/api.thrift against chronon-ai's published ttypes, then proof that the
# comparison notices drift: a mutated copy of the IDL must fail it.
set -euo pipefail
$PYTHON tests/idl/drift_test.py thrift/api.thrift

tmp=$(mktemp -d "$BUILD/drift.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mutate() {  # name, sed expression, message expected in the drift report
    sed "$2" thrift/api.thrift >"$tmp/$1.thrift"
    if $PYTHON tests/idl/drift_test.py "$tmp/$1.thrift" >"$tmp/$1.out" 2>&1; then
        echo "mutation $1 was not detected"; exit 1
    fi
    grep -qF "$3" "$tmp/$1.out" || { echo "mutation $1: expected '$3' in:"; cat "$tmp/$1.out"; exit 1; }
}
mutate default 's/setups = \[\]/setups/' "Query field 6"
mutate type 's/11: optional double samplePercent/11: optional i64 samplePercent/' "MetaData field 11"
mutate id 's/4: optional string prefix/5: optional string prefix/' "JoinPart field 4"
mutate enum 's/LAST_K = 13/LAST_K = 21/' "enum Operation"
mutate missing '/16: optional string description/d' "MetaData field 16"
echo "drift: 5 mutations detected"
