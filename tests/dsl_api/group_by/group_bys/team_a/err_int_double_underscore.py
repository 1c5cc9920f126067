"""Two underscores in a row are not an int in Python."""
from ai.chronon.api import ttypes

q = ttypes.Query(wheres=[str(int("1__000"))])
