"""Two joins sharing join parts; the first with explicit dependencies and a lag."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.payments import merchants as merchant_features
from group_bys.payments import refunds
from group_bys.payments import transactions as txn_gb

txn_left = ttypes.Source(
    events=ttypes.EventSource(
        table="data.payment_transactions",
        query=Query(
            selects=select("transaction_id", "user_id", "merchant_id", "amount"),
            time_column="ts",
            partition_column="ds",
        ),
    )
)

BASE_PARTS = [JoinPart(txn_gb.v1), JoinPart(refunds.v1, prefix="refund")]

v1 = Join(
    left=txn_left,
    right_parts=BASE_PARTS,
    dependencies=["data.payment_transactions/ds={{ ds }}", "data.refunds_us/ds={{ ds }}"],
    lag=1,
)

v2 = Join(
    left=txn_left,
    right_parts=BASE_PARTS + [JoinPart(merchant_features.v1, key_mapping={"merchant_id": "merchant_id"})],
    historical_backfill=True,
    lag=3,
)
