"""Daily order rollup per merchant."""

from ai.chronon.api import ttypes

ROLLUP_SQL = """
SELECT
    merchant_id,
    COUNT(DISTINCT order_id) AS orders,
    SUM(total_cents) / 100.0 AS gmv,
    percentile_approx(total_cents, 0.5) AS median_order_cents,
    ds
FROM data.orders_snapshot
WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'
  AND status NOT IN ('CANCELLED', "TEST")  -- "quotes" and \\backslashes\\ survive
GROUP BY merchant_id, ds
"""

v1 = ttypes.StagingQuery(
    query=ROLLUP_SQL,
    startPartition="2022-01-01",
    setups=["SET spark.sql.shuffle.partitions=800"],
    metaData=ttypes.MetaData(
        dependencies=[
            "data.orders_snapshot/ds={{ ds }}",
            "data.orders_mutations/ds={{ ds }}",
        ],
        tableProperties={"source": "chronon", "format": "parquet"},
        description="GMV and order counts per merchant and day.",
    ),
)
