"""
Disputes read the refunds GroupBy's backfill table. The GroupBy is imported by
name from a module that has not run yet, and its table name is asked for here,
at this module's top level: Chronon's gc lookup then names it after this
module (the one still running), not after refunds.py.
"""

from ai.chronon import utils
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from ai.chronon.api import ttypes
from group_bys.payments.refunds import v1 as refund_features

refund_table = utils.group_by_output_table_name(refund_features, True)

v1 = GroupBy(
    sources=ttypes.EntitySource(
        snapshotTable=refund_table,
        query=Query(selects=select("user_id", disputed_usd="refund_USD_sum_30d"), time_column="ts"),
    ),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="disputed_usd", operation=Operation.MAX)],
    online=True,
)
