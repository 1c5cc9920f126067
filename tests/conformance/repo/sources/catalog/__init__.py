"""A package whose __init__.py imports its own submodules, in each of the
forms Python allows while the package is still running: the package is in
sys.modules already, so these load the submodule, not the package again."""

from . import tables
from .tables import WISHLISTS as WISHLIST_TABLE
import sources.catalog.columns as columns
from sources.catalog import windows

WISHLIST_COLUMNS = columns.WISHLIST
WISHLIST_WINDOWS = windows.WISHLIST
