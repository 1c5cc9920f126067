"""
Purchase features, per user and per merchant.

All three GroupBys come from one helper, `purchase_features`.
"""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from sources import commerce
from sources import common


def purchase_features(*keys, windows=common.STANDARD_WINDOWS, accuracy=None, online=True):
    """Spend and basket-size features of purchases, grouped by `keys`."""
    return GroupBy(
        sources=[commerce.purchases],
        keys=list(keys),
        aggregations=common.sum_count_avg("purchase_price", windows=windows)
        + [
            Aggregation(input_column="quantity", operation=Operation.MAX, windows=windows),
            Aggregation(input_column="purchase_price", operation=Operation.LAST_K(10)),
        ],
        accuracy=accuracy,
        online=online,
    )


v1 = purchase_features("user_id")

# Hourly and daily windows, point-in-time correct.
v2 = purchase_features(
    "user_id",
    windows=common.SHORT_WINDOWS + common.STANDARD_WINDOWS,
    accuracy=Accuracy.TEMPORAL,
)

# Neither online nor backfilled: compile.py's group_bys pass skips it, it only
# appears inside the joins that use it.
by_merchant = purchase_features("merchant_id", online=None)
