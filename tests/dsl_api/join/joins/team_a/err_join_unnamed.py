import ai.chronon.api.ttypes as ttypes
import ai.chronon.utils as utils
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

left = ttypes.Source(events=ttypes.EventSource(table="ns.l", query=Query(selects=select("user"), time_column="t")))
t = utils.get_join_output_table_name(Join(left, [JoinPart(gbs.v1, tags={"a": "b"})], sample_percent=0.1 + 0.2))
