"""The end of a chain of imports (joins/shop/chain.py -> chain_a -> chain_b ->
chain_c): an aggregation without an input column (AssertionError in GroupBy()).
Its source is its own: GroupBy() adds the input column (None) to the query's
selects before it checks, and compile.py would then fail to serialize every
other GroupBy sharing that query."""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

base = GroupBy(
    sources=ttypes.EventSource(table="data.refunds", query=Query(selects=select("user_id"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(operation=Operation.COUNT)],
)
