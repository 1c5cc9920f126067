"""A precision on an int: Python raises."""
from ai.chronon.api import ttypes

days = 7
q = ttypes.Query(wheres=[f"{days:.2}"])
