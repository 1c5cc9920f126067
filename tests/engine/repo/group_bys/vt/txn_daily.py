"""Per-user transaction features over day windows (snapshot accuracy), plus
aggregations without windows: the GroupBy's own daily backfill, and the
SNAPSHOT part of the join."""
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from sources import vt


def days(*lengths):
    return [Window(length=n, timeUnit=TimeUnit.DAYS) for n in lengths]


v1 = GroupBy(
    sources=[vt.txns],
    keys=["user_id"],
    online=True,
    aggregations=[
        Aggregation(input_column="amount", operation=Operation.SUM, windows=days(1, 3)),
        Aggregation(input_column="amount", operation=Operation.COUNT, windows=days(1, 3)),
        Aggregation(input_column="amount", operation=Operation.AVERAGE, windows=days(3)),
        Aggregation(input_column="amount", operation=Operation.MIN, windows=days(3)),
        Aggregation(input_column="amount", operation=Operation.MAX, windows=days(3)),
        Aggregation(input_column="qty", operation=Operation.SUM, windows=days(1, 7)),
        Aggregation(input_column="amount", operation=Operation.LAST_K(3), windows=days(3)),
        Aggregation(input_column="qty", operation=Operation.FIRST_K(2), windows=days(7)),
        Aggregation(input_column="merchant", operation=Operation.UNIQUE_COUNT, windows=days(7)),
        # no windows: everything up to the end of the day
        Aggregation(input_column="qty", operation=Operation.SUM),
        Aggregation(input_column="qty", operation=Operation.COUNT),
        Aggregation(input_column="merchant", operation=Operation.LAST_K(2)),
        Aggregation(input_column="qty", operation=Operation.MAX),
    ],
)
