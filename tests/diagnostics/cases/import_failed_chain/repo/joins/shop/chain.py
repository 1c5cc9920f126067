"""Start of the chain joins/shop/chain.py -> chain_a -> chain_b -> chain_c."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.shop.chain_a import v1 as chained

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.logins", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(chained)],
)
