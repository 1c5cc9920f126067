# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/events_without_aggregations.py.
# aggregations=None on an event source.
#
# compile.py --input_path group_bys/rejects/events_without_aggregations.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: You can only set aggregations=None in an EntitySource without mutations

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.clicks", query=Query(selects=select("user_id", "url"), time_column="ts")),
    keys=["user_id"],
    aggregations=None,
    online=True,
)
