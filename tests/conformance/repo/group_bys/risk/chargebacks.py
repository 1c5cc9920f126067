"""Merchant chargeback history (entity source with a time column)."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from sources import common
from sources import payments

by_merchant = GroupBy(
    sources=[payments.chargebacks],
    keys=["merchant_id"],
    aggregations=[
        Aggregation(input_column="chargeback_amount", operation=Operation.SUM, windows=common.days(30, 90)),
        Aggregation(input_column="is_fraud", operation=Operation.AVERAGE, windows=common.days(90)),
        Aggregation(input_column="transaction_id", operation=Operation.COUNT, windows=common.LONG_WINDOWS),
    ],
    accuracy=Accuracy.SNAPSHOT,
    online=True,
    production=False,
    deprecation_date="2026-12-31",
    upload_schedule="@quarterly",
)
