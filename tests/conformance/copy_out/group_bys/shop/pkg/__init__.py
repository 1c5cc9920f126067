"""A package that imports its own submodule while it runs (Python gives the
submodule the partly run package): the modules on the import stack keep their
values where they made them."""

PREFIX = "pkg"

from group_bys.shop.pkg import visits  # noqa: E402

VISIT_KEYS = visits.v1.keyColumns
