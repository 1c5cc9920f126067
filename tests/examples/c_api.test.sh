#!/usr/bin/env bash
# The C API example builds with -Werror, runs clean (under $RUNNER), reads its
# own JSON back equal, and its JSON is what chronon-ai writes for the same
# GroupBy (re-serialized through chronon-ai's decoder and thrift_simple_json).
set -euo pipefail
tmp=$(mktemp -d "$BUILD/example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} ${CFLAGS:--std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iruntime -Igenerated} ${LDFLAGS:-} examples/c-api/purchases_group_by.c generated/chronon_api.c \
    "$BUILD/libtjson.a" -ljansson -lm -o "$tmp/example"
$RUNNER "$tmp/example" >"$tmp/out"
tail -n 1 "$tmp/out" | grep -qx 'read back: equal, operation SUM'
sed '$d' "$tmp/out" >"$tmp/gb.json"
$PYTHON - "$tmp/gb.json" <<'PY'
import sys
from ai.chronon.api.ttypes import GroupBy
from ai.chronon.repo.serializer import json2thrift, thrift_simple_json
text = open(sys.argv[1]).read().rstrip("\n")
gb = json2thrift(text, GroupBy)
assert gb.aggregations[0].operation == 7 and gb.sources[0].events.query.setups == []
assert thrift_simple_json(gb) == text, "chronon-ai writes different bytes"
print("example JSON matches chronon-ai")
PY
