"""Window constants and aggregation builders used across teams."""

from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window


def days(*lengths):
    """Day windows, one per length."""
    return [Window(length, TimeUnit.DAYS) for length in lengths]


def hours(*lengths):
    """Hour windows, one per length."""
    return [Window(length=n, timeUnit=TimeUnit.HOURS) for n in lengths]


# 1h and 6h for fast-moving signals, then a day.
SHORT_WINDOWS = hours(1, 6) + days(1)
STANDARD_WINDOWS = days(1, 7, 30, 90)
LONG_WINDOWS = days(180, 365)


def sum_count_avg(column, windows=None, buckets=None, tags=None):
    """SUM, COUNT and AVERAGE of the same column over the same windows."""
    return [
        Aggregation(input_column=column, operation=op, windows=windows, buckets=buckets, tags=tags)
        for op in [Operation.SUM, Operation.COUNT, Operation.AVERAGE]
    ]


def op_over(operation, windows, *columns):
    """The same operation on several columns."""
    return [Aggregation(input_column=c, operation=operation, windows=windows) for c in columns]


def entity_lookup(source, *keys, name=None, online=None):
    """
    A GroupBy without aggregations: a plain lookup of the source's columns.

    GroupBy() is called here, in sources/common.py, so compile.py's caller-file
    heuristic gives the GroupBy the team "sources" unless something else
    overwrites it later.
    """
    return GroupBy(sources=[source], keys=list(keys), aggregations=None, name=name, online=online)
