"""
Cart statistics: percentiles, histograms, moments and element-wise averages.

Both GroupBys share `cart_events`, whose query has no selects: each GroupBy
adds its keys and input columns to that one shared dict, so both end up
selecting the union, in the order the columns were added.
"""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query
from sources import common

cart_events = ttypes.EventSource(
    table="data.cart_events",
    query=Query(
        wheres=["event_type IN ('add', 'remove')"],
        time_column="event_ts",
    ),
)

v1 = GroupBy(
    sources=[cart_events],
    keys=["user_id"],
    aggregations=[
        Aggregation(
            input_column="item_price",
            operation=Operation.APPROX_PERCENTILE([0.5, 0.9, 0.99]),
            windows=common.days(7),
        ),
        Aggregation(
            input_column="item_price",
            operation=Operation.APPROX_PERCENTILE([0.25, 0.75], k=200),
        ),
        Aggregation(input_column="item_price", operation=Operation.VARIANCE, windows=common.days(30)),
        Aggregation(input_column="item_price", operation=Operation.SKEW),
        Aggregation(input_column="item_price", operation=Operation.KURTOSIS),
        Aggregation(input_column="category", operation=Operation.APPROX_HISTOGRAM_K(20), windows=common.days(30)),
    ],
    online=True,
)

v2 = GroupBy(
    sources=[cart_events],
    keys=["user_id", "session_id"],
    aggregations=[
        Aggregation(input_column="category", operation=Operation.HISTOGRAM),
        Aggregation(input_column="brand", operation=Operation.HISTOGRAM_K(0)),
        Aggregation(input_column="brand", operation=Operation.HISTOGRAM_K(5), windows=common.days(1)),
        Aggregation(input_column="price_vector", operation=Operation.AVERAGE, element_wise=True),
        Aggregation(input_column="price_vector", operation=Operation.MAX, element_wise=False),
    ],
    backfill_start_date="2024-01-01",
)
