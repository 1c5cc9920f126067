"""Reads PREFIX from its partly run package."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from group_bys.shop import pkg
from sources import events

v1 = GroupBy(
    sources=[events.visits],
    keys=["user_id"],
    aggregations=[Aggregation(input_column="visits", operation=Operation.SUM)],
    online=True,
    output_namespace=pkg.PREFIX + "_visits",
)
