# Every parameter passed positionally, in signature order.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

v1 = Join(
    ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user")))),
    [JoinPart(gbs.v2, None, "pre", {"t": True})],
    False, None, None, None, True, False, "ns_out", {"p": "q"}, {"upload": {"X": "1"}}, 2,
    {"user": ["x"]}, 10.5, 1.0, None, "@never", True, ["user"], None, False, None, None, "2031-01-01",
    None, "desc", None,
)
