from ai.chronon.api.ttypes import EventSource, EntitySource, Source, JoinSource
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import *
from ai.chronon.query import Query, select

v1 = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k", "x"), time_column="ts")),
             keys=["k"], accuracy=Accuracy.SNAPSHOT,
             aggregations=[Aggregation("x", Operation.SUM, windows=[Window(1, TimeUnit.HOURS)])])
