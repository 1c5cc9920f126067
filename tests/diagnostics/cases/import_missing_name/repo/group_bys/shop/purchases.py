from ai.chronon.group_by import Aggregation, GroupBy, Operation

from sources.shop import purchase_events

v1 = GroupBy(
    sources=purchase_events,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
