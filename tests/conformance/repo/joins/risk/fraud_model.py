"""
Online fraud model: external parts (ExternalSource with every argument,
ContextualSource), every DataType, and derivations over external columns.
"""

from ai.chronon.api import ttypes
from ai.chronon.join import (
    ContextualSource,
    DataType,
    Derivation,
    ExternalPart,
    ExternalSource,
    Join,
    JoinPart,
)
from ai.chronon.query import Query, select
from group_bys.risk import card_activity
from group_bys.risk import fraud_signals
from group_bys.risk import velocity

user_risk_service = ExternalSource(
    name="user_risk_service",
    team="risk",
    key_fields=[("user_id", DataType.STRING)],
    value_fields=[
        ("risk_score", DataType.DOUBLE),
        ("flags", DataType.LIST(DataType.STRING)),
        ("limits", DataType.MAP(DataType.STRING, DataType.LONG)),
        (
            "profile",
            DataType.STRUCT(
                "RiskProfile",
                ("tier", DataType.INT),
                ("verified", DataType.BOOLEAN),
                ("aliases", DataType.LIST(DataType.STRING)),
            ),
        ),
    ],
    custom_json='{"timeout_ms": 150, "fallback": "cache"}',
    factory_name="grpc",
    factory_params={"host": "risk-svc.internal", "port": "8443"},
    offline_group_by=card_activity.card_profile,
)

request_context = ContextualSource(
    fields=[
        ("request_id", DataType.STRING),
        ("amount_usd", DataType.DOUBLE),
        ("channel", DataType.SHORT),
        ("raw_payload", DataType.BINARY),
        ("latency_ms", DataType.FLOAT),
        ("retries", DataType.INT),
        ("is_retry", DataType.BOOLEAN),
        ("seq", DataType.LONG),
    ],
)

payment_attempts = ttypes.Source(
    events=ttypes.EventSource(
        table="data.payment_attempts",
        topic="kafka://kafka-payments/events.payment_attempts/serde=avro",
        query=Query(selects=select("user_id", "card_id", "merchant_id", buyer_id="user_id", seller_id="merchant_owner_id"), time_column="ts"),
    )
)

v1 = Join(
    left=payment_attempts,
    right_parts=[
        JoinPart(velocity.by_user),
        JoinPart(velocity.by_card),
        JoinPart(card_activity.card_v1),
        JoinPart(fraud_signals.v1),
    ],
    online_external_parts=[
        ExternalPart(user_risk_service, key_mapping={"buyer_id": "user_id"}, prefix="buyer"),
        ExternalPart(source=user_risk_service, key_mapping={"seller_id": "user_id"}, prefix="seller"),
        ExternalPart(request_context),
    ],
    derivations=[
        Derivation("*", "*"),
        Derivation("buyer_risk_x_amount", "ext_buyer_user_risk_service_risk_score * ext_contextual_amount_usd"),
        Derivation("request_id", "ext_contextual_request_id"),
    ],
    online=True,
    production=True,
    sample_percent=100.0,
)
