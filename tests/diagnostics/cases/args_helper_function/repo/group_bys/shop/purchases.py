from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

def purchases(table, price_column):
    return ttypes.EventSource(table=table, query=Query(selects=select("user_id", price_column), time_column="ts"))


v1 = GroupBy(
    sources=purchases("data.purchases"),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
