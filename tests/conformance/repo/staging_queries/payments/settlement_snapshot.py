"""Settled transactions, the left side of joins/payments/merchant_health.py."""

from ai.chronon.api import ttypes

SETTLEMENT_LAG_DAYS = 2
SOURCE_TABLE = "data.settlements"

v1 = ttypes.StagingQuery(
    query=(
        "SELECT settlement_id, merchant_id, user_id, settled_amount, "
        "unix_timestamp(settled_at) * 1000 AS ts, ds "
        "FROM {table} "
        "WHERE ds BETWEEN date_sub('{{{{ start_date }}}}', {lag}) AND '{{{{ end_date }}}}'"
    ).format(table=SOURCE_TABLE, lag=SETTLEMENT_LAG_DAYS),
    startPartition="2023-09-01",
    metaData=ttypes.MetaData(
        outputNamespace="payments_staging",
        dependencies=[f"{SOURCE_TABLE}/ds={{{{ ds }}}}"],
        offlineSchedule="@daily",
    ),
)
