# External sources, contextual sources, external parts and DataType.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import ContextualSource, DataType, ExternalPart, ExternalSource, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))

svc = ExternalSource(
    name="svc.v1",
    team="team_a",
    key_fields=[("user", DataType.STRING)],
    value_fields=[
        ("v", DataType.LONG),
        ("m", DataType.MAP(DataType.STRING, DataType.DOUBLE)),
        ("l", DataType.LIST(DataType.INT)),
        ("s", DataType.STRUCT("Inner", ("a", DataType.BOOLEAN), ("b", DataType.BINARY))),
        ["e", DataType.STRUCT("Empty")],
        ("f", DataType.FLOAT),
        ("sh", DataType.SHORT),
    ],
    custom_json='{"privacy": "high"}',
    factory_name="fact",
    factory_params={"p": "1"},
    offline_group_by=gbs.v1,
)
params_only = ExternalSource("svc2", "team_b", (), [("x", DataType.INT)], factory_params={})
name_only = ExternalSource("svc3", "team_a", [], [], factory_name="f3")
ctx_src = ContextualSource([("c1", DataType.STRING), ("c2", DataType.LONG)])
ctx_team = ContextualSource(fields=[], team="team_b")

v1 = Join(
    left,
    [JoinPart(gbs.v2)],
    online_external_parts=[
        ExternalPart(svc, key_mapping={"user_id": "user"}, prefix="pre"),
        ExternalPart(svc),
        ExternalPart(ctx_src),
        ExternalPart(source=params_only, prefix="x"),
    ],
)
int_type = DataType.INT
