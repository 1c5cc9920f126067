"""
Parent join of group_bys/growth/engagement_chain.py. Its left side streams
(the web sessions topic), as chaining requires.
"""

from ai.chronon.api import ttypes
from ai.chronon.join import Derivation, Join, JoinPart
import group_bys.growth.sessions as session_features
import group_bys.growth.users as user_features
import sources.users as users

v1 = Join(
    left=ttypes.Source(events=users.sessions_web),
    right_parts=[
        JoinPart(session_features.v1),
        JoinPart(user_features.v1),
    ],
    online=True,
    check_consistency=True,
    derivations=[
        Derivation("*", "*"),
        Derivation("is_long_session", "session_length > 1800"),
    ],
    description="One row per web session, with the user's recent session history.",
    # Set explicitly (not inherited from teams.json): this join is embedded in
    # the chained GroupBy, and compile.py fills team defaults into embedded
    # objects only as a side effect of writing them, so an inherited value
    # would depend on the order compile.py happens to visit files in.
    output_namespace="growth_features",
    table_properties={"source": "chronon", "owner": "growth-ml", "retention_days": "365"},
)
