"""Imports the failing sources module for its left side."""

from ai.chronon.api import ttypes
from ai.chronon.join import Join, JoinPart
from group_bys.shop import good
from sources.broken import clicks

v1 = Join(
    left=ttypes.Source(events=clicks),
    right_parts=[JoinPart(good.v1)],
)
