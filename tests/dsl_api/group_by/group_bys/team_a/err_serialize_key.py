from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation, Window, TimeUnit
from ai.chronon.query import Query, select

# expect: selects[1]: expected a str, got int
dict_deps = GroupBy(EventSource(table="t", query=Query(selects={"k": "k", 1: "one"}, time_column="ts")), ["k", 1],
                    [Aggregation(2, Operation.COUNT, buckets=[3])], dependencies={"x/y": 1}, online=1, tags={})
