# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/bad_deprecation_date.py.
# deprecation_date is not YYYY-MM-DD. Found by compile.py's repo validator,
# not by the GroupBy() call: compile.py prints the error, skips the object and
# exits 0.
#
# compile.py --input_path group_bys/rejects/bad_deprecation_date.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 0
# expect-written: none
# error: Could not write GroupBy bad_deprecation_date.v1 - Deprecation date is not in the correct format for group_by rejects.bad_deprecation_date.v1

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
    deprecation_date="31/12/2025",
)
