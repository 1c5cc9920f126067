import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import *
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
import ai.chronon.utils as utils
utils.check_contains(["colour"], ["color", "x", "collar", "co"], "column", "my.gb")
