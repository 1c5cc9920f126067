from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.returns", query=Query(selects=select("user_id", "item"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="item", operation=Operation.LAST_K(10))],
    online=True,
)
