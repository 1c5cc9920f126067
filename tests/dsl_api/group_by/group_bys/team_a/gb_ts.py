from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

moved = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k", ts="event_ms"))),
                keys=["k"], aggregations=[Aggregation("k", Operation.COUNT)])
same = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k", ts="ms"), time_column="ms")),
               keys=["k"], aggregations=[Aggregation("k", Operation.COUNT)])
ts_agg = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k"))),
                 keys=["k"], aggregations=[Aggregation("ts", Operation.COUNT)])
ts_agg2 = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k"), time_column="ts")),
                  keys=["k"], aggregations=[Aggregation("ts", Operation.MAX)])
