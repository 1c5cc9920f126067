"""Several independent mistakes: each is reported, in file order."""
from ai.chronon.group_by import GroupBy, Aggregation

WINDOWS = [1, 7, 30]
for w in WINDOWS:
    print(w)

bad_escape = "\x4"
v1 = GroupBy(
    keys=["user_id"],
    aggregations=[Aggregation(input_column="price" operation=SUM)],
)
if v1.online
    v1.online = False
class Helper:
    pass
tags = {"a", "b"}
name = f"{team!x}"
last = 1 +
