"""Spend per user and day, computed with Spark SQL over the purchases table.
(examples/quickstart's, with startPartition in the yyyyMMdd partition format
the parity test runs with: chronon-ai's PySpark interface takes only YYYYMMDD.)"""
from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query="""
        SELECT user_id, SUM(purchase_price) AS spend, ds
        FROM data.purchases
        WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'
        GROUP BY user_id, ds
    """,
    startPartition="20231201",
    metaData=ttypes.MetaData(
        name="daily_spend",
        outputNamespace="quickstart",
        dependencies=["data.purchases"],
    ),
)
