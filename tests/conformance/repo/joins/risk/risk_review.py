"""Manual-review joins produced by a helper that returns a Join."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.risk import card_activity
from group_bys.risk import chargebacks
from group_bys.risk import velocity


def review_join(left, *group_bys, prefix=None, online=False, extra={}):
    """Joins `left` with each GroupBy, all under the same prefix; `extra` holds more Join keyword arguments."""
    return Join(
        left=left,
        right_parts=[JoinPart(gb, prefix=prefix) for gb in group_bys],
        online=online,
        **extra,
    )


review_queue = ttypes.Source(
    events=ttypes.EventSource(
        table="data.review_queue",
        query=Query(selects=select("case_id", "user_id", "card_id", "merchant_id"), time_column="enqueued_ts"),
    )
)

v1 = review_join(review_queue, velocity.by_user, card_activity.card_v1, chargebacks.by_merchant, prefix="review")

v2 = review_join(
    review_queue,
    velocity.by_merchant,
    online=True,
    extra={
        "sample_percent": 25.0,
        "description": "Online review features; logs a quarter of requests.",
        "historical_backfill": True,
        "reviewer_pool": "tier2",
    },
)
