from ai.chronon.api.ttypes import EventSource, EntitySource, Source, JoinSource
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import *
from ai.chronon.query import Query, select

gb = ttypes.GroupBy(sources=[Source(events=EventSource(table="t", query=Query(selects={"ts": "x", "k": "k"})))],
                    keyColumns=["k"], aggregations=[])
validate_group_by(gb)
