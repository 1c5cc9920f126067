"""Label GroupBys for risk models (used through LabelPart)."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from sources import payments

# One aggregation with one window in days: the only shape LabelPart accepts
# for aggregated labels.
fraud_30d = GroupBy(
    sources=[payments.chargebacks],
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="is_fraud", operation=Operation.MAX, windows=[Window(length=30, timeUnit=TimeUnit.DAYS)]),
    ],
    backfill_start_date="2023-01-01",
)

# No aggregations: a label lookup.
chargeback_flags = GroupBy(
    sources=[payments.chargebacks],
    keys=["transaction_id"],
    aggregations=None,
)
