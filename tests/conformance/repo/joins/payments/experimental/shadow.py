"""A nested join folder: payments.experimental.shadow.v1, never scheduled."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.payments import transactions

v1 = Join(
    left=ttypes.Source(
        entities=ttypes.EntitySource(
            snapshotTable="data.shadow_users",
            query=Query(selects=select("user_id")),
        )
    ),
    right_parts=[JoinPart(transactions.v1, prefix="shadow")],
    offline_schedule="@never",
    table_properties={},
    env={},
)
