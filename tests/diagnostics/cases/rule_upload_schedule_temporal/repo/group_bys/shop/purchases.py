from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, Derivation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    accuracy=Accuracy.TEMPORAL,
    upload_schedule="@monthly",
    online=True,
)
