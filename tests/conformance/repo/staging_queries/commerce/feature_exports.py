"""
Exports checkout-model features. Its SQL and metadata are assembled with the
table-naming and string helpers of ai.chronon.utils and ai.chronon.group_by.
"""

from ai.chronon import utils
from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, Operation, get_output_col_names
from ai.chronon.join import JoinPart
from group_bys.commerce import purchases as purchase_features
from joins.commerce import checkout_model
from sources import commerce
from staging_queries.commerce import daily_order_rollup

JOIN_TABLE = utils.get_join_output_table_name(checkout_model.v1, True)
SELLER_PART_TABLE = utils.join_part_output_table_name(
    checkout_model.v1, JoinPart(purchase_features.by_merchant, prefix="seller"), True
)
ROLLUP_TABLE = utils.get_staging_query_output_table_name(daily_order_rollup.v1, True)
ROLLUP_SHORT_NAME = utils.output_table_name(daily_order_rollup.v1, False)

PURCHASES = ttypes.Source(events=commerce.purchases)
PURCHASE_COLUMNS = sorted(utils.get_columns(PURCHASES))

SPEND_COLUMNS = get_output_col_names(
    Aggregation(
        input_column="purchase_price",
        operation=Operation.LAST_K(3),
        windows=[ttypes.Window(7, ttypes.TimeUnit.DAYS), ttypes.Window(12, ttypes.TimeUnit.HOURS)],
        buckets=["category", "merchant_id"],
    )
)

v1 = ttypes.StagingQuery(
    query=f"""
SELECT j.*, r.gmv AS seller_gmv
FROM {JOIN_TABLE} j
LEFT JOIN {ROLLUP_TABLE} r ON j.seller_id = r.merchant_id AND j.ds = r.ds
WHERE j.ds BETWEEN '{{{{ start_date }}}}' AND '{{{{ end_date }}}}'
-- seller part table: {SELLER_PART_TABLE}
-- rollup short name: {ROLLUP_SHORT_NAME}
-- purchases: {utils.get_table(PURCHASES)} ({utils.get_query(PURCHASES).timeColumn}), topic {utils.get_topic(PURCHASES)}
-- purchase columns: {PURCHASE_COLUMNS}
-- spend column names: {SPEND_COLUMNS}
""",
    startPartition="2024-01-01",
    metaData=ttypes.MetaData(
        dependencies=[JOIN_TABLE + "/ds={{ ds }}", ROLLUP_TABLE + "/ds={{ ds }}"],
        modeToEnvMap={
            utils.Modes.backfill: {"EXTRA_ARGS": utils.dict_to_bash_commands({"step_days": "7", "skip_first_hole": None})},
            utils.Modes.upload: {"PRE_SUBMIT": utils.dict_to_exports({"spark_version": "3.5", "queue": "exports"})},
        },
        offlineSchedule=utils.get_offline_schedule(checkout_model.v1),
        customJson='{"config_path": "'
        + utils.get_config_path(checkout_model.v1.metaData.name)
        + '", "streaming_source": '
        + ("true" if utils.is_streaming(PURCHASES) else "false")
        + ', "purchases_has_topic": '
        + ("true" if utils.has_topic(purchase_features.v1) else "false")
        + "}",
        description="Checkout features plus seller GMV, for the analytics warehouse.",
    ),
)
