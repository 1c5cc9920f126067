"""chronon-ai's PySpark interface on the parity test's configs: the other side
of tests/parity/parity.test.sh.

    pyspark_run.py run --jar JAR --warehouse DIR --data SQL --out DIR
                       [--conf K=V]... RUN...
    pyspark_run.py edits --out DIR [--name-prefix P] [--output-namespace NS] RUN...

RUN is KIND:CONFIG[:START:END], CONFIG a compiled config file
(production/<group_bys|joins|staging_queries>/<team>/<name>), KIND GroupBy,
Join or StagingQuery (a StagingQuery takes END only: START is empty).

`run` builds a SparkSession the way a notebook user would (SparkSession.builder,
spark.jars = Chronon's jar, Hive support, a warehouse and Derby metastore in
DIR, the --conf settings), loads the data (SQL statements, one per line, the
file tests/parity/data.py writes), and runs each RUN in order through
ai.chronon.pyspark.jupyter's JupyterGroupBy / JupyterJoin /
JupyterStagingQuery with the user-name prefix (the interface's default). Then
it lists the output tables (SHOW TABLES in the output and data databases) and
dumps them with parity_lib.dump_statement, the statement our side's dump is
made with too (from OUT/columns.json).

`edits` runs the same interface on a stand-in session (no JVM): it shows what
the interface would send to the JVM with a given name prefix and output
namespace, without running it.

Written to OUT for each RUN (KEY = the config's file name):
  KEY.plan   what the interface did, in the form our executables' --dry-run
             and log lines take: its log_operation messages (no timestamp),
             "call PySparkUtils.M(args)" for each call into the JVM (a config
             shows as <Kind name>, Option helpers as their value, the
             TableUtils as tableUtils), "sql DROP TABLE IF EXISTS T"
  KEY.json   the last config handed to PySparkUtils.parse* (thrift_simple_json,
             the string the JVM parses), a newline after it
  KEY.parsed.jsonl  every config handed to parse* in the run, one a line
and once: tables.txt (db.table per line, sorted), columns.json (each table's
columns, by its label: parity_lib.label), dump.txt (one
"label<TAB>0|1<TAB>value" line per schema (0) or row (1), sorted),
workarounds.txt (each breakage below, checked to be still there).

chronon-ai 0.0.115's interface does not run on this Chronon jar as it is;
the harness works around each breakage here (never in the product) and
checks that it is still there, so that a fixed chronon-ai shows up:
  1. get_max_window_for_gb_in_days (ai.chronon.utils, imported by
     executables.py) iterates agg.windows and raises TypeError on an
     aggregation without windows (quickstart's LAST_K(10)). Wrapped: such an
     aggregation counts as having no window (the evident fix, windows or []);
     the config sent is untouched. Our executables differ here on purpose
     (runtime/exe/README.md difference 2; parity_lib.py expect-config).
  2. PlatformInterface.get_table_utils calls ai.chronon.spark.TableUtils,
     which the jar has as ai.chronon.spark.catalog.TableUtils (py4j returns a
     JavaPackage, "not callable"). Replaced by the catalog class.
  3. _execute_underlying_join_sources reads JoinSource.outputTableNameOverride,
     a field chronon-ai's own ttypes.JoinSource does not have (AttributeError
     on any GroupBy with a join source). Given a class default of None (not a
     thrift field: never serialized).
  4. StagingQueryExecutable.run reads metaData.outputTable (for its log
     line), a property of Chronon's Scala MetaData (MetadataOps.outputTable:
     "<outputNamespace>.<sanitized name>") that chronon-ai's ttypes.MetaData
     lacks (AttributeError on every StagingQuery run). Given as a read-only
     property with that definition (not a thrift field: never serialized).
  5. Dates are parsed with '%Y%m%d' only: the caller sets
     spark.chronon.partition.format=yyyyMMdd and loads yyyyMMdd partitions.
"""
import argparse
import copy
import json
import os
import sys
from unittest import mock

from ai.chronon.api.ttypes import GroupBy, Join, JoinSource, MetaData, StagingQuery
from ai.chronon.pyspark import executables as ex
from ai.chronon.pyspark import jupyter
from ai.chronon.repo.serializer import json2thrift
from ai.chronon.utils import sanitize

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parity_lib import dump_lines, dump_statement, label  # noqa: E402

KINDS = {"GroupBy": (GroupBy, jupyter.JupyterGroupBy),
         "Join": (Join, jupyter.JupyterJoin),
         "StagingQuery": (StagingQuery, jupyter.JupyterStagingQuery)}
PARSE_KIND = {"parseGroupBy": "GroupBy", "parseJoin": "Join", "parseStagingQuery": "StagingQuery"}
OUTPUT_DBS = ("quickstart", "data")


# ---- workarounds (see the module comment) ------------------------------------------

ORIGINAL_MAX_WINDOW = ex.get_max_window_for_gb_in_days


def max_window_without_windows_ok(group_by):
    """Breakage 1: the original on a copy whose unwindowed aggregations have
    windows = [] (no window), so the config itself stays as it is."""
    g = copy.deepcopy(group_by)
    for agg in g.aggregations or []:
        if agg.windows is None:
            agg.windows = []
    return ORIGINAL_MAX_WINDOW(g)


def catalog_table_utils(platform):
    """Breakage 2: TableUtils moved to ai.chronon.spark.catalog."""
    return platform.jvm.ai.chronon.spark.catalog.TableUtils(platform.java_spark_session)


def install_workarounds(log, spark_jvm=None):
    """Checks that each breakage is still there (a line in log for each),
    then patches around it."""
    unwindowed = GroupBy(aggregations=[mock.Mock(windows=None)])
    try:
        ORIGINAL_MAX_WINDOW(unwindowed)
        log.append("1 get_max_window_for_gb_in_days: works on an unwindowed aggregation (FIXED?)")
    except TypeError as e:
        log.append(f"1 get_max_window_for_gb_in_days: TypeError on an unwindowed aggregation ({e})")
    ex.get_max_window_for_gb_in_days = max_window_without_windows_ok

    if spark_jvm is not None:
        try:
            spark_jvm.ai.chronon.spark.TableUtils(None)
            log.append("2 ai.chronon.spark.TableUtils: callable (FIXED?)")
        except TypeError as e:
            log.append(f"2 ai.chronon.spark.TableUtils: TypeError ({e})")
    jupyter.JupyterPlatform.get_table_utils = catalog_table_utils

    if hasattr(JoinSource(), "outputTableNameOverride"):
        log.append("3 JoinSource.outputTableNameOverride: present (FIXED?)")
    else:
        log.append("3 JoinSource.outputTableNameOverride: missing from ttypes.JoinSource")
        JoinSource.outputTableNameOverride = None

    if hasattr(MetaData(), "outputTable"):
        log.append("4 MetaData.outputTable: present (FIXED?)")
    else:
        log.append("4 MetaData.outputTable: missing from ttypes.MetaData")
        MetaData.outputTable = property(lambda md: f"{md.outputNamespace}.{sanitize(md.name)}")


# ---- what the interface does, recorded ---------------------------------------------

class Recorder:
    """The plan lines and the configs parsed, for the run under way. JVM
    objects are labelled by identity: a parsed config as <Kind name>, an
    Option helper's result as its value, the TableUtils as tableUtils."""

    def __init__(self):
        self.lines = []
        self.configs = []
        self.labels = {}

    def label(self, obj, text):
        self.labels[id(obj)] = (obj, text)  # obj kept alive: ids stay unique
        return obj

    def show(self, v):
        if id(v) in self.labels:
            return self.labels[id(v)][1]
        if v is None:
            return "None"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return f'"{v}"'
        return str(v)


class RecordingPySparkUtils:
    """Stands for jvm.ai.chronon.spark.PySparkUtils: records each call, then
    makes it on the real class."""

    def __init__(self, real, rec):
        self._real, self._rec = real, rec

    def __getattr__(self, method):
        real_method = getattr(self._real, method)
        rec = self._rec

        def call(*args):
            if method.startswith("get") and method.endswith("Optional"):
                shown = "None" if args[0] is None else rec.show(args[0])
                if method == "getIntOptional" and args[0] is not None:
                    shown = args[0]  # passed as a str, shown as the int
                return rec.label(real_method(*args), shown)
            if method in PARSE_KIND:
                conf = json.loads(args[0])
                rec.configs.append(args[0])
                shown = f"<{PARSE_KIND[method]} {conf['metaData']['name']}>"
                rec.lines.append(f"call PySparkUtils.{method}({shown})")
                return rec.label(real_method(*args), shown)
            rec.lines.append(f"call PySparkUtils.{method}({', '.join(rec.show(a) for a in args)})")
            return real_method(*args)
        return call


class JvmView:
    """Stands for the executable's self.jvm: ai.chronon.spark.PySparkUtils is
    recorded, every other path goes to the real view."""

    def __init__(self, real, rec, path=()):
        self._real, self._rec, self._path = real, rec, path

    def __getattr__(self, name):
        path = self._path + (name,)
        real = getattr(self._real, name)
        if path == ("ai", "chronon", "spark", "PySparkUtils"):
            return RecordingPySparkUtils(real, self._rec)
        return JvmView(real, self._rec, path)

    def __call__(self, *args):
        return self._real(*args)


def install_recorder(rec):
    init = ex.PySparkExecutable.__init__

    def recording_init(self, obj, spark_session):
        init(self, obj, spark_session)
        self.jvm = JvmView(self.jvm, rec)
    ex.PySparkExecutable.__init__ = recording_init

    log_operation = ex.PlatformInterface.log_operation

    def recording_log_operation(self, message):
        rec.lines.append(message)
        log_operation(self, message)
    ex.PlatformInterface.log_operation = recording_log_operation

    drop = ex.PlatformInterface.drop_table_if_exists

    def recording_drop(self, table_name):
        rec.lines.append(f"sql DROP TABLE IF EXISTS {table_name}")
        drop(self, table_name)
    ex.PlatformInterface.drop_table_if_exists = recording_drop

    get_table_utils = jupyter.JupyterPlatform.get_table_utils

    def labelled_table_utils(self):
        return rec.label(get_table_utils(self), "tableUtils")
    jupyter.JupyterPlatform.get_table_utils = labelled_table_utils


# ---- runs ---------------------------------------------------------------------------

def parse_run(text):
    parts = text.split(":")
    kind, path = parts[0], parts[1]
    start, end = (parts[2] or None, parts[3] or None) if len(parts) > 3 else (None, None)
    if kind not in KINDS:
        sys.exit(f"pyspark_run.py: unknown kind {kind}")
    return kind, path, start, end


def execute(spark, rec, out, kind, path, start, end, name_prefix=None, output_namespace=None):
    cls, executable_cls = KINDS[kind]
    with open(path) as f:
        obj = json2thrift(f.read(), cls)
    rec.lines, rec.configs = [], []
    executable = executable_cls(obj, spark, name_prefix=name_prefix, output_namespace=output_namespace)
    if kind == "StagingQuery":
        executable.run(end_date=end)
    else:
        executable.run(start_date=start, end_date=end)
    key = os.path.basename(path)
    with open(os.path.join(out, key + ".plan"), "w") as f:
        f.write("".join(line + "\n" for line in rec.lines))
    with open(os.path.join(out, key + ".json"), "w") as f:
        f.write(rec.configs[-1] + "\n")
    with open(os.path.join(out, key + ".parsed.jsonl"), "w") as f:
        f.write("".join(json.dumps(json.loads(c)) + "\n" for c in rec.configs))


def spark_session(args):
    from pyspark.sql import SparkSession
    wh = os.path.abspath(args.warehouse)
    b = (SparkSession.builder
         .master("local[*]")
         .appName("chronon-parity")
         .config("spark.jars", args.jar)
         .config("spark.sql.warehouse.dir", f"{wh}/spark-warehouse")
         .config("javax.jdo.option.ConnectionURL", f"jdbc:derby:;databaseName={wh}/metastore_db;create=true")
         .config("spark.hadoop.hive.exec.scratchdir", f"{wh}/tmp/hive-scratch")
         .config("spark.hadoop.hive.exec.local.scratchdir", f"{wh}/tmp/hive-local")
         .config("spark.hadoop.hive.downloaded.resources.dir", f"{wh}/tmp/hive-resources")
         .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={wh}")
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false"))
    for kv in args.conf:
        k, _, v = kv.partition("=")
        b = b.config(k, v)
    spark = b.enableHiveSupport().getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def cmd_run(args):
    spark = spark_session(args)
    workarounds = []
    install_workarounds(workarounds, spark._jvm)
    rec = Recorder()
    install_recorder(rec)
    with open(args.data) as f:
        for statement in f.read().split(";\n"):
            if statement.strip():
                spark.sql(statement.strip().rstrip(";"))
    for r in args.runs:
        execute(spark, rec, args.out, *parse_run(r))
    tables = sorted(f"{db}.{row.tableName}" for db in OUTPUT_DBS
                    for row in spark.sql(f"SHOW TABLES IN {db}").collect() if not row.isTemporary)
    columns = {label(t): spark.table(t).columns for t in tables}
    rows = dump_lines(spark.sql(dump_statement(tables, columns)).collect())
    for name, text in [("tables.txt", tables), ("workarounds.txt", workarounds)]:
        with open(os.path.join(args.out, name), "w") as f:
            f.write("".join(line + "\n" for line in text))
    with open(os.path.join(args.out, "dump.txt"), "w") as f:
        f.write("".join(rows))
    with open(os.path.join(args.out, "columns.json"), "w") as f:
        json.dump(columns, f, indent=1)
    spark.stop()


def cmd_edits(args):
    """The interface on a stand-in session: every JVM call answers a mock, so
    only the edits, the plan and the configs it would send come out."""
    workarounds = []
    install_workarounds(workarounds)
    rec = Recorder()
    install_recorder(rec)
    spark = mock.MagicMock(name="spark")
    with mock.patch.object(ex, "DataFrame"):
        for r in args.runs:
            execute(spark, rec, args.out, *parse_run(r), name_prefix=args.name_prefix,
                    output_namespace=args.output_namespace)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--jar", required=True)
    r.add_argument("--warehouse", required=True)
    r.add_argument("--data", required=True)
    r.add_argument("--conf", action="append", default=[])
    e = sub.add_parser("edits")
    e.add_argument("--name-prefix")
    e.add_argument("--output-namespace")
    for q in (r, e):
        q.add_argument("--out", required=True)
        q.add_argument("runs", nargs="+", metavar="RUN")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    (cmd_run if args.cmd == "run" else cmd_edits)(args)


main()
