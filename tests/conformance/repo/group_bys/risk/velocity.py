"""Velocity features, all built by one helper with *args and keyword-only args."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from sources import common
from sources import payments


def velocity(key, *columns, windows=common.SHORT_WINDOWS, accuracy=Accuracy.TEMPORAL, online=True, description=None):
    """Sums of `columns` and a transaction count per `key` over short windows."""
    return GroupBy(
        sources=[payments.transactions],
        keys=[key],
        aggregations=[Aggregation(input_column=c, operation=Operation.SUM, windows=windows) for c in columns]
        + [Aggregation(input_column="transaction_id", operation=Operation.COUNT, windows=windows)],
        accuracy=accuracy,
        online=online,
        description=description if description else f"Velocity of {len(columns)} column(s) per {key}.",
    )


by_user = velocity("user_id", "amount", "is_declined")
by_card = velocity("card_id", "amount", description="Card velocity.")
by_merchant = velocity(
    "merchant_id",
    *["amount", "is_declined"],
    windows=common.hours(1) + common.days(1, 7),
)
