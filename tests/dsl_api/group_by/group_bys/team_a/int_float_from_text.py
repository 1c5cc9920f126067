"""int() and float() of a str, as Python reads it: blanks around it, '_'
between digits, signs, exponents, inf/infinity/nan in any case."""
from ai.chronon.api import ttypes

INTS = [" 12 ", "1_000", "+5", "-7", "\t42\n", "007"]
FLOATS = [" 1.5 ", "1_000.5", "1e5", "-2.5E-3", "inf", "-Infinity", "NaN", "+1.", ".5", "1_0e1_0"]

parsed = ttypes.Query(
    selects={**{f"i{i}": str(int(x)) for i, x in enumerate(INTS)}, **{f"f{i}": str(float(x)) for i, x in enumerate(FLOATS)}},
)
