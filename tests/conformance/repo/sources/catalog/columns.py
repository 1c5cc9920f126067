"""Columns; a cycle Python accepts: cycle_a imports this module at its end,
after the names used here are bound."""

import sources.catalog.cycle_a as cycle_a

WISHLIST = ["user_id", "product_id", "price"] + cycle_a.EXTRA
