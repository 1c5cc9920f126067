from ai.chronon.query import Query, select
import ai.chronon.api.ttypes as ttypes

empty = Query()
raw = ttypes.Query()
with_selects = Query(selects=select("a", b="c"))
falsy = Query(selects={}, wheres=[], setups=None)
positional = Query({"x": "y"}, ["x > 1"], "2020-01-01", "2020-02-01", "ts_col", ["ADD JAR x"], "mts", "rev", "dt")
keywords = Query(
    partition_column="p",
    reversal_column="r",
    mutation_time_column="m",
    setups=[],
    time_column="t",
    end_partition="e",
    start_partition="s",
    wheres=["a", "b"],
    selects=select(z="1", a="2"),
)
shared_setups = ["CREATE FUNCTION f"]
q1 = Query(setups=shared_setups)
q2 = Query(setups=shared_setups)
shared_setups.append("ADD JAR later")
