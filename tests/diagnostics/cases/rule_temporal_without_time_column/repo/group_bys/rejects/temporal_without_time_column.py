# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/temporal_without_time_column.py.
# An event source without time_column, accuracy not SNAPSHOT (unset counts as
# not SNAPSHOT here).
#
# compile.py --input_path group_bys/rejects/temporal_without_time_column.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: please specify query.timeColumn for non-snapshot accurate group by with event source

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"))),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.COUNT)],
    online=True,
)
