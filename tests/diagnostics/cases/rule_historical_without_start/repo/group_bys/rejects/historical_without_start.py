# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/historical_without_start.py.
# historical_backfill without backfill_start_date.
#
# compile.py --input_path group_bys/rejects/historical_without_start.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: historical_backfill can only be set when backfill_start_date is specified.

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.AVERAGE)],
    historical_backfill=True,
)
