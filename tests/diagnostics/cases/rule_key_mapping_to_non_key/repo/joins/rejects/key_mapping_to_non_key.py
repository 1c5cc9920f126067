# REJECTED by compile.py (chronon-ai 0.0.115): joins/rejects/key_mapping_to_non_key.py.
# key_mapping maps to a column that is not a key of the GroupBy. A three-line
# message.
#
# compile.py --input_path joins/rejects/key_mapping_to_non_key.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 1
# expect-written: none
# error: AssertionError: 'buyer', is not a valid key for rejects_purchases
# error: Please pick one from:
# error: 'user_id'

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.join import Join, JoinPart
from ai.chronon.query import Query, select

purchases = GroupBy(
    name="rejects_purchases",
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
)

v1 = Join(
    left=ttypes.Source(events=ttypes.EventSource(table="data.checkouts", query=Query(selects=select("buyer_id"), time_column="ts"))),
    right_parts=[JoinPart(purchases, key_mapping={"buyer_id": "buyer"})],
)
