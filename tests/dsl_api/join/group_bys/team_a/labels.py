import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select

lbl = GroupBy(
    sources=[ttypes.Source(entities=ttypes.EntitySource(
        snapshotTable="ns.labels", query=Query(selects=select("user", "label"), time_column="lts")))],
    keys=["user"],
    aggregations=[Aggregation("label", Operation.MAX, windows=[Window(30, TimeUnit.DAYS)])],
)

lbl_hours = GroupBy(
    sources=[ttypes.Source(entities=ttypes.EntitySource(
        snapshotTable="ns.labels", query=Query(selects=select("user", "label"), time_column="ts")))],
    keys=["user"],
    aggregations=[Aggregation("label", Operation.MAX, windows=[Window(30, TimeUnit.HOURS)])],
)

lbl_two = GroupBy(
    sources=[ttypes.Source(entities=ttypes.EntitySource(
        snapshotTable="ns.labels", query=Query(selects=select("user", "label"), time_column="lts")))],
    keys=["user"],
    aggregations=[Aggregation("label", Operation.MAX, windows=[Window(30, TimeUnit.DAYS)]),
                  Aggregation("label", Operation.MIN, windows=[Window(30, TimeUnit.DAYS)])],
)

lbl_plain = GroupBy(
    sources=[ttypes.Source(entities=ttypes.EntitySource(
        snapshotTable="ns.labels_plain", query=Query(selects=select("user", "label"))))],
    keys=["user"],
    aggregations=None,
)
