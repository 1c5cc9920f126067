#!/usr/bin/env bash
# Thrift's JSON generator reports enum-typed fields as i32, so api.thrift marks
# them with (c.enum = "E"). Thrift's XML generator keeps the enum type: use it
# to check that every enum-typed field carries the annotation, naming its enum.
set -euo pipefail
tmp=$(mktemp -d "$BUILD/enums.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for idl in thrift/api.thrift tests/codegen/everything.thrift; do
    [ -f "$idl" ] || continue
    thrift --gen xml -out "$tmp" "$idl"
    $PYTHON tests/idl/enum_annotations.py "$tmp/$(basename "${idl%.thrift}").xml" "$idl"
done

# The check notices a missing annotation.
sed 's/ (c.enum = "Accuracy")//' thrift/api.thrift >"$tmp/mutant.thrift"
thrift --gen xml -out "$tmp" "$tmp/mutant.thrift"
if $PYTHON tests/idl/enum_annotations.py "$tmp/mutant.xml" mutant >"$tmp/out"; then
    echo "a missing annotation was not detected"; exit 1
fi
grep -q "GroupBy.accuracy: holds enum Accuracy but is annotated None" "$tmp/out"
