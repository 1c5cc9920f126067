"""Fraud model scores read from a staging query's output table."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from ai.chronon.staging_query import StagingQueryEventSource, get_staging_query_dependencies
from sources import common
from staging_queries.risk import fraud_events as fraud_events_sq

fraud_event_source = StagingQueryEventSource(
    fraud_events_sq.v1,
    Query(
        selects=select("user_id", "device_id", "event_type", "model_score"),
        time_column="ts",
    ),
)

v1 = GroupBy(
    sources=[fraud_event_source],
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="model_score", operation=Operation.MAX, windows=common.days(1, 7)),
        Aggregation(input_column="model_score", operation=Operation.APPROX_PERCENTILE([0.5, 0.95])),
        Aggregation(input_column="event_type", operation=Operation.HISTOGRAM_K(3), windows=common.days(7)),
        Aggregation(input_column="device_id", operation=Operation.APPROX_UNIQUE_COUNT, windows=common.days(30)),
    ],
    accuracy=Accuracy.SNAPSHOT,
    online=True,
    dependencies=get_staging_query_dependencies(fraud_events_sq.v1),
)

cumulative_source = StagingQueryEventSource(
    staging_query=fraud_events_sq.v1,
    query=Query(selects=select("user_id", "model_score"), time_column="ts"),
    is_cumulative=True,
)

lagged = GroupBy(
    sources=[cumulative_source],
    keys=["user_id"],
    aggregations=[Aggregation(input_column="model_score", operation=Operation.LAST)],
    accuracy=Accuracy.SNAPSHOT,
    backfill_start_date="2024-06-01",
    dependencies=get_staging_query_dependencies(fraud_events_sq.v1, lag=1),
)
