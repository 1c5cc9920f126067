"""
Merchant health: the left side is a staging query's output
(StagingQueryEventSource), and a second join is tagged with the first one's
output columns (external_api.get_join_output_columns).
"""

from ai.chronon import external_api
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from ai.chronon.staging_query import StagingQueryEventSource
from group_bys.payments import merchants as merchant_features
from group_bys.risk import chargebacks
from staging_queries.payments import settlement_snapshot

settlements = StagingQueryEventSource(
    settlement_snapshot.v1,
    Query(selects=select("settlement_id", "merchant_id", "settled_amount"), time_column="ts"),
)

v1 = Join(
    left=settlements,
    right_parts=[
        JoinPart(merchant_features.from_stats),
        JoinPart(chargebacks.by_merchant),
    ],
)

V1_COLUMNS = external_api.get_join_output_columns(v1)

v2 = Join(
    left=settlements,
    right_parts=[JoinPart(merchant_features.v1)],
    tags={"v1_feature_count": f"{len(V1_COLUMNS)}", "v1_first_columns": f"{sorted(V1_COLUMNS)}"},
    offline_schedule="@monthly",
)
