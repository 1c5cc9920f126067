from ai.chronon.group_by import Aggregation, GroupBy, Operation

from sources.purchase import events

v1 = GroupBy(
    sources=events,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
