#!/usr/bin/env bash
# `make demo`: the toolchain end to end on real inputs.
#   1. the quickstart definitions (examples/quickstart) compiled to production/
#      configs without Python -- the same bytes chronon-ai's compile.py writes
#   2. a mistake in a definition, caught at build time with its location
#   3. a C program building a GroupBy with the generated types
#   4. Chronon's own compiled samples read, re-written and imported back
#   5. one executable per config, demo data in the embedded Spark warehouse,
#      and the join's run (which needs Chronon's Spark jar, see README)
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
SHARED=${SHARED:-$PWD/../shared}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
work=$BUILD/demo
rm -rf "$work" && mkdir -p "$work"

say "1. chrononc compile examples/quickstart"
cp -r examples/quickstart "$work/quickstart"
( cd "$work/quickstart" && find group_bys joins staging_queries -name '*.py' | sort )
"$BUILD/chrononc" compile --chronon_root "$work/quickstart"
( cd "$work/quickstart" && find production -type f | sort )
echo "\$ head -30 production/joins/quickstart/training_set.v1"
head -30 "$work/quickstart/production/joins/quickstart/training_set.v1"
echo "..."

say "2. a typo in a definition"
sed 's/input_column="purchase_price", operation=op/input_colum="purchase_price", operation=op/' \
    examples/quickstart/group_bys/quickstart/purchases.py >"$work/quickstart/group_bys/quickstart/purchases.py"
echo "\$ chrononc check --chronon_root quickstart"
"$BUILD/chrononc" check --chronon_root "$work/quickstart" || echo "(exit $?)"

say "3. a C program builds a GroupBy (examples/c-api/purchases_group_by.c)"
cc -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iruntime -Igenerated examples/c-api/purchases_group_by.c \
    generated/chronon_api.c "$BUILD/libtjson.a" -ljansson -lm -o "$work/purchases_group_by"
"$work/purchases_group_by" | tail -12

say "4. Chronon's compiled samples: json, import, compile"
samples=$SHARED/chronon-sample-production
n=0 same=0
while IFS= read -r f; do
    n=$((n + 1))
    if cmp -s <("$BUILD/chrononc" json "$f") <(cat "$f"; [ -z "$(tail -c 1 "$f")" ] || echo); then
        same=$((same + 1))
    fi
done < <(find "$samples" -type f | sort)
echo "chrononc json: $same of $n sample configs read and written back byte for byte"
mkdir -p "$work/imported"
echo '{"default": {"namespace": null, "table_properties": null}, "sample_team": {}}' >"$work/imported/teams.json"
"$BUILD/chrononc" import --chronon_root "$work/imported" "$samples/joins/sample_team/sample_join.v1" >/dev/null
echo "\$ chrononc import sample_join.v1 -> joins/sample_team/sample_join.py:"
sed -n '1,12p' "$work/imported/joins/sample_team/sample_join.py"
echo "    ..."
"$BUILD/chrononc" compile --chronon_root "$work/imported" --input_path joins -q
cmp "$samples/joins/sample_team/sample_join.v1" "$work/imported/production/joins/sample_team/sample_join.v1" &&
    echo "compiled back: identical to the sample"

say "5. executables and Spark: chrononc build, demo data through chrononc sql, the join's run"
"$BUILD/chrononc" build --chronon_root "$work/quickstart" | tail -1
exe=$work/quickstart/build/joins/quickstart/training_set.v1
"$exe" info | head -4
export CHRONON_WAREHOUSE="$(cd "$work" && pwd)/warehouse"
"$BUILD/chrononc" sql --quiet \
    "CREATE DATABASE IF NOT EXISTS data" \
    "CREATE TABLE data.purchases (user_id STRING, purchase_price DOUBLE, ts BIGINT) PARTITIONED BY (ds STRING)" \
    "INSERT INTO data.purchases PARTITION (ds='2023-12-01') VALUES ('u1', 12.5, 1701388800000), ('u2', 40.0, 1701392400000), ('u1', 7.5, 1701396000000)" \
    "SELECT user_id, SUM(purchase_price) AS spend, COUNT(*) AS purchases FROM data.purchases GROUP BY user_id ORDER BY user_id"
echo "\$ training_set.v1 run --start-date 2023-12-01 --end-date 2023-12-01"
if "$exe" run --start-date 2023-12-01 --end-date 2023-12-01 --quiet; then
    echo "(ran on Chronon's jar from CHRONON_JARS)"
else
    echo "(exit $?: Chronon's Spark jar is not available on this machine; set CHRONON_JARS to run the join)"
fi
