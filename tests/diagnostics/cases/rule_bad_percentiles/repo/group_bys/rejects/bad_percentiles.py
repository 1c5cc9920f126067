# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/bad_percentiles.py.
# APPROX_PERCENTILE with a percentile outside [0, 1]. compile.py first logs
# the inner AssertionError's traceback, then raises:
#
# compile.py --input_path group_bys/rejects/bad_percentiles.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: ValueError: [Percentiles] Unable to decode percentiles value, expected json array with values between 0 and 1 inclusive (ex: [0.6, 0.1]), received: [0.5, 1.5]

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.APPROX_PERCENTILE([0.5, 1.5]))],
    online=True,
)
