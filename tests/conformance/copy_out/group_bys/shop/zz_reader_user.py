"""Keys from sources.reader's list, which is group_bys.shop.deep's."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation
from sources import events, reader

v1 = GroupBy(
    sources=[events.orders],
    keys=reader.SEEN,
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    online=True,
)
