from ai.chronon.api.ttypes import Source, EventSource
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.quickstart.purchases import v1 as purchases_v1
from group_bys.quickstart.returns import v1 as returns_v1
from group_bys.quickstart.users import v1 as users

source = Source(
    events=EventSource(
        table="data.checkouts",
        query=Query(
            selects=select("user_id"),  # The primary key used to join various GroupBys together
            time_column="ts",
        ),  # The event time used to compute feature values as-of
    )
)

v1 = Join(
    left=source,
    right_parts=[JoinPart(group_by=group_by) for group_by in [purchases_v1, returns_v1, users]],  # Include the three GroupBys
    online=True,
    check_consistency=False,
    additional_args={"team": "quickstart", **EXTRA},
)
