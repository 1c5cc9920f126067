"""
Checkout conversion model: join parts imported from group_by modules with
`as`, key mapping, prefixes, join-part tags and join derivations.
"""

from ai.chronon import utils
from ai.chronon.api import ttypes
from ai.chronon.join import Derivation, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.commerce import carts as cart_features
from group_bys.commerce import checkouts as checkout_features
from group_bys.commerce import purchases as purchase_features
from group_bys.commerce import returns as return_features

checkout_requests = ttypes.Source(
    events=ttypes.EventSource(
        table="data.checkout_requests",
        query=Query(
            selects=select("user_id", "session_id", "request_id", seller_id="merchant_id", basket_usd="basket_cents / 100.0"),
            wheres=["is_internal = false"],
            time_column="request_ts",
        ),
    )
)

v1 = Join(
    left=checkout_requests,
    right_parts=[
        JoinPart(purchase_features.v1),
        JoinPart(
            group_by=purchase_features.by_merchant,
            key_mapping={"seller_id": "merchant_id"},
            prefix="seller",
        ),
        JoinPart(return_features.v1, tags={"source": "returns", "freshness": "daily"}),
        JoinPart(checkout_features.v1, prefix="checkout", tags={"source": "checkouts"}),
        JoinPart(cart_features.v1),
    ],
    derivations=[
        Derivation("*", "*"),
        Derivation(
            "spend_minus_refunds_30d",
            "commerce_purchases_v1_purchase_price_sum_30d - commerce_returns_v1_refund_amount_sum_30d_by_return_reason",
        ),
        Derivation(
            name="seller_avg_price_7d",
            expression="seller_commerce_purchases_by_merchant_purchase_price_average_7d",
            description="Renamed seller feature.",
        ),
    ],
    production=True,
    tags={"max_window_days": f"{utils.get_max_window_for_gb_in_days(checkout_features.v1)}"},
    description="Features for the checkout conversion model, one row per checkout request.",
)
