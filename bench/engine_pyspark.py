"""One run of a compiled config through chronon-ai's PySpark interface, as a
notebook user runs it: a default SparkSession with Chronon's jar, then
JupyterGroupBy(...).run(...) or JupyterJoin(...).run(...). Used by
bench/engine.py as the reference path; one process per run, like our
executables.

    engine_pyspark.py KIND CONFIG START END --warehouse W --jar J [--prefix P]

Prints one line of JSON on stdout: {"startup": s, "job": s, "table": name},
startup counted from this process's start (as the kernel recorded it) to the
first call into the interface.

Three work-arounds of chronon-ai 0.0.115's interface on this jar, here and not
in any product code:
  * get_table_utils() names ai.chronon.spark.TableUtils, which now lives in
    ai.chronon.spark.catalog: the platform's method is replaced.
  * get_max_window_for_gb_in_days raises TypeError on an aggregation without
    windows (quickstart's LAST_K): such an aggregation counts as no window,
    which is what our executables do.
  * It takes YYYYMMDD dates only, so the bench's tables are partitioned by
    yyyyMMdd and spark.chronon.partition.format says so (on both paths).
"""
import argparse
import json
import os
import sys
import time


def seconds_since_start():
    with open("/proc/self/stat") as f:
        stat = f.read()
    start_ticks = int(stat[stat.rindex(")") + 2:].split()[19])
    with open("/proc/uptime") as f:
        up = float(f.read().split()[0])
    return up - start_ticks / os.sysconf("SC_CLK_TCK")


def patch_interface():
    from ai.chronon import utils
    from ai.chronon.pyspark import executables, jupyter

    original = utils.get_max_window_for_gb_in_days

    def max_window(group_by):
        import copy
        gb = copy.deepcopy(group_by)
        for agg in gb.aggregations or []:
            if agg.windows is None:
                agg.windows = []
        return original(gb)

    utils.get_max_window_for_gb_in_days = max_window
    if hasattr(executables, "get_max_window_for_gb_in_days"):
        executables.get_max_window_for_gb_in_days = max_window

    def get_table_utils(self):
        return self.jvm.ai.chronon.spark.catalog.TableUtils(self.java_spark_session)

    jupyter.JupyterPlatform.get_table_utils = get_table_utils


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["GroupBy", "Join"])
    ap.add_argument("config")
    ap.add_argument("start")
    ap.add_argument("end")
    ap.add_argument("--warehouse", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--prefix", default=None,
                    help="the name prefix (the interface takes the user name: LOGNAME is set to it)")
    a = ap.parse_args()
    if a.prefix:
        os.environ["LOGNAME"] = a.prefix

    from pyspark.sql import SparkSession
    from ai.chronon.api import ttypes
    from ai.chronon.repo.serializer import file2thrift
    patch_interface()
    from ai.chronon.pyspark.jupyter import JupyterGroupBy, JupyterJoin

    wh = os.path.abspath(a.warehouse)
    spark = (SparkSession.builder
             .appName("chronon-bench")
             .config("spark.jars", a.jar)
             .config("spark.sql.warehouse.dir", wh + "/spark-warehouse")
             .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                     "jdbc:derby:;databaseName=%s/metastore_db;create=true" % wh)
             .config("spark.driver.extraJavaOptions", "-Dderby.system.home=" + wh)
             .config("spark.chronon.partition.format", "yyyyMMdd")
             .config("spark.ui.showConsoleProgress", "false")
             .enableHiveSupport()
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    cls = {"GroupBy": (ttypes.GroupBy, JupyterGroupBy), "Join": (ttypes.Join, JupyterJoin)}[a.kind]
    obj = file2thrift(a.config, cls[0])
    startup = seconds_since_start()
    t0 = time.monotonic()
    executable = cls[1](obj, spark)
    executable.run(start_date=a.start, end_date=a.end)
    job = time.monotonic() - t0
    from ai.chronon.utils import output_table_name
    table = output_table_name(executable.obj, full_name=True)
    print(json.dumps({"startup": round(startup, 2), "job": round(job, 2), "table": table}))
    sys.stdout.flush()
    spark.stop()


if __name__ == "__main__":
    main()
