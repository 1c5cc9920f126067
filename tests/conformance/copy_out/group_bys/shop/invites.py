"""Built by builders.py's functions, and registered in sources.registry, which
registry_audit.py (run later) reads; its aggregations add `quantity` to the
shared orders source."""

from ai.chronon.group_by import GroupBy
from group_bys.shop import builders
from sources import events, registry

v1 = registry.register(
    GroupBy(
        sources=[events.orders],
        keys=["user_id"],
        aggregations=builders.summed("quantity", 7, 30) + [builders.LAST("price"), builders.COUNT_OF("merchant_id")],
        online=True,
    )
)
