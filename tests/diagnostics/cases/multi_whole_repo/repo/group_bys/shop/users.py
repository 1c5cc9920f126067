from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
    online=True,
)
