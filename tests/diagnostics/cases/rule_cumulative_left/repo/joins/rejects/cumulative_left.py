# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/cumulative_left.py.
# A cumulative event source as a join's left side.
#
# compile.py --input_path joins/rejects/cumulative_left.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: ValueError: Using EventSource with isCumulative=True as Left source in Joins is NOT supported by Chronon now. You can use either EntitySource or EventSource with isCumulative=False.

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="rejects_users",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
)

v1 = Join(
    left=ttypes.Source(
        events=ttypes.EventSource(
            table="data.lifetime_counts",
            isCumulative=True,
            query=Query(selects=select("user_id"), time_column="ts"),
        )
    ),
    right_parts=[JoinPart(users)],
)
