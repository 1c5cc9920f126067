from ai.chronon.api.ttypes import EntitySource, EventSource, Source
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

def ev(table, **kw):
    return EventSource(table=table, query=Query(selects=select("user", "x"), time_column="ts", **kw))

two_user_deps = GroupBy(
    sources=[ev("ns.e1"), ev("ns.e1")],
    keys=["user"],
    aggregations=[Aggregation("x", Operation.SUM)],
    dependencies=["ns.other/ds={{ ds }}", "a.b/c=d/e"],
)
mutations = GroupBy(
    sources=Source(entities=EntitySource(snapshotTable="ns.snap/x=1", mutationTable="ns.mut/a=b",
                                         query=Query(selects=select("user", "x"), time_column="ts",
                                                     start_partition="2021-01-01", end_partition="2021-02-01"))),
    keys=["user"],
    aggregations=[Aggregation("x", Operation.SUM)],
    lag=1,
)
lag_str = GroupBy(sources=ev("ns.s"), keys=["user"], aggregations=[Aggregation("x", Operation.SUM)], lag="0")
lag_neg = GroupBy(sources=ev("ns.n/a/b"), keys=["user"], aggregations=[Aggregation("x", Operation.SUM)], lag=-1)
lag_float = GroupBy(sources=ev("ns.f"), keys=["user"], aggregations=[Aggregation("x", Operation.SUM)], lag=0.0)
partition = GroupBy(sources=ev("ns.p", partition_column="dt", start_partition="2020"), keys=["user"],
                    aggregations=[Aggregation("x", Operation.SUM)], lag=3)
no_table = GroupBy(sources=EntitySource(query=Query(selects=select("user", "x"))), keys=["user"],
                   aggregations=[Aggregation("x", Operation.SUM)])
falsy_mutation = GroupBy(sources=EntitySource(snapshotTable="", mutationTable="ns.m", query=Query(selects=select("user", "x"))),
                         keys=["user"], aggregations=[Aggregation("x", Operation.SUM)])
unicode_dep = GroupBy(sources=ev("ns.u"), keys=["user"], aggregations=[Aggregation("x", Operation.SUM)],
                      dependencies=["é.t/__x__/ds={{ ds }}_", "__"])
empty_deps = GroupBy(sources=ev("ns.z"), keys=["user"], aggregations=[Aggregation("x", Operation.SUM)], dependencies=[])
