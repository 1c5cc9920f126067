"""Aggregation builders in a definition file of their own: the compile runs it
as a file before the files that call them, so their code outlives the run of
this file (a def, a def returning a closure, a lambda)."""

from ai.chronon.group_by import Aggregation, Operation, TimeUnit, Window


def summed(column, *days):
    return [Aggregation(input_column=column, operation=Operation.SUM, windows=[Window(d, TimeUnit.DAYS) for d in days])]


def by_operation(operation):
    def make(column):
        return Aggregation(input_column=column, operation=operation)

    return make


LAST = by_operation(Operation.LAST)
COUNT_OF = lambda column: Aggregation(input_column=column, operation=Operation.COUNT)  # noqa: E731
