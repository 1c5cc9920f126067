# Binds team_a's GroupBy at top level too; Chronon still names it after team_a.gbs.
from group_bys.team_a.gbs import v2 as v2_again  # noqa: F401
