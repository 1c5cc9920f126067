"""Half of an import cycle Python runs: EXTRA is bound before the import of
columns, which reads it from this partly run module, and columns' own names
are read only when all_columns() is called, after both modules ran."""

EXTRA = ["list_name"]

from sources.catalog import columns  # noqa: E402


def all_columns():
    return columns.WISHLIST
