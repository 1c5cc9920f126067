# User dependencies replace the automatic left ones; join_tags kwarg is overwritten.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import BootstrapPart, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))

v1 = Join(left, [JoinPart(gbs.v2)], dependencies=["x.y/ds={{ ds }}", "a.b/c=d/__e__"],
          check_join_tags="k", join_tags="zz", lag=3,
          bootstrap_parts=[BootstrapPart("ns.boot")])

# dependencies=[]: automatic left dependencies, no bootstrap dependencies
# falsy additional_args / additional_env / part tags are left out of customJson
v2 = Join(left, [JoinPart(gbs.v2, tags={})], dependencies=[], bootstrap_parts=[BootstrapPart("ns.boot")],
          additional_args=[], additional_env=None, check_consistency=0, consistency_sample_percent=7.0)
