from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation, Accuracy
from ai.chronon.query import Query, select

inferred = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k", "v"), time_column="ts")),
                   keys=["k"], aggregations=[Aggregation("v", Operation.SUM)], is_incremental=True)
explicit = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k", "v"))),
                   keys=["k"], aggregations=[Aggregation("v", Operation.SUM)], is_incremental=True,
                   accuracy=Accuracy.SNAPSHOT)
monthly = GroupBy(sources=EventSource(table="t", query=Query(selects=select("k", "v"), time_column="ts")),
                  keys=["k"], aggregations=[Aggregation("v", Operation.SUM)], upload_schedule="@monthly", online=True)
