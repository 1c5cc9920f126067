"""The valid definitions the invalid cases are variations of: no diagnostics."""
from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

source = ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts"))

v1 = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM, windows=[Window(7, TimeUnit.DAYS)])],
    online=True,
)
