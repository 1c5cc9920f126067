"""Refund features per user."""
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from sources import quickstart


def windowed(column, *operations, days=(3, 14, 30)):
    """One windowed aggregation of column per operation."""
    return [
        Aggregation(
            input_column=column,
            operation=op,
            windows=[Window(length=d, timeUnit=TimeUnit.DAYS) for d in days],
        )
        for op in operations
    ]


v1 = GroupBy(
    sources=[quickstart.returns],
    keys=["user_id"],
    online=True,
    aggregations=windowed("refund_amt", Operation.SUM, Operation.COUNT, Operation.AVERAGE)
    + [Aggregation(input_column="refund_amt", operation=Operation.LAST_K(10))],
)
