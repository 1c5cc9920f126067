"""Fine on its own, but its package fails to import."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from sources.events import purchases

v1 = GroupBy(
    sources=purchases,
    keys=["merchant_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.MIN)],
    online=True,
)
