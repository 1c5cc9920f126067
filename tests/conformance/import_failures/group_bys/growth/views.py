"""Imports the failing sources module as a module, and uses a name it binds
before its failure."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from sources import broken

v1 = GroupBy(
    sources=broken.clicks,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="page", operation=Operation.LAST)],
    online=True,
)
