# ai.chronon.utils helpers called from a definition; results stored in MetaData lists.
import ai.chronon.api.ttypes as ttypes
import ai.chronon.utils as utils
from ai.chronon.join import Join, JoinPart, LabelPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs, labels
from joins.team_b import parent

left = ttypes.Source(entities=ttypes.EntitySource(snapshotTable="ns.users", query=Query(selects=select("user"))))
j = Join(left, [JoinPart(gbs.v2, prefix="p"), JoinPart(gbs.v1)], sample_percent=5.0, check_consistency=True,
         label_part=LabelPart([JoinPart(labels.lbl)], 30, 30))
plain = Join(left, [JoinPart(gbs.v2, prefix="")], offline_schedule="@never")

before = ttypes.MetaData(dependencies=[
    str(utils.output_table_name(j, False)),
    str(utils.get_modes_tables(j)),
])
tables = ttypes.MetaData(dependencies=[
    utils.get_join_output_table_name(j),
    utils.get_join_output_table_name(j, full_name=True),
    utils.get_join_output_table_name(parent.nostream, True),
    utils.log_table_name(j),
    utils.log_table_name(j, full_name=True),
    utils.output_table_name(gbs.v1, True),
    utils.output_table_name(gbs.v1, False),
    utils.join_part_name(j.joinParts[0]),
    utils.join_part_name(plain.joinParts[0]),
    utils.join_part_output_table_name(j, j.joinParts[0]),
    utils.join_part_output_table_name(j, j.joinParts[1], full_name=True),
    utils.group_by_output_table_name(gbs.snap),
    utils.group_by_output_table_name(gbs.v1, True),
    utils.get_join_output_table_name(plain),
])
modes = ttypes.MetaData(dependencies=[
    str(utils.get_modes_tables(j)),
    str(utils.get_applicable_modes(j)),
    str(utils.get_related_table_names(j)),
    str(utils.get_related_table_names(j, skip_join_parts=False)),
    str(utils.get_modes_tables(plain)),
    str(utils.get_modes_tables(gbs.v1)),
    str(utils.get_modes_tables(parent.v1)),
    str(utils.get_offline_schedule(j)),
    str(utils.get_offline_schedule(plain)),
    str(utils.requires_log_flattening_task(j)),
    str(utils.requires_log_flattening_task(plain)),
    str(utils.get_max_window_for_gb_in_days(gbs.v1)),
    str(utils.get_max_window_for_gb_in_days(labels.lbl_hours)),
    str(utils.get_max_window_for_gb_in_days(gbs.snap)),
])
misc = ttypes.MetaData(dependencies=[
    utils.sanitize("a.b-c é/x"),
    str(utils.sanitize(None)),
    utils.dict_to_bash_commands({"a_b": "x", "flag_x": None, "e": "", "z": 0, "n": 1.5, "t": True}),
    utils.dict_to_bash_commands(None),
    utils.dict_to_exports({"a_b": "x y", "c": None, "d": 2}),
    utils.dict_to_exports({}),
    str(utils.edit_distance("kitten", "sitting")),
    str(utils.edit_distance("", "abc")),
    str(utils.edit_distance(["a", "b", "c"], ["b", "c", "d"])),
    utils.dict_to_exports({"a_x": 1e-05, "k": [1, "a"]}),
    utils.get_config_path("team_a.j.v1"),
    str(utils.check_contains(["a", "b"], ["a", "b", "c"], "column", "x")),
    str(utils.check_contains("zz", [], "column", None)),
    str(utils.check_contains_single("a", "abc", "letter", "")),
    str(utils.get_mod_name_from_gc(gbs.v2, "group_bys")),
    str(utils.get_mod_name_from_gc(j, "group_bys")),
    utils.chronon_root_path[-11:],
    utils.Modes.stats_summary,
    utils.SubStage.join_parts,
    utils.FeatureDisplayKeys.OUTPUT_COLUMNS.value,
])
j_after = j
