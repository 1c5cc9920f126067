from ai.chronon.api.ttypes import EventSource, EntitySource, Source, JoinSource
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import *
from ai.chronon.query import Query, select

s = Source(events=EventSource(table="t", query=Query(selects={"k": "k"}, time_column="ts")))
gb = ttypes.GroupBy(sources=[s, s], keyColumns=["k"], aggregations=[ttypes.Aggregation(inputColumn="q", operation=6)])
validate_group_by(gb)
