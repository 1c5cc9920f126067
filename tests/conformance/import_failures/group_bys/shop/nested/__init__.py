"""A package whose __init__.py fails (Window() takes no time_unit keyword):
no module of the package can be imported."""

from ai.chronon.group_by import TimeUnit, Window

WEEK = Window(length=7, time_unit=TimeUnit.DAYS)
