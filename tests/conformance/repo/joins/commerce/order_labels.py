"""
A join with an aggregated label part. The label GroupBy is defined inline in
this join file, so it needs an explicit name.
"""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.join import Join, JoinPart, LabelPart
from ai.chronon.query import Query, select
from group_bys.commerce import purchases as purchase_features
from sources import commerce

returned_within_7d = GroupBy(
    name="commerce_order_return_label",
    sources=[commerce.returns],
    keys=["user_id"],
    aggregations=[
        Aggregation(input_column="refund_amount", operation=Operation.SUM, windows=[Window(7, TimeUnit.DAYS)]),
    ],
)

orders_left = ttypes.Source(
    entities=ttypes.EntitySource(
        snapshotTable="data.orders_snapshot",
        query=Query(selects=select("order_id", "user_id", "merchant_id")),
    )
)

v1 = Join(
    left=orders_left,
    right_parts=[JoinPart(purchase_features.v1)],
    label_part=LabelPart(
        labels=[JoinPart(returned_within_7d)],
        left_start_offset=7,
        left_end_offset=7,
        label_offline_schedule="@weekly",
    ),
    offline_schedule="@daily",
)
