# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/inline_group_by_without_name.py.
# A GroupBy defined in a join file needs name=...; the second line has a
# trailing space in compile.py's output.
#
# compile.py --input_path joins/rejects/inline_group_by_without_name.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: ERROR:root:No group_by file or custom group_by name found
# error: ValueError: [GroupBy] Must specify a group_by name if group_by is not defined in separate file. You may pass it in via GroupBy.name.

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
)
