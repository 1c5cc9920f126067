from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation, Accuracy
from ai.chronon.query import Query, select

def src():
    return EventSource(table="t", query=Query(selects=select("user", "x"), time_column="ts"))

aggs = [Aggregation("x", Operation.SUM)]
defaults = GroupBy(src(), ["user"], aggs)
weekly = GroupBy(src(), ["user"], aggs, upload_schedule="@weekly", accuracy=Accuracy.SNAPSHOT)
kw_weekly = GroupBy(src(), ["user"], aggs, uploadSchedule="@weekly")
overrides = GroupBy(src(), ["user"], aggs, column_tags="X", groupby_tags="Y")
both = GroupBy(src(), ["user"], aggs, upload_schedule="@quarterly", uploadSchedule="@monthly")
kw_kept = GroupBy(src(), ["user"], aggs, upload_schedule="@daily", uploadSchedule="@monthly")
weird = GroupBy(src(), ["user"], aggs, tags={"é": 1.5, "n": None, "b": True}, weird=("a", 1), lag="1")
numbers = GroupBy(src(), ["user"], aggs, big=2**40, neg=-0.0, tiny=1e-300, keys_int={1: "a", 2.5: "b", None: "c", True: "d"})
tagged = GroupBy(
    src(), ["user"],
    [Aggregation("x", Operation.SUM, tags={"first": 1}), Aggregation("x", Operation.SUM, tags={"second": 2}),
     Aggregation("x", Operation.COUNT, tags={})],
)
