"""First link of the chain: imports chain_b as a module."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from group_bys.shop import chain_b
from sources.events import purchases

v1 = GroupBy(
    sources=purchases,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.LAST)],
    online=True,
)
