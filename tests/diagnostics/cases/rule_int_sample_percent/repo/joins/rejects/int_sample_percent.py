# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/int_sample_percent.py.
# sample_percent=10, an int in a double field: compile.py's write-then-read-
# back check fails (10 vs 10.0). The output file has already been opened for
# writing, so compile.py leaves it there EMPTY (0 bytes) and exits 1. The
# message goes on with the whole serialized Join.
#
# compile.py --input_path joins/rejects/int_sample_percent.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: joins/rejects/int_sample_percent.v1 (empty)
# error: AssertionError: Serialization can't be reversed
# error: diff:
# error: 59c59
# error: <     "samplePercent": 10.0,
# error: ---
# error: >     "samplePercent": 10,

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="rejects_users_sample",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
    online=True,
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
    online=True,
    sample_percent=10,
)
