import ai.chronon.utils as utils

utils.check_contains("b", ["abc", "bb", "x"], "thing", None, str)
