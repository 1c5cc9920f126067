"""User profile lookup (no aggregations)."""

from ai.chronon.group_by import GroupBy
from sources import users

v1 = GroupBy(
    sources=[users.users],
    keys=["user_id"],
    aggregations=None,
    online=True,
    # Explicit for the same reason as in joins/growth/user_engagement.py.
    output_namespace="growth_features",
    table_properties={"source": "chronon", "owner": "growth-ml", "retention_days": "365"},
    # compile.py replaces `name` with <team>.<file>.<variable> for module-level GroupBys.
    name="user_profile_legacy_name",
    description="Profil utilisateur \u2014 \u00e9tat courant \u2713 (snapshot quotidien) \U0001F680",
    tags={"owner": "growth-ml", "légende": "café au lait ☕"},
)
