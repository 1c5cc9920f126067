"""Raw commerce data sources: purchases, returns, checkouts, orders."""

from ai.chronon.api import ttypes
from ai.chronon.query import Query, select
from sources import helpers as h

purchases = ttypes.EventSource(
    table="data.purchases",
    topic=h.topic("events.purchases"),
    query=Query(
        selects=select(
            "user_id",
            "merchant_id",
            "product_id",
            "category",
            "quantity",
            purchase_price=h.cents_to_dollars("price_cents"),
            is_gift="IF(gift_wrap = 1, true, false)",
        ),
        wheres=h.not_null("user_id", "price_cents"),
        time_column="ts",
    ),
)

returns = h.event_source(
    "data.returns",
    "user_id",
    "merchant_id",
    "product_id",
    "return_reason",
    expressions={
        "refund_amount": h.cents_to_dollars("refund_cents"),
        "days_since_purchase": "datediff(to_date(return_ts), to_date(purchase_ts))",
    },
    time_column="return_ts",
    start_partition="2022-01-01",
)

checkouts = ttypes.Source(
    events=ttypes.EventSource(
        table="data.checkouts/region=us",
        query=Query(
            selects={
                "user_id": "user_id",
                "session_id": "session_id",
                "cart_value": "cart_value_usd",
                "items": "item_count",
                "payment_type": "COALESCE(payment_type, 'unknown')",
            },
            time_column="checkout_ts",
            partition_column="dt",
        ),
    )
)

orders = ttypes.EntitySource(
    snapshotTable="data.orders_snapshot",
    mutationTable="data.orders_mutations",
    mutationTopic=h.topic("cdc.orders", serde="debezium"),
    query=Query(
        selects=select(
            "order_id",
            "user_id",
            "merchant_id",
            "status",
            order_total="total_cents / 100.0",
        ),
        time_column="created_at",
        mutation_time_column="mutation_ts",
        reversal_column="is_before",
    ),
)
