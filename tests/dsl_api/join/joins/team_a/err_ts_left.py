import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import *
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
v1 = Join(ttypes.Source(events=ttypes.EventSource(table="t", query=Query(selects=select("user", ts="x"), time_column="t"))), [JoinPart(gbs.v2)])
