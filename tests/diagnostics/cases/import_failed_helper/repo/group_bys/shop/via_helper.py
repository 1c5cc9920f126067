"""The error is raised inside a helper of another module (sources/helpers.py):
this module fails, the helper's module does not."""

from ai.chronon.group_by import TimeUnit
from sources.helpers import snapshot_sum

daily = snapshot_sum("price", 3, TimeUnit.DAYS)
hourly = snapshot_sum("price", 3, TimeUnit.HOURS)
