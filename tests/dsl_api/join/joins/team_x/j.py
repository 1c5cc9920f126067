import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

v1 = Join(ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user")))),
          [JoinPart(gbs.v2)])
