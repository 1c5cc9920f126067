"""
Retention training set over an entity left side, with bootstrap parts and most
Join keyword arguments.
"""

from ai.chronon.api import ttypes
from ai.chronon.join import BootstrapPart, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.growth import referrals
from group_bys.growth import signups as signup_features
from group_bys.growth import users as user_features

retention_left = ttypes.Source(
    entities=ttypes.EntitySource(
        snapshotTable="data.user_retention_labels",
        query=Query(
            selects=select("user_id", "snapshot_id", retained_28d="CAST(retained_28d AS INT)"),
            start_partition="2023-01-01",
        ),
    )
)

v1 = Join(
    left=retention_left,
    right_parts=[
        JoinPart(user_features.v1),
        JoinPart(signup_features.v1),
        JoinPart(referrals.v1, key_mapping={"user_id": "referrer_id"}, prefix="as_referrer"),
    ],
    row_ids=["user_id", "snapshot_id"],
    bootstrap_parts=[
        BootstrapPart(
            table="growth_features.retention_v0_training_set",
            key_columns=["user_id", "snapshot_id"],
            query=Query(start_partition="2022-01-01", end_partition="2022-12-31"),
        ),
        BootstrapPart(table="growth_features.retention_manual_overrides"),
    ],
    historical_backfill=False,
    offline_schedule="@weekly",
    lag=1,
    env={"backfill": {"EXECUTOR_MEMORY": "10G", "SPARK_CONF_OVERRIDES": "spark.sql.adaptive.enabled=true"}},
    table_properties={"owner": "growth-retention", "retention_days": "730"},
    output_namespace="growth_training",
    additional_args=["--skip-first-hole", "--step-days=30"],
    additional_env=["RETENTION_MODEL=v3"],
    tags={"model": "retention_v3", "stage": "training"},
    description="28-day retention labels joined with profile and signup features.",
    deprecation_date="2027-03-31",
    production=False,
    # Unknown keyword arguments land in customJson after additional_env.
    model_owner="growth-ml@example.com",
    label_horizon_days=28,
)
