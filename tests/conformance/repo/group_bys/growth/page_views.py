"""
Page views: an incremental snapshot GroupBy with a Query using every argument
an event source allows, and a cumulative event source.
"""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from sources import common

page_view_events = ttypes.EventSource(
    table="data.page_views",
    isCumulative=False,
    query=Query(
        selects=select("user_id", "page_type", path="url_path(url)", dwell_seconds="dwell_ms / 1000.0"),
        wheres=["is_bot = false", "page_type != 'health_check'"],
        start_partition="2023-01-01",
        end_partition="2099-12-31",
        time_column="view_ts",
        setups=["CREATE TEMPORARY FUNCTION url_path AS 'com.example.udf.UrlPath'"],
        partition_column="date_key",
    ),
)

v1 = GroupBy(
    sources=[page_view_events],
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="path", operation=Operation.COUNT, windows=common.days(1, 7)),
        Aggregation(input_column="path", operation=Operation.LAST_K(20)),
        Aggregation(input_column="dwell_seconds", operation=Operation.AVERAGE, windows=common.days(7)),
        Aggregation(input_column="page_type", operation=Operation.APPROX_HISTOGRAM_K(10)),
    ],
    accuracy=Accuracy.SNAPSHOT,
    is_incremental=True,
    backfill_start_date="2024-01-01",
    online=True,
)

lifetime_views = ttypes.EventSource(
    table="data.page_view_lifetime_counts",
    isCumulative=True,
    query=Query(
        selects=select("user_id", "total_views"),
        time_column="updated_ts",
    ),
)

lifetime = GroupBy(
    sources=[lifetime_views],
    keys=["user_id"],
    aggregations=[Aggregation(input_column="total_views", operation=Operation.LAST)],
    accuracy=Accuracy.SNAPSHOT,
    is_incremental=False,
    online=True,
)
