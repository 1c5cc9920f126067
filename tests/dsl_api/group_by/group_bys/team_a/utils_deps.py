import ai.chronon.api.ttypes as ttypes
import ai.chronon.utils as utils
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select

ev = ttypes.Source(events=ttypes.EventSource(table="ns.ev/a=1", topic="t", query=Query(selects=select("k", "v"), time_column="ts", start_partition="s")))
ev_batch = ttypes.Source(events=ttypes.EventSource(table="ns.ev2", query=Query(selects=select("k", "v"), time_column="ts")))
ent = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.snap", mutationTable="ns.mut", mutationTopic="",
                                                  query=Query(selects=select("k", "v"), partition_column="dt", end_partition="e")))
gb = GroupBy(sources=[ev, ev_batch], keys=["k"], aggregations=[Aggregation("v", Operation.SUM)], lag=2)
labels = ttypes.LabelPart(labels=[ttypes.JoinPart(groupBy=gb), ttypes.JoinPart(groupBy=ttypes.GroupBy(sources=[ent]))])
boot = [ttypes.BootstrapPart(table="ns.boot/x=y", query=Query(start_partition="2020", partition_column="p")),
        ttypes.BootstrapPart(table="ns.boot2"), ttypes.BootstrapPart(query=Query())]

out = ttypes.MetaData(
    name=utils.wait_for_name("db.t/ds={{ ds }}/__x__"),
    dependencies=utils.get_dependencies(ent) + utils.get_dependencies(ev, ["x.y/z"], lag=5)
    + utils.get_dependencies(ev, None, gb.metaData) + utils.get_dependencies(ent, lag=3)
    + utils.get_bootstrap_dependencies(boot) + utils.get_bootstrap_dependencies(None)
    + utils.get_label_table_dependencies(labels),
    customJson=str([utils.wait_for_simple_schema("ns.tbl/sub=1", 2, None, "e"),
                    utils.wait_for_simple_schema("", 0, 1, 2),
                    utils.wait_for_simple_schema("t", "x", "s", None, Query(partition_column="pc"))]),
    description=str([utils.is_streaming(ev), utils.is_streaming(ev_batch), utils.is_streaming(ent),
                     utils.is_streaming(ttypes.Source(entities=ttypes.EntitySource())),
                     utils.has_topic(gb), len(utils.get_streaming_sources(gb)),
                     utils.get_table(ev), utils.get_table(ent), utils.get_topic(ev), utils.get_topic(ent),
                     list(utils.get_columns(ev)), utils.dedupe_in_order(["a", "b", "a", "c", "b"])]),
    team=str(utils.get_query(ent).partitionColumn) + str(utils.get_underlying_source(ev_batch).table),
)
