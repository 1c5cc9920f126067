"""
Account-takeover labels: a LabelPart of lookups (no aggregations), and
GroupBys defined inside the join file — one bound to a module variable, one
built inline by a helper from sources/common.py.
"""

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Join, JoinPart, LabelPart
from ai.chronon.query import Query, select
from group_bys.risk import account_labels
from group_bys.risk import velocity
from sources import common
from sources import payments

# Defined in a join module, so compile.py cannot name it from its file.
ato_reports = GroupBy(
    name="risk_ato_reports",
    sources=[
        ttypes.EntitySource(
            snapshotTable="data.ato_reports",
            query=Query(selects=select("user_id", confirmed_ato="status = 'CONFIRMED'")),
        )
    ],
    keys=["user_id"],
    aggregations=None,
)

logins = ttypes.Source(
    events=ttypes.EventSource(
        table="data.logins",
        query=Query(selects=select("user_id", "transaction_id", "merchant_id", "ip"), time_column="login_ts"),
    )
)

v1 = Join(
    left=logins,
    right_parts=[
        JoinPart(velocity.by_user),
        JoinPart(common.entity_lookup(payments.merchants, "merchant_id", name="risk_merchant_lookup")),
    ],
    label_part=LabelPart(
        [JoinPart(account_labels.chargeback_flags), JoinPart(ato_reports)],
        30,
        3,
    ),
)
