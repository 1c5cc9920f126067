from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation, Window, TimeUnit
from ai.chronon.query import Query, select

lag_none = GroupBy(EventSource(table="t", query=Query(selects=select("k"), time_column="ts")), ["k"],
                   (Aggregation("k", Operation.COUNT, windows=(Window(1, TimeUnit.DAYS),)),), lag=None)
str_deps = GroupBy(EventSource(table="t", query=Query(selects=select("k"), time_column="ts")), ["k"],
                   [Aggregation("k", Operation.COUNT)], dependencies="ab", upload_schedule=None, offline_schedule=None)
