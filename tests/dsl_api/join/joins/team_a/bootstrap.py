# Bootstrap parts, their dependencies and bootstrap_from_log.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import BootstrapPart, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))

boot = BootstrapPart(
    table="ns.boot/a=b",
    key_columns=["user"],
    query=Query(selects=select("user", "f"), start_partition="2021-02-01", end_partition="2021-03-01",
                partition_column="dt"),
)
plain = BootstrapPart("ns.plain")
empty = BootstrapPart("")

v1 = Join(left, [JoinPart(gbs.v2)], bootstrap_parts=[boot, plain, empty], bootstrap_from_log=True, online=True,
          sample_percent=10.0)
v2 = Join(left, [JoinPart(gbs.v2)], bootstrap_from_log=True, online=True, sample_percent=0.5)
v3 = Join(left, [JoinPart(gbs.v2)], bootstrap_parts=[boot, boot])
