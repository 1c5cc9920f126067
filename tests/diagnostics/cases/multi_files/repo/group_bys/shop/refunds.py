from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.refunds", query=Query(selects=select("user_id", "amount"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="amount", operation=Operation.SUM)],
    online=True,
    historical_backfill=False,
)
