"""GroupBy() itself rejects this one: an hourly window under SNAPSHOT accuracy
(AssertionError in validate_group_by)."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation, TimeUnit, Window
from sources.events import purchases

v1 = GroupBy(
    sources=purchases,
    keys=["merchant_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.MAX, windows=[Window(6, TimeUnit.HOURS)])],
    accuracy=Accuracy.SNAPSHOT,
)
