"""Imports the failing sources module."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from sources.broken import clicks

v1 = GroupBy(
    sources=clicks,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="page", operation=Operation.COUNT)],
    online=True,
)
