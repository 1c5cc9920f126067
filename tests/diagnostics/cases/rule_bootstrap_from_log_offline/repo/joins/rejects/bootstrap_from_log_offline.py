# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/bootstrap_from_log_offline.py.
# bootstrap_from_log=True on a join that does not log (no sample_percent).
#
# compile.py --input_path joins/rejects/bootstrap_from_log_offline.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: Join must be online with sample_percent set in order to use bootstrap_from_log option

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="rejects_users_log",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
    online=True,
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
    online=True,
    bootstrap_from_log=True,
)
