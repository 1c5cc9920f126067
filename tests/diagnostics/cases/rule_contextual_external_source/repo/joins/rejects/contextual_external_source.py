# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/contextual_external_source.py.
# ExternalSource(name="contextual") instead of ContextualSource.
#
# compile.py --input_path joins/rejects/contextual_external_source.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: Please use `ContextualSource`

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import DataType, ExternalPart, ExternalSource, Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="rejects_users_ctx",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
    online_external_parts=[
        ExternalPart(
            ExternalSource(
                name="contextual",
                team="rejects",
                key_fields=[("request_id", DataType.STRING)],
                value_fields=[("request_id", DataType.STRING)],
            )
        )
    ],
)
