"""GroupBys that compile: imported by the healthy join and by the mixed one."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from sources.events import checkouts, purchases

v1 = GroupBy(
    sources=purchases,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM, windows=[Window(7, TimeUnit.DAYS)])],
    online=True,
)

baskets = GroupBy(
    sources=checkouts,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="basket", operation=Operation.AVERAGE)],
)
