"""The config edits of Chronon's PySpark interface, by chronon-ai itself.

    edits_oracle.py run|analyze KIND CONFIG START END PREFIX NAMESPACE

prints thrift_simple_json of the config as ai/chronon/pyspark/executables.py
would hand it to PySparkUtils.run*/analyze* (PREFIX / NAMESPACE '' = none):
set_metadata (name prefix, output namespace) as the executables' __init__
does, then run()'s or analyze()'s date edits. Only the pure edit methods are
called; no Spark is started. pyspark.sql is stubbed when the installed pyspark
lacks it (the edits never touch a DataFrame or a SparkSession).
"""
import copy
import sys
import types

try:
    import pyspark.sql  # noqa: F401
except ImportError:
    stub = types.ModuleType("pyspark.sql")
    stub.DataFrame = type("DataFrame", (), {})
    stub.SparkSession = type("SparkSession", (), {})
    sys.modules["pyspark.sql"] = stub

from ai.chronon.api.ttypes import GroupBy, Join, StagingQuery
from ai.chronon.pyspark import executables as ex
from ai.chronon.repo.serializer import json2thrift, thrift_simple_json


class G(ex.GroupByExecutable):
    def get_platform(self):
        return None


class J(ex.JoinExecutable):
    def get_platform(self):
        return None


def unwindowed(group_bys):
    """chronon-ai's get_max_window_for_gb_in_days iterates agg.windows and
    raises TypeError on an aggregation without windows (a lifetime one, such
    as quickstart's LAST_K). The C edits count such an aggregation as having
    no window; to compare the rest, give them [] here and None back after."""
    saved = []
    for gb in group_bys:
        for agg in (gb.aggregations or []) if gb else []:
            if agg.windows is None:
                agg.windows = []
                saved.append(agg)
    return saved


def source_starts(group_bys):
    """Each source query's startPartition, before the edits."""
    return [[(s.events or s.entities).query.startPartition if (s.events or s.entities) and
             (s.events or s.entities).query else None for s in (gb.sources or [])] for gb in group_bys]


def keep_lifetime_starts(group_bys, starts):
    """The C edits leave the start partition of a GroupBy with a lifetime
    aggregation as the config has it (its values need the whole history;
    runtime/exe/README.md); Python's raises TypeError there."""
    for gb, before in zip(group_bys, starts):
        if any(agg.windows in (None, []) for agg in gb.aggregations or []):
            for s, start in zip(gb.sources or [], before):
                q = (s.events or s.entities).query if (s.events or s.entities) else None
                if q is not None:
                    q.startPartition = start


def main():
    mode, kind, path, start, end, prefix, namespace = sys.argv[1:8]
    cls = {"GroupBy": GroupBy, "Join": Join, "StagingQuery": StagingQuery}[kind]
    with open(path) as f:
        obj = json2thrift(f.read(), cls)
    obj = ex.PlatformInterface.set_metadata(None, obj, "src", prefix or None, namespace or None)
    obj = copy.deepcopy(obj)
    if kind == "GroupBy":
        starts = source_starts([obj])
        saved = unwindowed([obj])
        g = object.__new__(G)
        if mode == "run":
            obj.backfillStartDate = start
        obj = g._update_source_dates_for_group_by(obj, start, end)
        keep_lifetime_starts([obj], starts)
    elif kind == "Join":
        starts = source_starts([jp.groupBy for jp in obj.joinParts or []])
        saved = unwindowed([jp.groupBy for jp in obj.joinParts or []])
        j = object.__new__(J)
        obj.left = j._update_source_dates(obj.left, start, end)
        obj.joinParts = j._update_source_dates_for_join_parts(obj.joinParts, start, end)
        keep_lifetime_starts([jp.groupBy for jp in obj.joinParts or []], starts)
    if kind != "StagingQuery":
        for agg in saved:
            agg.windows = None
    sys.stdout.write(thrift_simple_json(obj) + "\n")


main()
