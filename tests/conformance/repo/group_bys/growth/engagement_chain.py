"""
Chaining: a GroupBy whose source is the output of the growth user_engagement
join (JoinSource).
"""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from joins.growth import user_engagement as engagement_join
from sources import common

v1 = GroupBy(
    sources=ttypes.JoinSource(
        join=engagement_join.v1,
        query=Query(
            selects=select(
                "user_id",
                "country",
                sessions_1d="growth_sessions_v1_session_length_count_1d",
                engaged="growth_sessions_v1_session_length_sum_1d > 600",
            ),
            start_partition="2024-03-01",
            time_column="ts",
        ),
    ),
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="sessions_1d", operation=Operation.AVERAGE, windows=common.days(7, 28)),
        Aggregation(input_column="engaged", operation=Operation.SUM, windows=common.days(7)),
        Aggregation(input_column="country", operation=Operation.LAST),
    ],
    accuracy=Accuracy.TEMPORAL,
    online=True,
    production=True,
    table_properties={"config_json": """{"chained": true, "parent": "user_engagement"}""", "owner": "growth-ml"},
    output_namespace="growth_chained",
)
