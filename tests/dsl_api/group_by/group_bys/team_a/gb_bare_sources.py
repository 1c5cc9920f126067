from ai.chronon.api.ttypes import EventSource, EntitySource, Source
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

events = EventSource(table="ns.ev", query=Query(selects=select("k", "v"), time_column="t"))
bare_event = GroupBy(sources=events, keys=["k"], aggregations=[Aggregation("v", Operation.SUM)])
entity = EntitySource(snapshotTable="ns.snap", mutationTopic="topic", mutationTable="ns.mut",
                      query=Query(selects=select("k", "v"), time_column="t"))
bare_entity = GroupBy(sources=[entity, Source(entities=entity)], keys=["k"], aggregations=[Aggregation("v", Operation.SUM)])
mixed = GroupBy(
    sources=[Source(events=EventSource(table="a", query=Query(selects=select("k", "v"), time_column="t"))),
             EventSource(table="b", topic="", query=Query(selects=select("k", "v"), time_column="t"))],
    keys=["k"],
    aggregations=[Aggregation("v", Operation.SUM)],
)
