from ai.chronon.group_by import Aggregation, Operation, collector, generic_collector
import ai.chronon.api.ttypes as ttypes

top = collector(Operation.SUM)
a1 = Aggregation("x", top(5))
a2 = Aggregation("x", collector(ttypes.Operation.TOP_K)(k="7"))
gen = generic_collector(Operation.COUNT, ["first", "second"], k=1, z=None)
a3 = Aggregation("x", gen("A", 2, "ignored", z=3.5, extra=[1, "2"]))
gen2 = generic_collector(Operation.MAX, [])
a4 = Aggregation("x", gen2())
a5 = Aggregation("x", gen2(q={"a": 1}))
t = Operation.LAST_K(4)
m = ttypes.MetaData(name=str(t), description=str(Operation.APPROX_PERCENTILE([0.5])))
