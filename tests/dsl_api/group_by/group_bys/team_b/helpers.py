from ai.chronon.api.ttypes import EventSource
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select


def make_group_by(table):
    return GroupBy(sources=EventSource(table=table, query=Query(selects=select("k", "v"), time_column="ts")),
                   keys=["k"], aggregations=[Aggregation("v", Operation.SUM)])
