from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

WINDOWS = [Window(7, TimeUnit.DAYS), Window(30, TimeUnit.DAYS)]
for w in WINDOWS:
    print(w)

source = ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts"))
tags = {"team", "shop"}

v1 = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price" operation=Operation.SUM)],
    online=True,
)

class Helper:
    pass
