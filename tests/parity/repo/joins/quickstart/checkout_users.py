"""Each checkout with the user's attributes: the upstream join that
group_bys/quickstart/verified_checkouts.py reads as a JoinSource (a JoinSource's
join needs a topic on its left, hence the checkouts source with one here)."""
from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.quickstart import users

checkouts_stream = ttypes.Source(events=ttypes.EventSource(
    table="data.checkouts",
    topic="events.checkouts",
    query=Query(
        selects=select("user_id"),
        time_column="ts",
    ),
))

v1 = Join(
    left=checkouts_stream,
    right_parts=[JoinPart(group_by=users.v1)],
)
