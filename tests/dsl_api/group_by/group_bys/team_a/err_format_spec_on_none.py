"""A format spec on None: Python's object.__format__ takes none."""
from ai.chronon.api import ttypes

label = None
q = ttypes.Query(wheres=[f"{label:>6}"])
