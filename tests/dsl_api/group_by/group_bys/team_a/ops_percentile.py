from ai.chronon.group_by import Aggregation, Operation

p1 = Aggregation("x", Operation.APPROX_PERCENTILE([0.5, 0.9]))
p2 = Aggregation("x", Operation.APPROX_PERCENTILE([0.5, 0.9], k=64))
p3 = Aggregation("x", Operation.APPROX_PERCENTILE([0.00001, 1, 0.25], k=20, extra="z"))
p4 = Aggregation("x", Operation.APPROX_PERCENTILE((0.5,)))
p5 = Aggregation("x", Operation.APPROX_PERCENTILE("[0.5]"))
p6 = Aggregation("x", Operation.APPROX_PERCENTILE([0.1], "ignored", 3, k=None))
p7 = Aggregation("x", Operation.APPROX_PERCENTILE(["a"], zz=True, k=7))
