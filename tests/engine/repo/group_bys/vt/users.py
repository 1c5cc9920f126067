"""User attributes from the users snapshot, no aggregation."""
from ai.chronon.group_by import GroupBy
from sources import vt

v1 = GroupBy(
    sources=[vt.users],
    keys=["user_id"],
    online=True,
    aggregations=None,
)
