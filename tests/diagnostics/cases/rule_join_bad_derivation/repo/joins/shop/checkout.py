from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.join import Derivation, Join, JoinPart
from ai.chronon.query import Query, select

users = GroupBy(
    name="shop.users",
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
    online=True,
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("user_id"), time_column="ts"))),
    right_parts=[JoinPart(users)],
    derivations=[Derivation("user_country", "shop_users_countri")],
)
