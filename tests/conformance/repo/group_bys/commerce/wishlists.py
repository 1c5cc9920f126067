"""Wishlist additions per user, from a sources package whose __init__.py
imports its own submodules (sources/catalog)."""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

import sources.catalog.cycle_a
from sources import catalog

v1 = GroupBy(
    sources=ttypes.EventSource(
        table=catalog.WISHLIST_TABLE,
        query=Query(selects=select(*catalog.WISHLIST_COLUMNS), time_column="ts"),
    ),
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="price", operation=Operation.SUM, windows=catalog.WISHLIST_WINDOWS),
        Aggregation(input_column="product_id", operation=Operation.LAST_K(len(sources.catalog.cycle_a.all_columns()))),
    ],
)
