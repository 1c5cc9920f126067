"""
Merchant features: a snapshot entity source, plus a GroupBy reading another
GroupBy's backfill table (utils.group_by_output_table_name).
"""

from ai.chronon import utils
from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from group_bys.commerce.nested import merchant_stats
from sources import common
from sources import payments

v1 = GroupBy(
    sources=[ttypes.Source(entities=payments.merchants)],
    keys=["merchant_id"],
    aggregations=None,
    online=True,
)

stats_table = utils.group_by_output_table_name(merchant_stats.v1, True)

from_stats = GroupBy(
    sources=ttypes.EntitySource(
        snapshotTable=stats_table,
        query=Query(
            selects=select(
                "merchant_id",
                buyers_30d="user_id_unique_count_30d",
                gmv_30d="purchase_price_sum_30d",
            ),
            time_column="ts",
        ),
    ),
    keys=["merchant_id"],
    aggregations=[
        Aggregation(input_column="buyers_30d", operation=Operation.AVERAGE, windows=common.days(7)),
        Aggregation(input_column="gmv_30d", operation=Operation.MAX, windows=common.days(7, 30)),
    ],
    accuracy=Accuracy.SNAPSHOT,
    online=True,
    dependencies=[stats_table + "/ds={{ ds }}"],
)
