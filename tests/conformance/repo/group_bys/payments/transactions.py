"""
Transaction features per user. `latest` is another name for `v2`: compile.py
names one object after the *last* module variable bound to it.
"""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, Derivation, GroupBy, Operation
from sources import common
from sources import payments

v1 = GroupBy(
    sources=ttypes.Source(events=payments.transactions),
    keys=["user_id"],
    aggregations=common.sum_count_avg("amount", windows=common.days(1, 7, 30)),
    online=True,
)

v2 = GroupBy(
    sources=[ttypes.Source(events=payments.transactions)],
    keys=["user_id"],
    aggregations=common.sum_count_avg("amount", windows=common.SHORT_WINDOWS + common.STANDARD_WINDOWS, buckets=["currency"])
    + common.op_over(Operation.LAST, None, "merchant_id", "card_id"),
    accuracy=Accuracy.TEMPORAL,
    online=True,
    derivations=[
        Derivation("amount_sum_7d_by_currency", "amount_sum_7d_by_currency"),
        Derivation("last_merchant", "merchant_id_last"),
        Derivation("user_id", "user_id"),
        Derivation("ds_copy", "ds"),
    ],
)

latest = v2
