import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import *
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
gb = ttypes.GroupBy(metaData=ttypes.MetaData(name="hand.built"), keyColumns=["user"], sources=[ttypes.Source(events=ttypes.EventSource(table="t", query=ttypes.Query()))])
v1 = Join(left, [JoinPart(gb)])
