from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, Derivation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

web = ttypes.EventSource(table="data.web_purchases", query=Query(selects=select("user_id", "price"), time_column="ts"))
app = ttypes.EventSource(table="data.app_purchases", query=Query(selects=select("user_id", "price", "device"), time_column="ts"))

v1 = GroupBy(
    sources=[web, app],
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
