import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=[ttypes.Source(entities=ttypes.EntitySource(
        snapshotTable="ns.users", mutationTable="ns.users_mut/a=b",
        query=Query(selects=select("user", "amt"), time_column="mts")))],
    keys=["user"],
    aggregations=[Aggregation("amt", Operation.MAX)],
    lag=1,
)
