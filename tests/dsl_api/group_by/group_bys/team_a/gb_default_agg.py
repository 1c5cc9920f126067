from ai.chronon.api.ttypes import EntitySource, EventSource, Source
from ai.chronon.group_by import DefaultAggregation, GroupBy, Operation
from ai.chronon.query import Query, select

sources = [
    Source(events=EventSource(table="t", query=Query(
        selects=select("k", "a", "ts", "is_before", "mutation_ts", "ds", "tcol", b="bb")))),
]
aggs = DefaultAggregation(["k"], sources, tags={"dt": 1})
v1 = GroupBy(sources=sources, keys=["k"], aggregations=aggs)
two = [Source(entities=EntitySource(snapshotTable="s", query=Query(selects=select("k", "a")))),
       Source(entities=EntitySource(snapshotTable="s2", query=Query(selects=select("k", "a"))))]
v2 = GroupBy(sources=two, keys=["k"], aggregations=DefaultAggregation(keys=["k"], sources=two, operation=Operation.LAST_K(3)))
v3 = GroupBy(sources=two, keys=["k"], aggregations=DefaultAggregation(["k"], two, None))
