# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/duplicate_external_parts.py.
# The same external source twice with the same (empty) prefix. The first line
# is a plain print.
#
# compile.py --input_path joins/rejects/duplicate_external_parts.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: Found 1 duplicate(s) for external part (None, 'score_service')
# error: AssertionError: Please address all the above mentioned duplicates.

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import DataType, ExternalPart, ExternalSource, Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="rejects_users_ext",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
)

scores = ExternalSource(
    name="score_service",
    team="rejects",
    key_fields=[("user_id", DataType.STRING)],
    value_fields=[("score", DataType.DOUBLE)],
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
    online_external_parts=[ExternalPart(scores), ExternalPart(scores)],
)
