"""Checkouts per user over 7 days, and how many of them came from a verified
email: a GroupBy over a join's output (JoinSource), so that a run executes
the upstream join first (chronon-ai's _execute_underlying_join_sources)."""
from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select
from joins.quickstart import checkout_users

v1 = GroupBy(
    sources=ttypes.JoinSource(
        join=checkout_users.v1,
        query=Query(
            selects=select(
                "user_id",
                verified="CAST(quickstart_users_v1_email_verified AS INT)",
            ),
            time_column="ts",
        ),
    ),
    keys=["user_id"],
    online=True,
    aggregations=[
        Aggregation(input_column="verified", operation=op,
                    windows=[Window(length=7, timeUnit=TimeUnit.DAYS)])
        for op in [Operation.SUM, Operation.COUNT]
    ],
)
