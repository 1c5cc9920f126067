"""Raw tables of the parity test (examples/quickstart's): purchase and return events, checkouts, and a users dimension."""
from ai.chronon.api import ttypes
from ai.chronon.query import Query, select

purchases = ttypes.Source(events=ttypes.EventSource(
    table="data.purchases",
    query=Query(
        selects=select("user_id", "purchase_price"),
        time_column="ts",
    ),
))

returns = ttypes.Source(events=ttypes.EventSource(
    table="data.returns",
    query=Query(
        selects=select("user_id", "refund_amt"),
        time_column="ts",
    ),
))

users = ttypes.Source(entities=ttypes.EntitySource(
    snapshotTable="data.users",
    query=Query(
        selects=select("user_id", "account_created_ds", "email_verified"),
    ),
))

checkouts = ttypes.Source(events=ttypes.EventSource(
    table="data.checkouts",
    query=Query(
        selects=select("user_id"),
        time_column="ts",
    ),
))
