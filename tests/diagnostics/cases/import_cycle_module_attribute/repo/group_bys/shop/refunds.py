from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

from group_bys.shop import purchases

source = ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price", "refund"), time_column="ts"))

v1 = GroupBy(
    sources=purchases.v1.sources,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="refund", operation=Operation.SUM)],
    online=True,
)
