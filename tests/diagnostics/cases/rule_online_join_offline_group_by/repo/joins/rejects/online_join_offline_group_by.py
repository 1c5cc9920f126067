# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/online_join_offline_group_by.py.
# An online join whose GroupBy is not online. Checked in compile.py's main
# loop AFTER the join file is written: the (complete) file stays, and
# compile.py exits 1.
#
# compile.py --input_path joins/rejects/online_join_offline_group_by.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: joins/rejects/online_join_offline_group_by.v1
# error: AssertionError: You must make all dependent GroupBys `online` if you want to make your join [rejects.online_join_offline_group_by.v1] `online`. You can do this by passing the `online=True` argument to the GroupBy constructor. Fix the following: ['rejects_users_offline']

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="rejects_users_offline",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
    online=True,
)
