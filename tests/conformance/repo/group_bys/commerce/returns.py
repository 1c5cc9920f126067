"""Return behaviour per user: the *_K operations, buckets, snapshot accuracy."""

from ai.chronon.group_by import (
    Accuracy,
    Aggregation,
    GroupBy,
    Operation,
    TimeUnit,
    Window,
)
from sources import commerce
from sources import common

v1 = GroupBy(
    sources=commerce.returns,  # a bare EventSource, not a list
    keys=["user_id"],
    aggregations=[
        Aggregation(
            input_column="refund_amount",
            operation=Operation.SUM,
            windows=common.days(7, 30),
            buckets=["return_reason"],
        ),
        Aggregation(input_column="product_id", operation=Operation.LAST_K(5)),
        Aggregation(input_column="product_id", operation=Operation.FIRST_K(3), windows=[Window(30, TimeUnit.DAYS)]),
        Aggregation(input_column="refund_amount", operation=Operation.TOP_K(3)),
        Aggregation(input_column="days_since_purchase", operation=Operation.BOTTOM_K(2), windows=common.days(90)),
        Aggregation(input_column="days_since_purchase", operation=Operation.MIN),
        Aggregation(input_column="days_since_purchase", operation=Operation.MAX, windows=common.LONG_WINDOWS),
        Aggregation(input_column="return_reason", operation=Operation.FIRST),
        Aggregation(input_column="return_reason"),  # operation defaults to LAST
    ],
    accuracy=Accuracy.SNAPSHOT,
    backfill_start_date="2023-01-01",
    historical_backfill=False,
    production=True,
)
