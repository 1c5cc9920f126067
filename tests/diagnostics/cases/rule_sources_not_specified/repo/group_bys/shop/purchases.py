from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, Derivation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=[],
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
