"""Signup attributes via DefaultAggregation, refreshed weekly."""

from ai.chronon.group_by import Accuracy, DefaultAggregation, GroupBy, Operation
from sources import users

v1 = GroupBy(
    sources=[users.signups],
    keys=["user_id"],
    aggregations=DefaultAggregation(["user_id"], [users.signups], operation=Operation.LAST, tags={"source": "signups"}),
    accuracy=Accuracy.SNAPSHOT,
    online=True,
    upload_schedule="@weekly",
    offline_schedule="@weekly",
)

by_referrer = GroupBy(
    sources=[users.signups],
    keys=["referrer_id"],
    aggregations=DefaultAggregation(keys=["referrer_id"], sources=[users.signups]),
    online=True,
    upload_schedule="@monthly",
)
