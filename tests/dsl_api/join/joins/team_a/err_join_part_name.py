import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import *
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
import ai.chronon.utils as utils
n = utils.join_part_name(ttypes.JoinPart(prefix="p"))
