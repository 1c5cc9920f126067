"""Online purchase-scoring join: consistency checks, logging and bootstrap from log."""

from ai.chronon.api import ttypes
from ai.chronon.join import BootstrapPart, ContextualSource, DataType, ExternalPart, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.commerce import orders as order_features
from group_bys.commerce import product_catalog
from group_bys.commerce import purchases as purchase_features

scoring_requests = ttypes.Source(
    events=ttypes.EventSource(
        table="data.purchase_scoring_requests",
        topic="kafka://kafka-main/events.scoring_requests/serde=avro",
        query=Query(selects=select("request_id", "user_id", "product_id"), time_column="ts"),
    )
)

v1 = Join(
    left=scoring_requests,
    right_parts=[
        JoinPart(purchase_features.v2),
        JoinPart(order_features.v1),
        JoinPart(product_catalog.v1),
    ],
    online=True,
    production=True,
    check_consistency=True,
    consistency_sample_percent=2.5,
    sample_percent=10.0,
    skew_keys={"user_id": ["0", "-1"], "product_id": ["UNKNOWN"]},
    row_ids=["request_id"],
    bootstrap_parts=[
        BootstrapPart(
            table="commerce_features.purchase_scores_backfill",
            key_columns=["request_id"],
            query=Query(
                selects=select("request_id", "commerce_purchases_v2_purchase_price_sum_1d"),
                start_partition="2023-01-01",
                end_partition="2023-12-31",
            ),
        ),
    ],
    bootstrap_from_log=True,
    online_external_parts=[
        ExternalPart(
            ContextualSource([("device_os", DataType.STRING), ("app_version", DataType.STRING)], team="commerce"),
            prefix="ctx",
        ),
    ],
)
