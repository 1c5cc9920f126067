"""Lives one folder deeper: its name is commerce.nested.merchant_stats.v1."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from sources import commerce
from sources import common

v1 = GroupBy(
    sources=[commerce.purchases],
    keys=["merchant_id"],
    aggregations=[
        Aggregation(input_column="user_id", operation=Operation.UNIQUE_COUNT, windows=common.days(30)),
        Aggregation(input_column="user_id", operation=Operation.APPROX_UNIQUE_COUNT_LGK(12), windows=common.days(90)),
        Aggregation(input_column="purchase_price", operation=Operation.SUM, windows=common.STANDARD_WINDOWS),
        Aggregation(input_column="is_gift", operation=Operation.SUM, windows=common.days(30)),
    ],
    online=True,
    offline_schedule="@hourly",
)
