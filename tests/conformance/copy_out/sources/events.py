"""Sources shared by every file: GroupBy() adds the columns it needs to a
shared source's selects, so a later GroupBy sees what an earlier one added."""

from ai.chronon.api import ttypes
from ai.chronon.query import Query, select

orders = ttypes.Source(
    events=ttypes.EventSource(
        table="data.orders",
        query=Query(selects=select("user_id", "merchant_id", "price"), time_column="ts"),
    )
)

visits = ttypes.Source(
    entities=ttypes.EntitySource(
        snapshotTable="data.visits",
        query=Query(selects=select("user_id", "visits")),
    )
)
