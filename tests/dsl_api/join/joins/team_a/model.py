# ai.chronon.model helpers and Join(model_transforms=...).
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.model import DataType, InferenceSpec, Model, ModelTransform, ModelTransforms
from ai.chronon.query import Query, select
from group_bys.team_a import gbs

spec = InferenceSpec("sagemaker", {"endpoint": "e1"})
m = Model("m1", spec, [("x", DataType.DOUBLE), ("y", DataType.LIST(DataType.STRING))], [("score", DataType.FLOAT)])
m_empty = Model(name="m2", inference_spec=InferenceSpec(model_backend="b", model_backend_params={}),
                input_schema=[], output_schema=())
t1 = ModelTransform(m, input_mappings={"x": "amt"}, output_mappings={"score": "s"}, prefix="mt")
t2 = ModelTransform(m_empty)
ts = ModelTransforms([t1, t2], passthrough_fields=["user"])
ts_plain = ModelTransforms(transforms=[])

v1 = Join(
    ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user")))),
    [JoinPart(gbs.v2)],
    model_transforms=ts,
)
