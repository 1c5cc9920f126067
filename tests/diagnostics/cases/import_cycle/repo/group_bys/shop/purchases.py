from ai.chronon.group_by import Aggregation, GroupBy, Operation

from group_bys.shop.refunds import source

v1 = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
