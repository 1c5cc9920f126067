# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/label_hourly_window.py.
# An aggregated label with an hourly window.
#
# compile.py --input_path joins/rejects/label_hourly_window.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: Label aggregation window unit must be DAYS

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.join import Join, JoinPart, LabelPart
from ai.chronon.query import Query, select

returns = GroupBy(
    name="rejects_returns_label",
    sources=ttypes.EventSource(table="data.returns", query=Query(selects=select("user_id", "refund"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="refund", operation=Operation.SUM, windows=[Window(48, TimeUnit.HOURS)])],
)

users = GroupBy(
    name="rejects_users_label",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
    label_part=LabelPart([JoinPart(returns)], left_start_offset=2, left_end_offset=2),
)
