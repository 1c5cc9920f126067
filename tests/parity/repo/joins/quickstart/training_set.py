"""The training set: every checkout, with the user's purchase, return and user
features as of the checkout's timestamp (point-in-time correct)."""
from ai.chronon.join import Join, JoinPart
from group_bys.quickstart import purchases, returns, users
from sources import quickstart

v1 = Join(
    left=quickstart.checkouts,
    right_parts=[JoinPart(group_by=gb.v1) for gb in [purchases, returns, users]],
    online=True,
)
