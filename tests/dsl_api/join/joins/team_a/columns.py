# external_api.get_join_output_columns: internal, external and derived columns.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.external_api import get_join_output_columns
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.join import ContextualSource, DataType, Derivation, ExternalPart, ExternalSource, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs
from group_bys.team_b.sub import nested

derived_gb = GroupBy(
    sources=[ttypes.EventSource(table="ns.d", query=Query(selects=select("user", "amt", "b"), time_column="t"))],
    keys=["user"],
    aggregations=[Aggregation("amt", Operation.LAST_K(3), windows=[Window(1, TimeUnit.HOURS), Window(2, TimeUnit.DAYS)],
                              buckets=["b"]),
                  Aggregation("amt", Operation.APPROX_PERCENTILE([0.5]))],
    derivations=[Derivation("renamed", "amt_last3_1h_by_b"), Derivation("*", "*")],
    name="derived_gb",
)
left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user", "req"))))
svc = ExternalSource("svc-1.x", "team_a", [("user", DataType.STRING)], [("v", DataType.LONG), ("w", DataType.INT)])
j = Join(
    left,
    [JoinPart(gbs.alias), JoinPart(gbs.v2, key_mapping={"req": "user"}, prefix="p"), JoinPart(nested.v1),
     JoinPart(gbs.snap), JoinPart(derived_gb, prefix="dd")],
    online_external_parts=[ExternalPart(ContextualSource([("c1", DataType.STRING)])), ExternalPart(svc, prefix="pre")],
)
j2 = Join(left, [JoinPart(gbs.v2)],
          derivations=[Derivation("x", "team_a_gbs_v2_amt_count"), Derivation("*", "*"), Derivation("y", "1")])
j3 = Join(left, [JoinPart(gbs.v2)], derivations=[Derivation("only", "team_a_gbs_v2_amt_count")])
cols = ttypes.MetaData(dependencies=get_join_output_columns(j) + ["|"] + get_join_output_columns(j2) + ["|"] +
                       get_join_output_columns(join=j3))
