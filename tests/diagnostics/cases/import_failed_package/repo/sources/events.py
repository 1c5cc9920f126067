"""Sources that load: imported by the files that compile and by some that fail."""

from ai.chronon.api import ttypes
from ai.chronon.query import Query, select

purchases = ttypes.EventSource(
    table="data.purchases",
    query=Query(selects=select("user_id", "merchant_id", "price"), time_column="ts"),
)

checkouts = ttypes.EventSource(
    table="data.checkouts",
    query=Query(selects=select("user_id", "basket"), time_column="ts"),
)
