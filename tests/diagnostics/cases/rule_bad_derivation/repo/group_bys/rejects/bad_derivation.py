# REJECTED by compile.py (chronon-ai 0.0.115): group_bys/rejects/bad_derivation.py.
# A derivation renames a column the GroupBy does not produce (price_sum_7d;
# the aggregation has no window). Repo validator: printed, skipped, exit 0.
#
# compile.py --input_path group_bys/rejects/bad_derivation.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 0
# expect-written: none
# error: Could not write GroupBy bad_derivation.v1 - Incorrect derivation expression price_sum_7d, expression not found in pre-derived columns ['price_sum', 'user_id']

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, Derivation, GroupBy, Operation
from ai.chronon.query import Query, select

v1 = GroupBy(
    sources=ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_column="ts")),
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price", operation=Operation.SUM)],
    derivations=[Derivation("price_total", "price_sum_7d")],
    online=True,
)
