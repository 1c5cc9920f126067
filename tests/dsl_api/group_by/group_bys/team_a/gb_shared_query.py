from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

shared = EventSource(table="ns.t", query=Query(selects=select("user"), time_column="ts"))
first = GroupBy(sources=[shared], keys=["user"], aggregations=[Aggregation("x", Operation.SUM)])
second = GroupBy(sources=shared, keys=["user"], aggregations=[Aggregation("y", Operation.SUM)])
no_selects_q = Query(time_column="ts")
third = GroupBy(sources=[EventSource(table="ns.t2", query=no_selects_q)], keys=["user", "user"],
                aggregations=[Aggregation("z", Operation.MAX), Aggregation("user", Operation.COUNT)])
