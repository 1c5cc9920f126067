"""Product attributes: an entity lookup without aggregations, read with a lag."""

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.query import Query, select

catalog = ttypes.EntitySource(
    snapshotTable="data.product_catalog",
    query=Query(
        selects=select(
            "product_id",
            "category",
            "brand",
            list_price="list_price_cents / 100.0",
            is_active="status = 'ACTIVE'",
        ),
        partition_column="snapshot_date",
    ),
)

v1 = GroupBy(
    sources=catalog,
    keys=["product_id"],
    aggregations=None,
    online=True,
    lag=1,
    description='Latest catalog row per product; the "snapshot_date" partition lands a day late.',
)
