# GroupBys on JoinSources: the parent join is named and its namespace filled from teams.json.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from joins.team_b import parent

v1 = GroupBy(
    sources=ttypes.JoinSource(join=parent.v1, query=Query(selects=select("user", "amt"), time_column="ts")),
    keys=["user"],
    aggregations=[Aggregation("amt", Operation.LAST)],
)
v2 = GroupBy(
    sources=[ttypes.Source(joinSource=ttypes.JoinSource(join=parent.explicit,
                                                        query=Query(selects=select("user", "x"), time_column="ts",
                                                                    partition_column="dt")))],
    keys=["user"],
    aggregations=None,
    lag=2,
)
