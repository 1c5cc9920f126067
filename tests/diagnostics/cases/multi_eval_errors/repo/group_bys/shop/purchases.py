from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

source = ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price", "item"), time_column="ts"))

v1 = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUMM)],
    online=True,
)

v2 = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="item", operation=Operation.LAST, windws=[Window(7, TimeUnit.DAYS)])],
    online=True,
)

v3 = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.MAX, windows=[Window(7, TimeUnits.DAYS)])],
    online=True,
)
