#!/usr/bin/env bash
# `make demo`: the toolchain as it stands, end to end on real inputs.
#   1. Chronon's IDL -> generated C types (thrift-cgen)
#   2. a C program builds a GroupBy with those types and prints Chronon's JSON
#   3. chrononc json reads Chronon's own compiled sample configs and writes
#      them back byte for byte; a broken config gets a JSON-path diagnostic.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
SHARED=${SHARED:-$PWD/../shared}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1. thrift/api.thrift -> generated/chronon_api.{h,c}"
printf '%s structs and unions, %s enums in the IDL; %s descriptors generated\n' \
    "$(grep -c '^struct\|^union' thrift/api.thrift)" "$(grep -c '^enum' thrift/api.thrift)" \
    "$(grep -c '_desc = {' generated/chronon_api.c)"
sed -n '/^struct chronon_Window {/,/^};/p' generated/chronon_api.h

say "2. a C program builds a GroupBy (examples/c-api/purchases_group_by.c)"
cc -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iruntime -Igenerated examples/c-api/purchases_group_by.c \
    generated/chronon_api.c "$BUILD/libtjson.a" -ljansson -lm -o "$BUILD/purchases_group_by"
"$BUILD/purchases_group_by"

say "3. chrononc json on Chronon's compiled sample configs"
samples=$SHARED/chronon-sample-production
n=0 same=0
while IFS= read -r f; do
    n=$((n + 1))
    if cmp -s <("$BUILD/chrononc" json "$f") <(cat "$f"; [ -z "$(tail -c 1 "$f")" ] || echo); then
        same=$((same + 1))
    fi
done < <(find "$samples" -type f | sort)
echo "$same of $n sample configs read and written back byte for byte"
join=$samples/joins/sample_team/sample_join.v1
echo "\$ chrononc json $join | head -12"
"$BUILD/chrononc" json "$join" | head -12

say "4. a config with a mistake"
bad=$BUILD/demo-bad-join.json
sed 's/"operation": 7/"operation": "SUM"/' "$join" >"$bad"
echo "\$ chrononc json --type Join $bad"
"$BUILD/chrononc" json --type Join "$bad" || echo "(exit $?)"
