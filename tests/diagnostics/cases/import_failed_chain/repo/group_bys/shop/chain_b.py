"""Second link of the chain: imports chain_c."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from group_bys.shop.chain_c import base
from sources.events import purchases

v1 = GroupBy(
    sources=purchases,
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.FIRST)],
    online=True,
)
