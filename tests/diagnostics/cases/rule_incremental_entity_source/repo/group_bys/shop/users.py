from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, Derivation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "balance"))),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="balance", operation=Operation.SUM)],
    is_incremental=True,
    online=True,
)
