import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import *
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
from ai.chronon.group_by import Aggregation, GroupBy, Operation
gb = GroupBy(sources=[ttypes.EventSource(table="t", query=Query(selects=select("user"), time_column="t"))],
             keys=["user"], aggregations=[Aggregation("user", Operation.COUNT)])
v1 = Join(left, [JoinPart(gb)])
