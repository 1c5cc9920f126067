from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation, Window, TimeUnit, Accuracy
from ai.chronon.query import Query, select

v1 = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k", "x"), time_column="ts")),
             keys=["k"], accuracy=Accuracy.SNAPSHOT,
             aggregations=[Aggregation("x", Operation.SUM, windows=[Window(i, TimeUnit.HOURS) for i in range(1, 60)])])
