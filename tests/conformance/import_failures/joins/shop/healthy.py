"""Imports only modules that load: written, with its online join part."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.shop import good

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.logins", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(good.v1), JoinPart(good.baskets)],
)
