"""Raw tables of the values test: transactions (events), a users snapshot
(entities) and checkouts (the join's left side). tests/engine/values_data.py
writes them."""
from ai.chronon.api import ttypes
from ai.chronon.query import Query, select

txns = ttypes.Source(events=ttypes.EventSource(
    table="vt_data.txns",
    query=Query(
        selects=select("user_id", "merchant", "amount", "qty"),
        time_column="ts",
    ),
))

users = ttypes.Source(entities=ttypes.EntitySource(
    snapshotTable="vt_data.users",
    query=Query(
        selects=select("user_id", "tier", "credit"),
    ),
))

checkouts = ttypes.Source(events=ttypes.EventSource(
    table="vt_data.checkouts",
    query=Query(
        selects=select("checkout_id", "user_id"),
        time_column="ts",
    ),
))
