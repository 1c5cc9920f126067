"""Every checkout with the user's features: snapshot (as of the end of the
day before), temporal (as of the checkout's ts) and the users snapshot of the
day before."""
from ai.chronon.join import Join, JoinPart
from group_bys.vt import txn_daily, txn_temporal, users
from sources import vt

v1 = Join(
    left=vt.checkouts,
    right_parts=[JoinPart(group_by=gb.v1) for gb in [txn_daily, txn_temporal, users]],
)
