#!/usr/bin/env bash
# `make demo`: the toolchain end to end on real inputs.
#   1. the quickstart definitions (examples/quickstart) compiled to production/
#      configs without Python -- the same bytes chronon-ai's compile.py writes
#   2. a mistake in a definition, caught at build time with its location
#   3. a C program building a GroupBy with the generated types
#   4. Chronon's own compiled samples read, re-written and imported back
#      (when they are beside the repo, in $SHARED/chronon-sample-production)
#   5. one executable per config, the quickstart's data (examples/quickstart/
#      data/data.sql) in the embedded Spark warehouse, and the join's run on
#      Chronon's engine (the jar `make chronon-jar` put in the jar cache)
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
if [ ! -d "$samples" ]; then
    echo "skipped: Chronon's compiled sample configs are not here ($samples);"
    echo "         set SHARED to a folder holding chronon-sample-production/ to see this step"
else
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
fi

say "5. executables on Chronon's engine: chrononc build, the quickstart's data, the join's run"
cp examples/quickstart/group_bys/quickstart/purchases.py "$work/quickstart/group_bys/quickstart/purchases.py"
"$BUILD/chrononc" build --chronon_root "$work/quickstart" | tail -1
exe=$work/quickstart/build/joins/quickstart/training_set.v1
echo "\$ build/joins/quickstart/training_set.v1 info"
"$exe" info
export CHRONON_WAREHOUSE="$(cd "$work" && pwd)/warehouse"
echo "\$ chrononc sql -f examples/quickstart/data/data.sql   (4 users, 8 days, into $CHRONON_WAREHOUSE)"
"$BUILD/chrononc" sql --quiet --show 0 -f examples/quickstart/data/data.sql
"$BUILD/chrononc" sql --quiet \
    "SELECT ds, COUNT(*) AS purchases, ROUND(SUM(purchase_price), 2) AS spend FROM data.purchases GROUP BY ds ORDER BY ds"

# A fixed name prefix (the default is the user name), so the table name below is known.
echo "\$ training_set.v1 run --start-date 2023-11-29 --end-date 2023-12-01 --name-prefix demo --show 0"
rc=0
"$exe" run --start-date 2023-11-29 --end-date 2023-12-01 --name-prefix demo --show 0 --quiet || rc=$?
if [ $rc -ne 0 ]; then
    echo "(the join's run failed with exit $rc: its error is printed above)" >&2
    exit $rc
fi
echo "\$ chrononc sql \"SELECT ... FROM quickstart.demo_quickstart_training_set_v1 ORDER BY ds, ts\""
"$BUILD/chrononc" sql --quiet --show 50 "
    SELECT user_id, ds, from_unixtime(ts / 1000, 'HH:mm') AS at,
           quickstart_purchases_v1_purchase_price_sum_3d AS spend_3d,
           quickstart_purchases_v1_purchase_price_count_14d AS purchases_14d,
           slice(quickstart_purchases_v1_purchase_price_last10, 1, 3) AS last_3_prices,
           quickstart_returns_v1_refund_amt_sum_30d AS refunds_30d,
           quickstart_users_v1_email_verified AS verified
    FROM quickstart.demo_quickstart_training_set_v1 ORDER BY ds, ts"
echo "Each checkout has its user's features as of the end of the day before it (snapshot accuracy)."
