import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

v1 = Join(
    left=ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user")))),
    right_parts=[JoinPart(gbs.v2)],
)
