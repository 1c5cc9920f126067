"""Holds a list of group_bys.shop.deep, read while that package is still
running."""

from group_bys.shop import deep

SEEN = deep.NAMES
