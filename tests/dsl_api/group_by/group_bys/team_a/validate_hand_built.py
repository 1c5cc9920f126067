import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import validate_group_by, Operation

gb = ttypes.GroupBy(
    sources=[ttypes.Source(events=ttypes.EventSource(table="t", query=ttypes.Query(selects={"k": "k", "v": "v"}, timeColumn="ts")))],
    keyColumns=["k"],
    aggregations=[ttypes.Aggregation(inputColumn="v", operation=ttypes.Operation.SUM),
                  ttypes.Aggregation(inputColumn="ts", operation=ttypes.Operation.MAX),
                  ttypes.Aggregation(inputColumn="v", operation=12, argMap={"percentiles": "[0, 1, \"0.5\", true]"})],
)
result = validate_group_by(gb)
check = ttypes.MetaData(name=str(result))
