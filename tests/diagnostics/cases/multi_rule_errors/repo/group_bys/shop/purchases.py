from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

source = ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts"))

hourly = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM, windows=[Window(6, TimeUnit.HOURS)])],
    accuracy=Accuracy.SNAPSHOT,
)

weekly = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    upload_schedule="@hourly",
    online=True,
)

backfilled = GroupBy(
    sources=source,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.AVERAGE)],
    historical_backfill=True,
)
