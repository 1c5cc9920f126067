from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select


def purchases_source(table):
    query = Query(selects=select("user_id", "price"), time_column="ts")
  return ttypes.EventSource(table=table, query=query)


v1 = GroupBy(
    sources=purchases_source("data.purchases"),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
