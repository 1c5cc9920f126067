"""
Refunds by currency. Written to exercise expression forms: comprehensions,
f-strings, str.format, conditional expressions, ** unpacking, builtins and
arithmetic on literals.
"""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from sources import common
from sources import helpers

REGION = "us"
STREAMING = True
CURRENCIES = sorted(["USD", "GBP", "EUR", "CAD"])
BASE_COLUMNS = ["user_id", "merchant_id", "refund_reason"]
PER_CURRENCY = {f"refund_{c}": f"IF(currency = '{c}', amount_cents / 100.0, 0.0)" for c in CURRENCIES}
COMMON_KWARGS = {"online": True, "production": False}

refunds = ttypes.EventSource(
    table="data.refunds_{region}".format(region=REGION),
    topic=helpers.topic("events.refunds") if STREAMING else None,
    query=Query(
        selects=dict(**select(*BASE_COLUMNS), **PER_CURRENCY, refund_count="1"),
        wheres=["refund_state = 'COMPLETED'"] + helpers.not_null(*BASE_COLUMNS),
        time_column="refund_ts",
    ),
)

v1 = GroupBy(
    sources=[refunds],
    keys=["user_id"],
    aggregations=[Aggregation(input_column=f"refund_{c}", operation=Operation.SUM, windows=common.days(7, 30)) for c in CURRENCIES]
    + [Aggregation(input_column="refund_reason", operation=Operation.TOP_K(len(CURRENCIES)))],
    tags={
        "currencies": "{n} currencies".format(n=len(CURRENCIES)),
        "region": REGION if REGION else "global",
        "mode": "streaming" if STREAMING else "batch",
    },
    lag=0 + 1,
    score_floor=0.1 + 0.2,
    max_ratio=1.5e-07,
    big_count=1099511627776,
    label="refunds" + "_" + REGION,
    **COMMON_KWARGS,
)
