"""Card-level activity from transactions (events) and the card table (CDC entity)."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation
from sources import common
from sources import payments

card_v1 = GroupBy(
    sources=[payments.transactions],
    keys=["card_id"],
    aggregations=[
        Aggregation(input_column="amount", operation=Operation.SUM, windows=common.SHORT_WINDOWS),
        Aggregation(input_column="is_declined", operation=Operation.SUM, windows=common.hours(1, 24)),
        Aggregation(input_column="hour_of_day", operation=Operation.HISTOGRAM, windows=common.days(30)),
        Aggregation(input_column="amounts_by_leg", operation=Operation.SUM, element_wise=True, windows=common.days(7)),
        Aggregation(input_column="merchant_id", operation=Operation.APPROX_UNIQUE_COUNT_LGK(10), windows=common.hours(6)),
    ],
    accuracy=Accuracy.TEMPORAL,
    online=True,
    production=True,
)

card_profile = GroupBy(
    sources=[payments.cards],
    keys=["card_id"],
    aggregations=[
        Aggregation(input_column="card_type", operation=Operation.LAST),
        Aggregation(input_column="credit_limit", operation=Operation.MAX),
        Aggregation(input_column="issuer_country", operation=Operation.FIRST),
    ],
    accuracy=Accuracy.TEMPORAL,
    online=True,
)
