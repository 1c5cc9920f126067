# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/hourly_snapshot.py.
# An hourly window under SNAPSHOT accuracy. The message ends with the repr of
# the Thrift Window objects.
#
# compile.py --input_path group_bys/rejects/hourly_snapshot.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: Detected a snapshot accuracy group by with an hourly aggregation. Resolution with snapshot accuracy is not fine enough to allow hourly group bys. Consider removing the `backfill start date` param if set or adjusting the aggregation window. input_column: price, windows: [Window(length=6, timeUnit=0)]

from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM, windows=[Window(6, TimeUnit.HOURS)])],
    accuracy=Accuracy.SNAPSHOT,
)
