from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, Aggregations, GroupBy, Operation
from ai.chronon.query import Query, select

sum_agg = Aggregation(operation=Operation.SUM)
v1 = GroupBy(
    sources=EventSource(table="t", query=Query(selects=select("k", foo="f"), time_column="ts")),
    keys=["k"],
    aggregations=Aggregations(foo=sum_agg, bar=Aggregation(input_column="q", tags={"x": "y"}),
                              baz=Aggregation(input_column="", operation=Operation.LAST_K(2))),
)
renamed = sum_agg
