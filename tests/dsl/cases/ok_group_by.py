"""Purchase aggregations per user, as in Chronon's quickstart."""

from ai.chronon.api.ttypes import Source, EventSource
from ai.chronon.query import Query, select
from ai.chronon.group_by import (
    GroupBy,
    Aggregation,
    Operation,
    Window,
    TimeUnit,
)

source = Source(
    events=EventSource(
        table="data.purchases",  # This points to the log table with historical purchase events
        topic=None,  # Streaming is not currently part of quickstart, but this would be where you define the topic for realtime events
        query=Query(
            selects=select("user_id", "purchase_price"),  # Select the fields we care about
            time_column="ts",
        ),  # The event time
    )
)

window_sizes = [Window(length=day, timeUnit=TimeUnit.DAYS) for day in [3, 14, 30]]  # Define some window sizes to use below

v1 = GroupBy(
    sources=[source],
    keys=["user_id"],  # We are aggregating by user
    online=True,
    aggregations=[
        Aggregation(
            input_column="purchase_price",
            operation=Operation.SUM,
            windows=window_sizes,
        ),  # The sum of purchases prices in various windows
        Aggregation(
            input_column="purchase_price",
            operation=Operation.COUNT,
            windows=window_sizes,
        ),  # The count of purchases in various windows
        Aggregation(
            input_column="purchase_price",
            operation=Operation.LAST_K(10),
        ),
    ],
)
