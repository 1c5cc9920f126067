"""Imports a module of the package whose __init__.py fails."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.shop.nested import merchants

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.orders", query=Query(selects=select("merchant_id"), time_column="ts"))),
    right_parts=[JoinPart(merchants.v1)],
)
