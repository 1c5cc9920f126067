"""Referral features: exercises most GroupBy keyword arguments and **kwargs."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from sources import users

v1 = GroupBy(
    sources=[users.signups],
    keys=["referrer_id"],
    aggregations=[
        Aggregation(input_column="user_id", operation=Operation.COUNT),
        Aggregation(input_column="user_id", operation=Operation.APPROX_UNIQUE_COUNT),
        Aggregation(input_column="signup_score", operation=Operation.AVERAGE),
        Aggregation(input_column="campaign", operation=Operation.LAST),
    ],
    online=False,
    production=False,
    backfill_start_date="2022-06-01",
    historical_backfill=True,
    dependencies=[
        "data.signups_daily/ds={{ ds }}",
        "data.referral_events/ds={{ ds }}/hr=23",
    ],
    env={
        "backfill": {"EXECUTOR_MEMORY": "4G", "PARALLELISM": "200"},
        "upload": {"EXECUTOR_MEMORY": "2G"},
    },
    table_properties={"owner": "growth-referrals"},
    output_namespace="growth_referrals",
    accuracy=Accuracy.SNAPSHOT,
    lag=2,
    offline_schedule="@weekly",
    tags={"deprecated_by": "referrals_v2"},
    deprecation_date="2026-06-30",
    description="Referral counts per referrer. Will be replaced by the v2 referral graph.",
    # Anything else lands in metaData.customJson, in call order, before lag.
    team_slack="#growth-referrals",
    sla_hours=6,
    thresholds={"min_referrals": 3, "score_cutoff": 0.75},
    experimental=True,
)
