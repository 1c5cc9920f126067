from ai.chronon.api.ttypes import EventSource, Source
from ai.chronon.join import Join, JoinPart
from group_bys.team_b.helpers import make_group_by
from ai.chronon.query import Query

gb = make_group_by("ns.parent_gb")
gb.metaData.name = "team_b.inline_gb"
v1 = Join(
    left=Source(events=EventSource(table="ns.left", topic="left_topic",
                                   query=Query(selects={"k": "k"}, time_column="ts"))),
    right_parts=[JoinPart(gb)],
)
batch = Join(
    left=Source(events=EventSource(table="ns.left2", query=Query(selects={"k": "k"}, time_column="ts"))),
    right_parts=[],
    output_namespace="explicit_ns",
)
