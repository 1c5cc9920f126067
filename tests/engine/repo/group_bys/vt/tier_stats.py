"""Aggregations over an entities snapshot: per tier, over each day's snapshot."""
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from sources import vt

v1 = GroupBy(
    sources=[vt.users],
    keys=["tier"],
    online=True,
    aggregations=[
        Aggregation(input_column="user_id", operation=Operation.COUNT),
        Aggregation(input_column="user_id", operation=Operation.UNIQUE_COUNT),
    ] + [
        Aggregation(input_column="credit", operation=op)
        for op in [Operation.SUM, Operation.COUNT, Operation.AVERAGE, Operation.MIN, Operation.MAX]
    ],
)
