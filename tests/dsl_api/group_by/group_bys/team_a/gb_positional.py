from ai.chronon.api.ttypes import EventSource, Source
from ai.chronon.group_by import Aggregation, GroupBy, Operation, Accuracy, Derivation
from ai.chronon.query import Query, select

v1 = GroupBy(
    [Source(events=EventSource(table="t", query=Query(selects=select("k", "v"), time_column="ts")))],
    ["k"],
    [Aggregation("v", Operation.SUM)],
    True, False, "2020-01-01", ["x.y/ds={{ ds }}"], {"backfill": {"A": "1"}}, {"tp": "1"}, "ns",
    Accuracy.SNAPSHOT, 4, "@weekly", "@monthly", "the.name", {"t": "g"}, [Derivation("d", "v")],
    True, "2040-01-01", "description", True, extra_kw="e",
)
