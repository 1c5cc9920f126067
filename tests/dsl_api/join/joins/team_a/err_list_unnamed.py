import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import *
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
from ai.chronon.group_by import GroupBy
gbs_list = [GroupBy(sources=[left], keys=["user"], aggregations=None)]
v1 = Join(left, [JoinPart(gbs_list[0])])
