"""A helper calling a helper of another file."""

from ai.chronon.group_by import TimeUnit
from sources.helpers import snapshot_sum


def two_hours(column):
    return snapshot_sum(column, 2, TimeUnit.HOURS)
