"""Imports a module that loads and one that fails; uses a GroupBy of the
failing module that is itself valid (late_failure.v1). Not written."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.shop import good, late_failure

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.logins", query=Query(selects=select("user_id", "merchant_id"), time_column="ts"))),
    right_parts=[JoinPart(good.v1), JoinPart(late_failure.v1)],
)
