from ai.chronon.api.ttypes import JoinSource, Source
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from joins.team_b import parent

chained = GroupBy(
    sources=[Source(joinSource=JoinSource(join=parent.batch, query=Query(selects=select("k", "v"), time_column="ts")))],
    keys=["k"],
    aggregations=[Aggregation("v", Operation.SUM)],
)
