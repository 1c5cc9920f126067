from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "item"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="item", operation=Operation.LAST_K())],
    online=True,
)
