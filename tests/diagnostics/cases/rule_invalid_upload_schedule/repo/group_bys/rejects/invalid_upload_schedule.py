# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/invalid_upload_schedule.py.
# upload_schedule outside @daily/@weekly/@monthly/@quarterly.
#
# compile.py --input_path group_bys/rejects/invalid_upload_schedule.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: Invalid upload_schedule '@hourly', must be one of ['@daily', '@weekly', '@monthly', '@quarterly']

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="country", operation=Operation.LAST)],
    online=True,
    upload_schedule="@hourly",
)
