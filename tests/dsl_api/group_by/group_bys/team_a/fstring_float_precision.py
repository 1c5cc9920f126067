"""Floats formatted with a precision and no type ("{:.3}"): Python's rules
(the exponent form one digit sooner than %g, ".0" on a fixed form without a
point), in f-strings and str.format, across values and specs."""
from ai.chronon.api import ttypes

VALUES = [1.0, 2.5, 1234.5678, 100.0, 12.34, 123.4, 0.0001234, 1e20, 1.5, 0.5, 99.99, 9.995, 1e-5, -100.0, 10.0, 0.0]
SPECS = [".3", ".1", ".0", ".2", ".5", "+.3", ">10.3", "#.3"]

formatted = ttypes.Query(
    selects={f"{i}_{s}": ("{:" + s + "}").format(v) for i, v in enumerate(VALUES) for s in SPECS},
    wheres=[f"{1.0:.3}", f"{100.0:.3}", f"{12.34:.3}", f"{-0.5:.1}"],
)
