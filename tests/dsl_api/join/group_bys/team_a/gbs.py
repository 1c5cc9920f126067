import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=[ttypes.EventSource(table="ns.events/sub=1", topic="ev_topic",
                                query=Query(selects=select("user", "amt"), time_column="ev_ts"))],
    keys=["user"],
    aggregations=[Aggregation("amt", Operation.SUM, windows=[Window(7, TimeUnit.DAYS)])],
    name="will_be_overwritten",
    online=True,
)
alias = v1

v2 = GroupBy(
    sources=ttypes.EventSource(table="ns.events2",
                               query=Query(selects=select("user", "amt"), time_column="ts2",
                                           start_partition="2021-01-01")),
    keys=["user"],
    aggregations=[Aggregation("amt", Operation.COUNT)],
    derivations=[],
)

snap = GroupBy(
    sources=[ttypes.Source(entities=ttypes.EntitySource(
        snapshotTable="ns.snap", query=Query(selects=select("user", "country"), partition_column="dt")))],
    keys=["user"],
    aggregations=None,
)
