"""A package whose __init__.py runs sources.reader, which reads NAMES from
this partly run package through its parent's attribute (not by importing it):
reader then holds this package's list, so the package's arena must outlive
reader's copy-out."""

NAMES = ["merchant_id"]

from sources import reader  # noqa: E402,F401
