# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/mutation_column_on_events.py.
# mutation_time_column on an event source (the message calls it
# ingestionTimeColumn).
#
# compile.py --input_path group_bys/rejects/mutation_column_on_events.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: ingestionTimeColumn should not be specified for event source as it should be the same with timeColumn

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(
        table="data.purchases",
        query=Query(selects=select("user_id", "price"), time_column="ts", mutation_time_column="mutation_ts"),
    ),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.MAX)],
    online=True,
)
