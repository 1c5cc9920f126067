"""A sources module imported by many files, which fails to import: its second
source passes Query() a keyword it does not take (TypeError). Nothing that
imports it, directly or through other modules, is compiled."""

from ai.chronon.api import ttypes
from ai.chronon.query import Query, select

clicks = ttypes.EventSource(
    table="data.clicks",
    query=Query(selects=select("user_id", "page"), time_column="ts"),
)

views = ttypes.EventSource(
    table="data.views",
    query=Query(selects=select("user_id", "page"), time_colum="ts"),
)
