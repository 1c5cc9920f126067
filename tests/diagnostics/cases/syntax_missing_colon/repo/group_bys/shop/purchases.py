from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select


def purchases_source(table)
    return ttypes.EventSource(table=table, query=Query(selects=select("user_id", "price"), time_column="ts"))


v1 = GroupBy(
    sources=purchases_source("data.purchases"),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
