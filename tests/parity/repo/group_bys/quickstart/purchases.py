"""Purchase features per user: sums, counts and averages over 3, 14 and 30 days."""
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from sources import quickstart

window_sizes = [Window(length=days, timeUnit=TimeUnit.DAYS) for days in [3, 14, 30]]

v1 = GroupBy(
    sources=[quickstart.purchases],
    keys=["user_id"],
    online=True,
    aggregations=[
        Aggregation(input_column="purchase_price", operation=op, windows=window_sizes)
        for op in [Operation.SUM, Operation.COUNT, Operation.AVERAGE]
    ] + [
        Aggregation(input_column="purchase_price", operation=Operation.LAST_K(10)),
    ],
)
