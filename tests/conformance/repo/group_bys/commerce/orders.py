"""Order features from an entity source with mutations (CDC)."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from sources import commerce
from sources import common

v1 = GroupBy(
    sources=[commerce.orders],
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="order_total", operation=Operation.SUM, windows=common.days(7, 30)),
        Aggregation(input_column="order_id", operation=Operation.COUNT, windows=common.hours(12) + common.days(7)),
        Aggregation(input_column="status", operation=Operation.LAST),
        Aggregation(input_column="merchant_id", operation=Operation.BOUNDED_UNIQUE_COUNT_K(50), windows=common.days(30)),
    ],
    accuracy=Accuracy.TEMPORAL,
    online=True,
    production=True,
    env={
        "backfill": {"EXECUTOR_MEMORY": "12G"},
        "streaming": {"PARALLELISM": "64", "CHRONON_STREAMING_MODE": "entity"},
    },
)
