import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import *
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
from joins.team_b import parent
v1 = Join(ttypes.Source(joinSource=ttypes.JoinSource(join=parent.v1, query=Query())), [JoinPart(gbs.v2)])
