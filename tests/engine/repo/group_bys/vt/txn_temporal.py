"""Per-user transaction features with TEMPORAL accuracy: hour and day windows,
joined point in time per left row (sawtooth windows)."""
from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation, TimeUnit, Window
from sources import vt


def hours(*lengths):
    return [Window(length=n, timeUnit=TimeUnit.HOURS) for n in lengths]


def days(*lengths):
    return [Window(length=n, timeUnit=TimeUnit.DAYS) for n in lengths]


v1 = GroupBy(
    sources=[vt.txns],
    keys=["user_id"],
    online=True,
    accuracy=Accuracy.TEMPORAL,
    aggregations=[
        Aggregation(input_column="amount", operation=Operation.SUM, windows=hours(1, 6) + days(1, 3)),
        Aggregation(input_column="amount", operation=Operation.COUNT, windows=hours(1) + days(14)),
        Aggregation(input_column="amount", operation=Operation.AVERAGE, windows=hours(12)),
        Aggregation(input_column="amount", operation=Operation.MIN, windows=hours(6)),
        Aggregation(input_column="qty", operation=Operation.MAX, windows=days(1)),
        Aggregation(input_column="merchant", operation=Operation.LAST_K(2), windows=days(3)),
        Aggregation(input_column="amount", operation=Operation.FIRST_K(2), windows=days(1)),
        Aggregation(input_column="merchant", operation=Operation.UNIQUE_COUNT, windows=days(2)),
        Aggregation(input_column="qty", operation=Operation.COUNT),
    ],
)
