"""
Checkout features built with Aggregations(**...), column tags and GroupBy
derivations (a wildcard, a rename and an expression with a description).
"""

from ai.chronon.group_by import Aggregation, Aggregations, Derivation, GroupBy, Operation
from sources import commerce
from sources import common

v1 = GroupBy(
    sources=[commerce.checkouts],
    keys=["user_id"],
    aggregations=Aggregations(
        cart_value=Aggregation(
            operation=Operation.AVERAGE,
            windows=common.days(7, 30),
            tags={"unit": "usd", "pii": "false"},
        ),
        items=Aggregation(
            operation=Operation.SUM,
            windows=common.days(7),
            buckets=["payment_type"],
            tags={"unit": "count"},
        ),
        session_id=Aggregation(operation=Operation.APPROX_UNIQUE_COUNT, windows=common.days(30)),
    ),
    tags={"tier": "gold", "owner": "checkout-ml"},
    derivations=[
        Derivation("*", "*"),
        Derivation("items_by_payment_type_7d", "items_sum_7d_by_payment_type"),
        Derivation(
            name="cart_value_trend",
            expression="cart_value_average_7d / NULLIF(cart_value_average_30d, 0)",
            description="Short-term over long-term average cart value.",
        ),
    ],
    online=True,
)
