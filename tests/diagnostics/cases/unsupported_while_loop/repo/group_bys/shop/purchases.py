from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

source = ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts"))

windows = []
days = 1
while days <= 30:
    windows.append(Window(days, TimeUnit.DAYS))
    days = days * 2

v1 = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM, windows=windows)],
    online=True,
)
