#!/usr/bin/env bash
# What the executables print and write, on Chronon's real engine: the
# quickstart (examples/quickstart) plus a StagingQuery that returns every kind
# of value (arrays with nulls, maps, structs, nesting, escapes, NaN), compiled
# and built into a temporary folder, on a small data set made with
# `chrononc sql`. Exact bytes wherever the engine is deterministic:
#   run --output F.jsonl   arrays, maps and structs as JSON values
#   run --output F.csv     RFC 4180 quoting, arrays as their JSON text
#   run --show N           still Spark's show() ([7.5, 12.5], {a -> 1, ...})
#   run of a Join          Chronon's validation ERROR (today's partition has
#                          no rows) is a warning with the date, the run exits 0
#   analyze                Chronon's Analyzer result on stdout: timestamp
#                          checks, heavy hitters, key and output schemas
#   analyze, no rows       one line, exit 1
# Row order is Spark's, so rows are compared sorted. Heavy-hitter counts come
# from a 10% random sample (Analyzer.heavyHitters), so only their lines' form
# is checked. One warehouse, one data load, 5 JVM starts. Plain pass only;
# a missing Java, pyspark or Chronon jar fails (tests/engine/lib.sh).
set -uo pipefail
source tests/engine/lib.sh
engine_setup engine-output

# expect NAME WHAT GOT-FILE: GOT-FILE's bytes are the here-document's
expect() {
    if diff "$3" - >"$work/$1.diff"; then
        ok "$1: $2"
    else
        bad "$1" "$2 differs (< got, > wanted)"
        sed 's/^/     | /' "$work/$1.diff" | head -n 40
    fi
}

src=$work/src
cp -r examples/quickstart "$src"
rm -rf "$src/production" "$src/build" "$src/data"
cat >"$src/staging_queries/quickstart/types.py" <<'EOF'
"""Every kind of value a result row can hold (tests/engine/output.test.sh)."""
from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query=r"""
        SELECT user_id,
               array(7.5D, 12.5D) AS prices,
               array(1, NULL, 3) AS with_null,
               map('a', 1L, 'b', CAST(NULL AS BIGINT)) AS counts,
               named_struct('id', user_id, 'note', CAST(NULL AS STRING), 'tags', array('x,y', 'q"uote')) AS info,
               array(map('k', array(1.5D, CAST(NULL AS DOUBLE)))) AS nested,
               IF(user_id = 'u4', NULL, array('\u00e9\ttab')) AS maybe,
               1e10D AS big,
               CAST('NaN' AS DOUBLE) AS nan,
               'line\nbreak, "quoted"' AS text,
               user_id = 'u1' AS flag,
               ds
        FROM data.checkouts
        WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'
    """,
    startPartition="2023-12-02",
    metaData=ttypes.MetaData(name="types", outputNamespace="quickstart"),
)
EOF
engine_build "$src"

engine_sql data --show 0 \
    "CREATE DATABASE IF NOT EXISTS data" "CREATE DATABASE IF NOT EXISTS quickstart" \
    "CREATE TABLE data.purchases (user_id STRING, purchase_price DOUBLE, ts BIGINT) PARTITIONED BY (ds STRING)" \
    "INSERT INTO data.purchases PARTITION (ds='2023-12-01') VALUES ('u1', 12.5, 1701388800000), ('u2', 40.0, 1701392400000), ('u1', 7.5, 1701396000000)" \
    "INSERT INTO data.purchases PARTITION (ds='2023-12-02') VALUES ('u1', 3.25, 1701475200000), ('u3', 0.1, 1701478800000)" \
    "CREATE TABLE data.returns (user_id STRING, refund_amt DOUBLE, ts BIGINT) PARTITIONED BY (ds STRING)" \
    "INSERT INTO data.returns PARTITION (ds='2023-12-02') VALUES ('u1', 7.5, 1701477000000)" \
    "CREATE TABLE data.users (user_id STRING, account_created_ds STRING, email_verified BOOLEAN) PARTITIONED BY (ds STRING)" \
    "INSERT INTO data.users PARTITION (ds='2023-12-01') VALUES ('u1', '2023-01-01', true), ('u2', '2023-06-15', false)" \
    "CREATE TABLE data.checkouts (user_id STRING, ts BIGINT) PARTITIONED BY (ds STRING)" \
    "INSERT INTO data.checkouts PARTITION (ds='2023-12-02') VALUES ('u1', 1701500000000), ('u2', 1701510000000), ('u4', 1701520000000)" ||
    exit 1

# ---- JSON lines: every kind of value, from the JVM as it is ---------------------------
if engine_run types staging_queries/quickstart/types.v1 run --no-name-prefix --end-date 2023-12-02 \
    --show 3 --output "$work/types.jsonl"; then
    LC_ALL=C sort "$work/types.jsonl" >"$work/types.sorted"
    expect types.jsonl "JSON lines (arrays, maps, structs, nesting, nulls, escapes)" "$work/types.sorted" <<'EOF'
{"user_id":"u1","prices":[7.5,12.5],"with_null":[1,null,3],"counts":{"a":1,"b":null},"info":{"id":"u1","note":null,"tags":["x,y","q\"uote"]},"nested":[{"k":[1.5,null]}],"maybe":["é\ttab"],"big":1.0E10,"nan":"NaN","text":"line\nbreak, \"quoted\"","flag":true,"ds":"2023-12-02"}
{"user_id":"u2","prices":[7.5,12.5],"with_null":[1,null,3],"counts":{"a":1,"b":null},"info":{"id":"u2","note":null,"tags":["x,y","q\"uote"]},"nested":[{"k":[1.5,null]}],"maybe":["é\ttab"],"big":1.0E10,"nan":"NaN","text":"line\nbreak, \"quoted\"","flag":false,"ds":"2023-12-02"}
{"user_id":"u4","prices":[7.5,12.5],"with_null":[1,null,3],"counts":{"a":1,"b":null},"info":{"id":"u4","note":null,"tags":["x,y","q\"uote"]},"nested":[{"k":[1.5,null]}],"maybe":null,"big":1.0E10,"nan":"NaN","text":"line\nbreak, \"quoted\"","flag":false,"ds":"2023-12-02"}
EOF
    # every line is JSON, and reads back as the values the query made
    "$PYTHON" - "$work/types.jsonl" <<'EOF' && ok "types.jsonl: read back by Python's json" || bad types.jsonl "not the values"
import json, math, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == 3, rows
for r in rows:
    assert r["prices"] == [7.5, 12.5] and r["with_null"] == [1, None, 3], r
    assert r["counts"] == {"a": 1, "b": None} and r["nested"] == [{"k": [1.5, None]}], r
    assert r["info"] == {"id": r["user_id"], "note": None, "tags": ["x,y", 'q"uote']}, r
    assert r["maybe"] == (None if r["user_id"] == "u4" else ["\u00e9\ttab"]), r
    assert r["big"] == 1e10 and r["text"] == 'line\nbreak, "quoted"' and r["flag"] == (r["user_id"] == "u1"), r
EOF
    # show() is unchanged: Spark's CAST to string, not JSON
    grep '^|' "$work/types.out" | LC_ALL=C sort >"$work/types.show"
    expect types.show "show() keeps Spark's text for arrays, maps and structs" "$work/types.show" <<'EOF'
|     u1|[7.5, 12.5]|[1, null, 3]|{a -> 1, b -> null}|{u1, null, [x,y, ...|[{k -> [1.5, null]}]|[é\ttab]|1.0E10|NaN|line\nbreak, "quo...| true|2023-12-02|
|     u2|[7.5, 12.5]|[1, null, 3]|{a -> 1, b -> null}|{u2, null, [x,y, ...|[{k -> [1.5, null]}]|[é\ttab]|1.0E10|NaN|line\nbreak, "quo...|false|2023-12-02|
|     u4|[7.5, 12.5]|[1, null, 3]|{a -> 1, b -> null}|{u4, null, [x,y, ...|[{k -> [1.5, null]}]|    null|1.0E10|NaN|line\nbreak, "quo...|false|2023-12-02|
|user_id|     prices|   with_null|             counts|                info|              nested|   maybe|   big|nan|                text| flag|        ds|
EOF
fi

# ---- CSV of a Join, and Chronon's recovered validation error as a warning -------------
today_before=$(date -u +%F)
if engine_run join joins/quickstart/training_set.v1 run --no-name-prefix --start-date 2023-12-02 \
    --end-date 2023-12-02 --show 0 --output "$work/join.csv"; then
    today_after=$(date -u +%F)
    { head -n 1 "$work/join.csv"; tail -n +2 "$work/join.csv" | LC_ALL=C sort; } >"$work/join.sorted"
    expect join.csv "CSV: header, arrays as quoted JSON, nulls as empty fields" "$work/join.sorted" <<'EOF'
user_id,ts,quickstart_purchases_v1_purchase_price_sum_3d,quickstart_purchases_v1_purchase_price_sum_14d,quickstart_purchases_v1_purchase_price_sum_30d,quickstart_purchases_v1_purchase_price_count_3d,quickstart_purchases_v1_purchase_price_count_14d,quickstart_purchases_v1_purchase_price_count_30d,quickstart_purchases_v1_purchase_price_average_3d,quickstart_purchases_v1_purchase_price_average_14d,quickstart_purchases_v1_purchase_price_average_30d,quickstart_purchases_v1_purchase_price_last10,quickstart_returns_v1_refund_amt_sum_3d,quickstart_returns_v1_refund_amt_sum_14d,quickstart_returns_v1_refund_amt_sum_30d,quickstart_returns_v1_refund_amt_count_3d,quickstart_returns_v1_refund_amt_count_14d,quickstart_returns_v1_refund_amt_count_30d,quickstart_returns_v1_refund_amt_average_3d,quickstart_returns_v1_refund_amt_average_14d,quickstart_returns_v1_refund_amt_average_30d,quickstart_returns_v1_refund_amt_last10,quickstart_users_v1_email_verified,quickstart_users_v1_account_created_ds,ds
u1,1701500000000,20.0,20.0,20.0,2,2,2,10.0,10.0,10.0,"[7.5,12.5]",,,,,,,,,,,true,2023-01-01,2023-12-02
u2,1701510000000,40.0,40.0,40.0,1,1,1,40.0,40.0,40.0,[40.0],,,,,,,,,,,false,2023-06-15,2023-12-02
u4,1701520000000,,,,,,,,,,,,,,,,,,,,,,,2023-12-02
EOF
    # the warning, dated today (UTC): two dates if the run crossed midnight
    grep -A1 '^warning: ' "$work/join.err" >"$work/join.warn"
    for day in "$today_before" "$today_after"; do
        cat >"$work/join.want" <<EOF
warning: Chronon's validation of Join quickstart.training_set.v1 on $day (today, UTC) failed; the run went on: data.checkouts has no rows on $day
  Chronon's Join: An unexpected error occurred during validation. Cannot invoke "Object.toString()" because "value" is null
EOF
        cmp -s "$work/join.warn" "$work/join.want" && break
    done
    expect join.warning "Chronon's recovered ERROR shown as a dated warning" "$work/join.warn" <"$work/join.want"
    if grep -q '^error' "$work/join.err"; then bad join.warning "an error line on stderr"; else ok "join: no error line"; fi
fi

# ---- analyze: Chronon's result on stdout --------------------------------------------------
if engine_run analyze group_bys/quickstart/purchases.v1 analyze --no-name-prefix --start-date 2023-12-01 \
    --end-date 2023-12-02 --enable-hitter-analysis; then
    # heavy hitters: "  column" then a "    value: estimated count" line per
    # value the 10% sample found (often none with 5 rows): compared without them
    grep -vE '^    [^ ].*: [0-9]+$' "$work/analyze.out" >"$work/analyze.norm"
    expect analyze "the Analyzer's checks, heavy hitters and schemas" "$work/analyze.norm" <<'EOF'
Running GroupBy analysis for group_by/quickstart.purchases.v1 ...
Validating 1 tables permissions ...
ANALYSIS TIMESTAMP completed for group_by/quickstart.purchases.v1.
check notNullCount: 5
check badRangeCount: 0
ANALYSIS for group_by/quickstart.purchases.v1:
Analyzing heavy-hitters from table data.purchases over columns: [user_id]
  user_id
  total_count
  ts_year
----- KEY SCHEMA -----
 user_id => StringType
----- OUTPUT SCHEMA -----
 purchase_price_sum_3d => DoubleType
 purchase_price_sum_14d => DoubleType
 purchase_price_sum_30d => DoubleType
 purchase_price_count_3d => LongType
 purchase_price_count_14d => LongType
 purchase_price_count_30d => LongType
 purchase_price_average_3d => DoubleType
 purchase_price_average_14d => DoubleType
 purchase_price_average_30d => DoubleType
 purchase_price_last10 => ListType(DoubleType)
------ END --------------
EOF
    # counts are whole multiples of 10 (a 10% sample scaled up), values are the data's
    bad_lines=$(grep -E '^    ' "$work/analyze.out" | grep -vE '^    (u1|u2|u3|rows|2023): [1-9][0-9]*0$' || true)
    if [ -z "$bad_lines" ]; then ok "analyze: heavy-hitter lines are value: count"; else bad analyze "$bad_lines"; fi
    if grep -q "INFO" "$work/analyze.log"; then bad analyze "INFO lines reached the log file"; else ok "analyze: the log file keeps its level"; fi
fi

# ---- analyze of a range without rows: one line, exit 1 ------------------------------------
start=$SECONDS rc=0
timeout 600 "$repo/build/group_bys/quickstart/purchases.v1" analyze --quiet --log-file "$work/empty.log" \
    --no-name-prefix --start-date 2023-11-01 --end-date 2023-11-02 >"$work/empty.out" 2>"$work/empty.err" || rc=$?
echo "     (empty: exit $rc in $((SECONDS - start))s)"
if [ "$rc" = 1 ]; then ok "analyze without rows: exit 1"; else bad empty "exit $rc, wanted 1"; fi
sed 's/^\[[^]]*\] //' "$work/empty.err" >"$work/empty.norm"
expect empty "analyze without rows says so in one line" "$work/empty.norm" <<'EOF'
Analyzing GroupBy quickstart.purchases.v1 from 2023-11-01 to 2023-11-02
Enable Hitter Analysis: False
error: nothing to analyze: GroupBy quickstart.purchases.v1 has no input rows from 2023-11-01 to 2023-11-02 (data.purchases)
Analysis failed for GroupBy quickstart.purchases.v1
EOF
[ ! -s "$work/empty.out" ] && ok "analyze without rows: nothing on stdout" || bad empty "stdout: $(head -c 300 "$work/empty.out")"

echo "     (output: $((SECONDS - engine_start))s in all)"
exit $failed
