from ai.chronon.api.ttypes import EventSource, Source
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

src = EventSource(
    table="ns.tbl/sub=1",
    topic="kafka_topic",
    query=Query(selects=select("user", amt="amount", ts="event_ts")),
)
v1 = GroupBy(
    sources=[src],
    keys=["user"],
    aggregations=[
        Aggregation("amt", Operation.LAST_K(10), windows=[Window(7, TimeUnit.DAYS)], tags={"t": "1"}),
        Aggregation("cnt", Operation.COUNT, buckets=["b1", "b2"], tags={"u": "2"}),
    ],
    online=True,
    zzz="custom",
    aaa=[1, 2],
    tags={"g": "h"},
    lag=2,
    upload_schedule="@daily",
)
query_after = src.query
