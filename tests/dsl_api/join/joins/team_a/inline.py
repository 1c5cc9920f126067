# An inline GroupBy with an explicit name; a hand-built JoinPart keeps its GroupBy's name.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

inline_gb = GroupBy(
    sources=[ttypes.EventSource(table="ns.inline", query=Query(selects=select("user", "amt"), time_column="t"))],
    keys=["user"],
    aggregations=[Aggregation("amt", Operation.MIN)],
    name="inline_gb",
)

v1 = Join(
    ttypes.Source(events=ttypes.EventSource(table="ns.left", query=Query(selects={}, time_column="t"))),
    [JoinPart(inline_gb, tags={"x": "y"}), ttypes.JoinPart(groupBy=gbs.snap, prefix="raw")],
)
