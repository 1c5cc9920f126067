"""A hex literal is not a float in Python."""
from ai.chronon.api import ttypes

q = ttypes.Query(wheres=[str(float("0x10"))])
