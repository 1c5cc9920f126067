#!/usr/bin/env bash
# Values on Chronon's real engine: our own definitions (tests/engine/repo)
# compiled and built by chrononc, small deterministic data
# (tests/engine/values_data.py) loaded through `chrononc sql`, each GroupBy and
# the Join run once over several days through its executable, and every value
# of every output row compared with an oracle that follows Chronon's semantics
# without Spark (tests/engine/values_oracle.py says which, with the source
# files they come from).
#
# Cases:
#   gb/txn_daily       events GroupBy, day windows + no windows: SUM, COUNT,
#                      AVERAGE, MIN, MAX, LAST_K, FIRST_K, UNIQUE_COUNT; a day
#                      without a source partition, an empty partition, nulls
#   gb/tier_stats      entities GroupBy: aggregations over each day's snapshot
#   join/snapshot      events part, SNAPSHOT accuracy (as of the day before)
#   join/temporal      events part, TEMPORAL accuracy: hour and day sawtooth
#                      windows per left ts
#   join/entities      entities part (users snapshot of the day before)
#   join/all           every column and row of the join
#
# One warehouse and one data load for all cases; 4 JVM starts. Plain pass only
# (the JVM under ASan/valgrind); a missing Java, pyspark or Chronon jar fails.
set -uo pipefail
source tests/engine/lib.sh
engine_setup engine-values
here=tests/engine
check() { "$PYTHON" "$here/values_check.py" "$@" || failed=1; }

engine_build "$here/repo"
prod=$repo/production

"$PYTHON" "$here/values_data.py" sql >"$work/load.sql" || { echo "FAIL values_data.py sql"; exit 1; }
engine_sql load -f "$work/load.sql" --show 0 --output "$work/counts.jsonl" || exit 1
check load load "$work/counts.jsonl"

# name config start end
runs=(
    "txn_daily group_bys/vt/txn_daily.v1 2024-03-03 2024-03-09"
    "tier_stats group_bys/vt/tier_stats.v1 2024-03-04 2024-03-09"
    "join joins/vt/checkout_features.v1 2024-03-06 2024-03-09"
)
for r in "${runs[@]}"; do
    read -r name config start end <<<"$r"
    engine_run "$name" "$config" run --no-name-prefix --start-date "$start" --end-date "$end" \
        --output "$work/$name.jsonl" || continue
    case "$config" in
    group_bys/*) check groupby "gb/$name" "$prod/$config" "$start" "$end" "$work/$name.jsonl" ;;
    joins/*)
        for part in snapshot:vt_txn_daily_v1_ temporal:vt_txn_temporal_v1_ entities:vt_users_v1_; do
            check join "join/${part%%:*}" "$prod/$config" "$start" "$end" "$work/$name.jsonl" "${part#*:}"
        done
        check join join/all "$prod/$config" "$start" "$end" "$work/$name.jsonl"
        ;;
    esac
done

echo "     (values: $((SECONDS - engine_start))s in all)"
exit $failed
