# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/unknown_team/orphan.py.
# The folder name is the team, and teams.json has no team `unknown_team`.
# Raised while writing (compile.py's main loop), so even folder mode exits 1.
# <root> is the --chronon_root path.
#
# compile.py --input_path group_bys/unknown_team/orphan.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: ValueError: team unknown_team does not exist in <root>/teams.json

from ai.chronon.api import ttypes
from ai.chronon.group_by import GroupBy
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EntitySource(snapshotTable="data.users", query=Query(selects=select("user_id", "country"))),
    keys=["user_id"],
    aggregations=None,
    online=True,
)
