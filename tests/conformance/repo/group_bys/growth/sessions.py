"""Session features from two event sources (web streaming + app batch)."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from sources import common
from sources import users

v1 = GroupBy(
    sources=[users.sessions_web, users.sessions_app],
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="session_length", operation=Operation.SUM, windows=common.SHORT_WINDOWS),
        Aggregation(input_column="session_length", operation=Operation.COUNT, windows=common.hours(1, 6) + common.days(1)),
        Aggregation(input_column="pages", operation=Operation.AVERAGE, windows=common.days(7)),
        Aggregation(input_column="device_id", operation=Operation.APPROX_UNIQUE_COUNT, windows=common.days(30)),
        Aggregation(input_column="device_id", operation=Operation.APPROX_UNIQUE_COUNT_LGK(14)),
        Aggregation(input_column="platform", operation=Operation.UNIQUE_COUNT, windows=common.days(30)),
        Aggregation(input_column="device_id", operation=Operation.BOUNDED_UNIQUE_COUNT_K(100), windows=common.days(7)),
    ],
    accuracy=Accuracy.TEMPORAL,
    online=True,
    # Explicit for the same reason as in joins/growth/user_engagement.py.
    output_namespace="growth_features",
    table_properties={"source": "chronon", "owner": "growth-ml", "retention_days": "365"},
)
