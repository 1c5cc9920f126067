"""A join over the chained GroupBy (GroupBy over a Join)."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from group_bys.growth import engagement_chain
from sources import users

v1 = Join(
    left=ttypes.Source(events=users.sessions_app),
    right_parts=[JoinPart(engagement_chain.v1, prefix="chained")],
    online=False,
    lag=0,
)
