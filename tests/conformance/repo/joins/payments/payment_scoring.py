"""Payment scoring with model transforms (Model, InferenceSpec, ModelTransform(s))."""

from ai.chronon.api import ttypes
from ai.chronon.join import DataType, Derivation, Join, JoinPart
from ai.chronon.model import InferenceSpec, Model, ModelTransform, ModelTransforms
from ai.chronon.query import Query, select
from group_bys.payments import merchants as merchant_features
from group_bys.payments import payment_methods
from group_bys.payments import transactions as txn_features

scoring_model = Model(
    name="payment_risk_xgb",
    inference_spec=InferenceSpec(
        model_backend="sagemaker",
        model_backend_params={"endpoint": "payment-risk-xgb-prod", "region": "us-east-1", "timeout_ms": "80"},
    ),
    input_schema=[
        ("amount_sum_7d", DataType.DOUBLE),
        ("merchant_mcc", DataType.STRING),
        ("method_count", DataType.LONG),
    ],
    output_schema=[("score", DataType.DOUBLE), ("reason_codes", DataType.LIST(DataType.STRING))],
)

attempts = ttypes.Source(
    events=ttypes.EventSource(
        table="data.payment_attempts",
        query=Query(selects=select("attempt_id", "user_id", "merchant_id"), time_column="ts"),
    )
)

v1 = Join(
    left=attempts,
    right_parts=[
        JoinPart(txn_features.latest),
        JoinPart(merchant_features.v1),
        JoinPart(payment_methods.v1, prefix="pm"),
    ],
    derivations=[
        Derivation("amount_sum_7d", "payments_transactions_latest_amount_sum_7d_by_currency['USD']"),
        Derivation("merchant_mcc", "payments_merchants_v1_mcc"),
        Derivation("method_count", "pm_payments_payment_methods_v1_method_type_count"),
    ],
    model_transforms=ModelTransforms(
        transforms=[
            ModelTransform(
                model=scoring_model,
                input_mappings={"amount_sum_7d": "amount_sum_7d", "merchant_mcc": "merchant_mcc"},
                output_mappings={"risk_score": "score"},
                prefix="xgb",
            ),
            ModelTransform(scoring_model),
        ],
        passthrough_fields=["amount_sum_7d", "merchant_mcc"],
    ),
    online=True,
    production=False,
)
