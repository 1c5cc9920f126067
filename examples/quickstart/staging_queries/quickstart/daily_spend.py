"""Spend per user and day, computed with Spark SQL over the purchases table."""
from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query="""
        SELECT user_id, SUM(purchase_price) AS spend, ds
        FROM data.purchases
        WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'
        GROUP BY user_id, ds
    """,
    startPartition="2023-11-01",
    metaData=ttypes.MetaData(
        name="daily_spend",
        outputNamespace="quickstart",
        dependencies=["data.purchases"],
    ),
)
