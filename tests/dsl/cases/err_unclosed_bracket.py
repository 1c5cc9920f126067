ok = 1
v1 = GroupBy(
    sources=[source],
    keys=["user_id"],
