"""ascii() and the !a conversion: repr with non-ASCII characters escaped."""
from ai.chronon.api import ttypes

WORDS = ["plain", "café", "naïve 'quoted'", "日本", "emoji \U0001F600", "tab\there", "\u00ff\u0100"]

escaped = ttypes.Query(
    selects={f"w{i}": f"{w!a}" for i, w in enumerate(WORDS)},
    wheres=[ascii(w) for w in WORDS] + ["{!a}".format(WORDS[1]), "{0!a}|{0!r}".format(WORDS[3]), ascii(WORDS)],
)
