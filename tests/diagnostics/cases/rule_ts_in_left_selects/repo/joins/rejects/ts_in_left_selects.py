# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/ts_in_left_selects.py.
# `ts` among the selects of a join's left event source.
#
# compile.py --input_path joins/rejects/ts_in_left_selects.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: 'ts' is a reserved key word for Chronon, please specify the expression in timeColumn

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="rejects_users_ts",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
)

v1 = Join(
    left=ttypes.Source(
        events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id", ts="event_ms"), time_column="event_ms"))
    ),
    right_parts=[JoinPart(users)],
)
