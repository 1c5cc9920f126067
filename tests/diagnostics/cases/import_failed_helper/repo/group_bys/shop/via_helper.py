"""The error is raised inside a helper of another module (sources/helpers.py):
this module fails, the helper's module does not. The second one goes through
two helpers: a note at each call on the way."""

from ai.chronon.group_by import TimeUnit
from sources.helpers import snapshot_sum
from sources.wrap import two_hours

daily = snapshot_sum("price", 3, TimeUnit.DAYS)
hourly = snapshot_sum("price", 3, TimeUnit.HOURS)
wrapped = two_hours("price")
