"""Table names. Imports the package back: it is partly run, and the name it
uses is bound before the package imported this module."""

WISHLISTS = "data.wishlists"
