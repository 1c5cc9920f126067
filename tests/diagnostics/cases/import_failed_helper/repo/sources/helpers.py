"""A helper module that loads; its helper raises for some arguments, which
fails the module that calls it, not this one."""

from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation, Window
from sources.events import purchases


def snapshot_sum(column, length, unit):
    return GroupBy(
        sources=purchases,
        keys=["user_id"],
        aggregations=[Aggregation(input_column=column, operation=Operation.SUM, windows=[Window(length, unit)])],
        accuracy=Accuracy.SNAPSHOT,
        online=True,
    )
