from ai.chronon.api.ttypes import EntitySource, Source
from ai.chronon.group_by import Aggregation, GroupBy, Operation, Window, TimeUnit
from ai.chronon.query import Query, select

no_aggs = GroupBy(sources=[Source(entities=EntitySource(snapshotTable="ns.s", query=Query(selects=select("k", "a", "b"))))],
                  keys=["k"], aggregations=None)
windowed = GroupBy(sources=[EntitySource(snapshotTable="ns.s", query=Query(selects=select("k", "a"), time_column="tc"))],
                   keys=["k"], aggregations=[Aggregation("a", Operation.AVERAGE, windows=[Window(3, TimeUnit.DAYS)])],
                   backfill_start_date="2020-01-01")
empty_aggs = GroupBy(sources=[EntitySource(snapshotTable="ns.s", query=Query())], keys=["k"], aggregations=[])
