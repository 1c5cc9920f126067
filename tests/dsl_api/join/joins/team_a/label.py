# LabelPart: aggregated label (offsets equal to the window) and plain labels.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import Join, JoinPart, LabelPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))

lp = LabelPart([JoinPart(labels.lbl)], 30, 30, label_offline_schedule="@weekly")
v1 = Join(left, [JoinPart(gbs.v2)], label_part=lp)

plain = LabelPart(labels=[JoinPart(labels.lbl_plain), JoinPart(gbs.snap, prefix="s")], left_start_offset=10,
                  left_end_offset=3)
v2 = Join(left, [JoinPart(gbs.v2)], label_part=plain, lag=2)
