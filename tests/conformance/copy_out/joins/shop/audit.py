"""A Join of what the group_bys modules it imports registered (in this pass, as
they run again), named by JoinPart after the modules that define them."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.shop import invites, registry_audit
from group_bys.shop.pkg import visits
from sources import registry

v1 = Join(
    left=ttypes.Source(
        events=ttypes.EventSource(
            table="data.checkouts",
            query=Query(selects=select("user_id"), time_column="ts"),
        )
    ),
    right_parts=[JoinPart(g) for g in registry.REGISTERED]
    + [JoinPart(registry_audit.v1, prefix="audit"), JoinPart(visits.v1)],
    online=True,
)
