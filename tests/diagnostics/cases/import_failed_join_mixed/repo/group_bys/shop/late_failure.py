"""Two GroupBys that are fine, then one that GroupBy() rejects: the module's
import ends there, so none of them is written, and the join that uses only v1
fails too. What follows v3 never runs in Python: v4 would add "category" to
the selects of sources.events.purchases, which good.py's GroupBys share (and
chrononc still reports v5's mistake, without running v4 before the writes)."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation, TimeUnit, Window
from sources.events import purchases

v1 = GroupBy(
    sources=purchases,
    keys=["merchant_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.COUNT, windows=[Window(30, TimeUnit.DAYS)])],
    online=True,
)

v2 = GroupBy(
    sources=purchases,
    keys=["merchant_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
)

v3 = GroupBy(
    sources=purchases,
    keys=["merchant_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM, windows=[Window(12, TimeUnit.HOURS)])],
    accuracy=Accuracy.SNAPSHOT,
)

v4 = GroupBy(
    sources=purchases,
    keys=["category"],
    aggregations=[Aggregation(input_column="price", operation=Operation.MAX)],
)

v5 = GroupBy(
    sources=purchases,
    keys=["merchant_id"],
    aggregations=[Aggregation(input_colum="price", operation=Operation.SUM)],
)
