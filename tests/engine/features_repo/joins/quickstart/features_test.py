"""A Join for tests/engine/features.test.sh: every checkout with the user's
purchase features. Its left side names a topic, which Chronon requires of a
join that feeds a JoinSource (group_bys/quickstart/features_test.py)."""
from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.quickstart import purchases

checkout_spend = Join(
    left=ttypes.Source(events=ttypes.EventSource(
        table="data.checkouts",
        topic="events.checkouts",
        query=Query(selects=select("user_id"), time_column="ts"),
    )),
    right_parts=[JoinPart(group_by=purchases.v1)],
)
