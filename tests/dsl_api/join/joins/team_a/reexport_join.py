# A GroupBy bound at top level of two group_bys modules: named by the module that made it.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_b import reexport

v1 = Join(ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user")))),
          [JoinPart(reexport.v2_again, tags={"t": "x"})])
