from ai.chronon.api.ttypes import EventSource, EntitySource, Source, JoinSource
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import *
from ai.chronon.query import Query, select

shared = EventSource(table="ns.t", query=Query(selects=select("user"), time_column="ts"))
first = GroupBy(sources=[shared], keys=["user"], aggregations=[Aggregation("x", Operation.SUM)])
second = GroupBy(sources=shared, keys=["user"], aggregations=[Aggregation("y", Operation.SUM)])
third = GroupBy(sources=[EventSource(table="ns.t2", query=Query(selects=select("user", "x"), time_column="ts")), shared],
                keys=["user"], aggregations=[Aggregation("x", Operation.SUM)])
