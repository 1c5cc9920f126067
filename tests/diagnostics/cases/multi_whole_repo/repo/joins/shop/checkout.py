from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

from group_bys.shop import users

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users.v1)],
    online=True,
    sample_percent=100,
)
