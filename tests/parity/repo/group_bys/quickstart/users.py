"""User attributes, as of each day's snapshot (no aggregation)."""
from ai.chronon.group_by import GroupBy
from sources import quickstart

v1 = GroupBy(
    sources=[quickstart.users],
    keys=["user_id"],
    aggregations=None,
    online=True,
)
