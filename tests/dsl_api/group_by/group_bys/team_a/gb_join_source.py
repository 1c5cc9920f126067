from ai.chronon.api.ttypes import JoinSource, Source
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from joins.team_b import parent

chained = GroupBy(
    sources=JoinSource(join=parent.v1, query=Query(selects=select("k", "v"), time_column="ts", start_partition="2023-01-01")),
    keys=["k"],
    aggregations=[Aggregation("v", Operation.SUM)],
    lag=1,
)
