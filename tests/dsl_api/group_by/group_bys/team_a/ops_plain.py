from ai.chronon.group_by import Aggregation, Operation, TimeUnit, Window
import ai.chronon.api.ttypes as ttypes

default = Aggregation()
mn = Aggregation("c", Operation.MIN)
mx = Aggregation("c", Operation.MAX)
first = Aggregation("c", Operation.FIRST)
last = Aggregation("c", Operation.LAST)
auc = Aggregation("c", Operation.APPROX_UNIQUE_COUNT)
uc = Aggregation("c", Operation.UNIQUE_COUNT)
cnt = Aggregation("c", Operation.COUNT)
sm = Aggregation("c", Operation.SUM)
avg = Aggregation("c", Operation.AVERAGE)
var = Aggregation("c", Operation.VARIANCE)
skew = Aggregation("c", Operation.SKEW)
kurt = Aggregation("c", Operation.KURTOSIS)
hist = Aggregation("c", Operation.HISTOGRAM)
raw_op = Aggregation("c", ttypes.Operation.BOUNDED_UNIQUE_COUNT)
full = Aggregation(
    "x",
    Operation.APPROX_PERCENTILE([0.5, 0.9], k=64),
    windows=[Window(7, TimeUnit.DAYS), Window(1, TimeUnit.HOURS)],
    buckets=["b"],
    tags={"a": "b"},
    element_wise=True,
)
positional = Aggregation("y", Operation.SUM, [Window(length=30, timeUnit=TimeUnit.DAYS)], ["b1", "b2"], None, False)
none_op = Aggregation("z", None, None, None)
tuple_op = Aggregation("t", (Operation.SUM, {"custom": "arg"}))
tuple_none_map = Aggregation("t", (Operation.SUM, None))
hand = ttypes.Aggregation(inputColumn="h", operation=ttypes.Operation.SUM)
