"""Reads what invites.py registered: the GroupBy itself (its keys and first
aggregation) and how many there are; its source has the column invites.py's
GroupBy added."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from group_bys.shop import builders
from sources import events, registry

v1 = GroupBy(
    sources=[events.orders],
    keys=registry.REGISTERED[0].keyColumns,
    aggregations=registry.REGISTERED[0].aggregations[:1]
    + [builders.LAST("quantity"), Aggregation(input_column="price", operation=Operation.MAX)],
    online=True,
    output_namespace="shop_audit_" + str(len(registry.REGISTERED)),
)
