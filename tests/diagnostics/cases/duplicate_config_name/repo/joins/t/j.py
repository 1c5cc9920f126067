from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy, Aggregation, Operation
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

src = ttypes.Source(events=ttypes.EventSource(table="t.e", query=Query(selects=select("u", "x"), time_column="ts")))
a = Join(left=src, right_parts=[JoinPart(GroupBy(sources=[src], keys=["u"], aggregations=[Aggregation("x", Operation.SUM)], online=True, name="t.gb"))])
b = Join(left=src, right_parts=[JoinPart(GroupBy(sources=[src], keys=["u"], aggregations=[Aggregation("x", Operation.MAX)], online=True, name="t.gb"))])
