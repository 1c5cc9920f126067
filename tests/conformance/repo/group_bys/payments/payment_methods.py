"""Payment-method features written with raw Thrift types (ttypes.*) throughout."""

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy

methods = ttypes.Source(
    entities=ttypes.EntitySource(
        snapshotTable="data.payment_methods",
        query=ttypes.Query(
            selects={"user_id": "user_id", "method_type": "method_type", "expiry_month": "expiry_month"},
            wheres=["deleted = false"],
            startPartition="2021-01-01",
            timeColumn="added_ts",
        ),
    )
)

v1 = GroupBy(
    sources=[methods],
    keys=["user_id"],
    aggregations=[
        ttypes.Aggregation(inputColumn="method_type", operation=ttypes.Operation.LAST_K, argMap={"k": "3"}),
        ttypes.Aggregation(
            inputColumn="expiry_month",
            operation=ttypes.Operation.MIN,
            windows=[ttypes.Window(length=365, timeUnit=ttypes.TimeUnit.DAYS)],
        ),
        ttypes.Aggregation(inputColumn="method_type", operation=ttypes.Operation.COUNT),
    ],
    accuracy=ttypes.Accuracy.SNAPSHOT,
    online=True,
)
