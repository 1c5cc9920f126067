# The dependency and source-inspection helpers, reached through ai.chronon.utils.
import ai.chronon.api.ttypes as ttypes
import ai.chronon.utils as utils
from ai.chronon.join import BootstrapPart, JoinPart, LabelPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels
from joins.team_b import parent

ev = ttypes.Source(events=ttypes.EventSource(table="ns.ev/a=1", topic="", query=Query(selects=select("u"),
                                                                                      start_partition="2020-01-01")))
ent = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.snap", mutationTable="ns.mut",
                                                 mutationTopic="mt", query=Query(selects=select("u"))))
js = ttypes.Source(joinSource=ttypes.JoinSource(join=parent.nostream, query=Query(selects=select("u"))))
probe = ttypes.MetaData(dependencies=[
    str(utils.is_streaming(ev)), str(utils.is_streaming(ent)), str(utils.is_streaming(js)),
    str(utils.has_topic(gbs.v1)), str(utils.has_topic(gbs.v2)),
    str(len(utils.get_streaming_sources(gbs.v1))),
    utils.get_table(ev), utils.get_table(ent), utils.get_table(js),
    str(utils.get_topic(ev)), str(utils.get_topic(ent)),
    str(sorted(utils.get_columns(ev))),
    utils.get_query(ent).selects["u"],
    str(utils.get_underlying_source(js).join == parent.nostream),
    utils.wait_for_name("db.t/ds={{ ds }}/__x__"),
    str(utils.wait_for_simple_schema("ns.t/x=1", 2, "s", None)),
    str(utils.wait_for_simple_schema("", 0, None, None)),
    str(utils.dedupe_in_order(["a", "b", "a", "c", "b"])),
] + utils.get_dependencies(ev) + utils.get_dependencies(ent, lag=1) + utils.get_dependencies(ev, ["x.y/ds={{ ds }}"])
  + utils.get_dependencies(ev, meta_data=gbs.v2.metaData)
  + utils.get_bootstrap_dependencies([BootstrapPart("ns.b", query=Query(end_partition="e"))])
  + utils.get_bootstrap_dependencies(None)
  + utils.get_label_table_dependencies(LabelPart([JoinPart(labels.lbl)], 30, 30)))
