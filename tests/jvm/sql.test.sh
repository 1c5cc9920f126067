#!/usr/bin/env bash
# chrononc sql on a real JVM and Spark (pyspark's jars, Hive catalog, Derby
# metastore in the warehouse folder):
#   1. one process creates a partitioned table, inserts rows into two
#      partitions and selects them back: the printed tables, byte for byte;
#   2. a second process sees the table (the metastore persists), writes the
#      result with --output as CSV and as JSON lines (exact bytes), and calls a
#      stand-in ai.chronon.spark.PySparkUtils (compiled here) through
#      crt_call_pyspark_utils: a config parsed by parse<Type>, int, bool and
#      Option arguments, and a BaseTableUtils made from the session;
#   3. a class-data archive with Flight Recorder; 4. the user's collector;
#   5. the Hadoop configuration a write task receives: serialized as Spark
#      ships it (SerializableConfiguration in the task's closure) and read
#      back, none of its properties carries the list of resource files it
#      came from, and on a local master none of yarn-default.xml's is there
#      but a yarn.* property the user set is (the runtime drops those lists
#      and properties: bench/README.md).
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, PYTHON.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
jvm_setup sql

# ---- 1: create, insert, select ---------------------------------------------------
sql create --warehouse "$wh" --quiet \
    "CREATE TABLE purchases (user_id STRING, price DOUBLE, ds STRING) USING parquet PARTITIONED BY (ds)" \
    "INSERT INTO purchases PARTITION (ds = '2024-01-01') VALUES ('alice', 10.5), ('bob', NULL)" \
    "INSERT INTO purchases PARTITION (ds = '2024-01-02') VALUES ('alice', 3.25), ('carol', 99.0)" \
    "SELECT user_id, price, ds FROM purchases ORDER BY ds, user_id" \
    "SHOW PARTITIONS purchases"
expect_rc create 0
cat >"$work/create.want" <<'OUT'
+-------+-----+----------+
|user_id|price|        ds|
+-------+-----+----------+
|  alice| 10.5|2024-01-01|
|    bob| null|2024-01-01|
|  alice| 3.25|2024-01-02|
|  carol| 99.0|2024-01-02|
+-------+-----+----------+

+-------------+
|    partition|
+-------------+
|ds=2024-01-01|
|ds=2024-01-02|
+-------------+

OUT
expect_file create "printed tables" "$work/create.out" "$work/create.want"
for p in ds=2024-01-01 ds=2024-01-02; do
    if [ -d "$wh/spark-warehouse/purchases/$p" ]; then
        ok "create: partition folder $p"
    else
        bad create "no partition folder $wh/spark-warehouse/purchases/$p"
    fi
done
[ -d "$wh/metastore_db" ] && ok "create: Derby metastore in the warehouse" || bad create "no $wh/metastore_db"
if grep -q 'BEGIN JVM LOG' "$work/create.err"; then bad create "--quiet still printed the JVM log"; else ok "create: --quiet"; fi

# ---- 2: a second process; --output; PySparkUtils ----------------------------------
# The stand-in PySparkUtils (Chronon's jar is not available here), shaped like
# Chronon's: a config parsed from JSON by parse<Type>, Option and primitive
# parameters, and a BaseTableUtils interface made from the session.
mkdir -p "$work/fake/src" "$work/fake/classes"
cat >"$work/fake/src/BaseTableUtils.java" <<'JAVA'
package ai.chronon.spark;
public interface BaseTableUtils {
    org.apache.spark.sql.SparkSession sparkSession();
}
JAVA
cat >"$work/fake/src/TableUtils.java" <<'JAVA'
package ai.chronon.spark;
import org.apache.spark.sql.SparkSession;
public class TableUtils implements BaseTableUtils {
    private final SparkSession spark;
    public TableUtils(SparkSession spark) { this.spark = spark; }
    public SparkSession sparkSession() { return spark; }
}
JAVA
cat >"$work/fake/src/Conf.java" <<'JAVA'
package ai.chronon.spark;
public class Conf {
    public final String query;
    public Conf(String query) { this.query = query; }
}
JAVA
cat >"$work/fake/src/PySparkUtils.java" <<'JAVA'
package ai.chronon.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

public class PySparkUtils {
    public static Conf parseConf(String json) { return new Conf(json); }

    public static Dataset<Row> runQuery(Conf conf, long limit, boolean upper, scala.Option<Object> tag,
                                        BaseTableUtils tableUtils) {
        String t = (upper ? "UP:" : "low:") + (tag.isDefined() ? tag.get().toString() : "none");
        return tableUtils.sparkSession().sql(conf.query).limit((int) limit).selectExpr("*", "'" + t + "' AS tag");
    }

    /* Not Chronon's: a probe of the session the runtime built (test 5). */
    public static Dataset<Row> taskConf(BaseTableUtils tableUtils) throws Exception {
        return tableUtils.sparkSession().sql(ConfProbe.taskConf(tableUtils.sparkSession()));
    }
}
JAVA
cat >"$work/fake/src/ConfProbe.java" <<'JAVA'
package ai.chronon.spark;
import java.io.*;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/* The query that shows what a write task gets: FileFormatWriter's Job.getInstance(newHadoopConf)
 * configuration, Java-serialized and read back. */
public class ConfProbe {
    public static String taskConf(SparkSession spark) throws Exception {
        Configuration conf = spark.sessionState().newHadoopConf();
        Configuration job = org.apache.hadoop.mapreduce.Job.getInstance(conf).getConfiguration();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new SerializableConfiguration(job));
        }
        Configuration back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = ((SerializableConfiguration) in.readObject()).value();
        }
        int props = 0, fromFiles = 0, yarn = 0;
        for (java.util.Map.Entry<String, String> e : back) {
            props++;
            /* (mapred-default.xml has yarn.app.mapreduce.*: MapReduce's, kept) */
            if (e.getKey().startsWith("yarn.") && !e.getKey().startsWith("yarn.app.mapreduce."))
                yarn++;
            String[] src = back.getPropertySources(e.getKey());
            if (src != null)
                for (String s : src)
                    if (s.endsWith(".xml")) { fromFiles++; break; }
        }
        return "SELECT " + (props > 400) + " AS over_400_properties, " + fromFiles + " AS from_files, '"
            + back.get("mapreduce.job.reduces") + "' AS job_reduces, " + yarn + " AS yarn_properties, '"
            + back.get("yarn.probe.mine") + "' AS yarn_mine";
    }
}
JAVA
javac=javac
[ -n "${JAVA_HOME:-}" ] && javac=$JAVA_HOME/bin/javac
if ! "$javac" -nowarn -cp "$spark_jars/*" -d "$work/fake/classes" "$work"/fake/src/*.java 2>"$work/javac.err"; then
    bad pyspark-utils "javac failed: $(head -c 500 "$work/javac.err")"
fi
(cd "$work/fake/classes" && jar cf ../chronon-fake.jar . 2>/dev/null) ||
    (cd "$work/fake/classes" && "${javac%javac}jar" cf ../chronon-fake.jar .)

# Its classpath (with the stand-in jar, new each run) has no class-data archive;
# making one would cost more than it saves in a single run.
CHRONON_CDS_DIR=off CHRONON_LOG_LEVEL=info sql second --warehouse "$wh" --jars "$work/fake/chronon-fake.jar" --log-file "$work/second.log" \
    --output "$work/out.csv" --output "$work/out.jsonl" \
    "SELECT * FROM purchases ORDER BY ds, user_id" \
    --call-pyspark-utils runQuery \
    --arg "string:SELECT user_id, price FROM purchases WHERE ds = '2024-01-02' ORDER BY user_id" \
    --arg int:1 --arg bool:true --arg string:v1 --arg session
expect_rc second 0
cat >"$work/second.want" <<'OUT'
+-------+-----+----------+
|user_id|price|        ds|
+-------+-----+----------+
|  alice| 10.5|2024-01-01|
|    bob| null|2024-01-01|
|  alice| 3.25|2024-01-02|
|  carol| 99.0|2024-01-02|
+-------+-----+----------+

+-------+-----+-----+
|user_id|price|  tag|
+-------+-----+-----+
|  alice| 3.25|UP:v1|
+-------+-----+-----+

OUT
expect_file second "a second process sees the table; PySparkUtils.runQuery's result" "$work/second.out" "$work/second.want"
printf '%s\n' 'user_id,price,ds' 'alice,10.5,2024-01-01' 'bob,,2024-01-01' 'alice,3.25,2024-01-02' \
    'carol,99.0,2024-01-02' >"$work/out.csv.want"
expect_file second "--output CSV" "$work/out.csv" "$work/out.csv.want"
printf '%s\n' '{"user_id":"alice","price":10.5,"ds":"2024-01-01"}' '{"user_id":"bob","price":null,"ds":"2024-01-01"}' \
    '{"user_id":"alice","price":3.25,"ds":"2024-01-02"}' '{"user_id":"carol","price":99.0,"ds":"2024-01-02"}' \
    >"$work/out.jsonl.want"
expect_file second "--output JSON lines" "$work/out.jsonl" "$work/out.jsonl.want"
if ls "$work"/.out.* >/dev/null 2>&1; then bad second "temporary output files left behind"; else ok "second: no temporary files left"; fi
# Not quiet (and at log level info): Spark's log went to --log-file, and this
# run's lines of it come on stderr between the markers, nothing outside them.
if grep -qxF -- "----- BEGIN JVM LOG ($work/second.log) -----" "$work/second.err" &&
    grep -qxF -- "----- END JVM LOG -----" "$work/second.err"; then
    ok "second: the JVM log between markers"
else
    bad second "no JVM log markers on stderr"
fi
grep -q 'INFO SparkContext: Running Spark version 3.3' "$work/second.log" &&
    ok "second: Spark's log in --log-file" || bad second "Spark's log is not in $work/second.log"
awk '/^----- BEGIN JVM LOG/ { inside = 1 } !inside { print } /^----- END JVM LOG -----$/ { inside = 0 }' \
    "$work/second.err" >"$work/second.outside"
if [ -s "$work/second.outside" ]; then
    bad second "stderr has lines outside the JVM log markers:"
    head -n 20 "$work/second.outside" | sed 's/^/     | /'
else
    ok "second: nothing on stderr but the log"
fi

# ---- 3: a JVMTI agent or Flight Recorder with a class-data archive -----------------------
# Java 17.0.15 crashed (SIGSEGV in check_shared_class_file_load_hook) when
# -XX:StartFlightRecording met the archive: the runtime leaves the archive out
# for such options. A cache of this test's own: a run that writes the archive,
# one that adopts and maps it, then one with Flight Recorder.
cds=$work/cds
CHRONON_CDS_DIR=$cds sql cds-dump --warehouse "$wh" --quiet "SELECT COUNT(*) AS n FROM purchases"
CHRONON_CDS_DIR=$cds sql cds-map --warehouse "$wh" --quiet "SELECT COUNT(*) AS n FROM purchases"
expect_rc cds-map 0
if ls "$cds"/*.jsa >/dev/null 2>&1; then ok "cds: an archive in the cache"; else bad cds "no archive in $cds: $(ls "$cds")"; fi
CHRONON_CDS_DIR=$cds CHRONON_JVM_OPTS="-XX:StartFlightRecording=filename=$work/run.jfr -XX:FlightRecorderOptions=repository=$work/jfr" \
    sql cds-jfr --warehouse "$wh" --quiet "SELECT COUNT(*) AS n FROM purchases"
expect_rc cds-jfr 0
printf '%s\n' '+---+' '|  n|' '+---+' '|  4|' '+---+' '' >"$work/cds-jfr.want"
# (the JVM itself prints Flight Recorder's three start-up lines on stdout,
# whatever -Xlog says: the user's option, the user's lines)
grep -v '^\[[0-9.]*s\]\[info\]\[jfr,startup\]' "$work/cds-jfr.out" >"$work/cds-jfr.table"
expect_file cds-jfr "Flight Recorder on: the query's result" "$work/cds-jfr.table" "$work/cds-jfr.want"
[ -s "$work/run.jfr" ] && ok "cds-jfr: the recording was written" || bad cds-jfr "no recording in $work/run.jfr"

# ---- 4: a collector the user names replaces the runtime's (the JVM refuses two) ----------
CHRONON_JVM_OPTS="-XX:+UseSerialGC" sql serial-gc --warehouse "$wh" --quiet "SELECT COUNT(*) AS n FROM purchases"
expect_rc serial-gc 0
expect_file serial-gc "-XX:+UseSerialGC: the query's result" "$work/serial-gc.out" "$work/cds-jfr.want"

# ---- 5: a write task's Hadoop configuration: no resource-file lists, no YARN defaults ----
CHRONON_CDS_DIR=off sql task-conf --warehouse "$wh" --quiet --jars "$work/fake/chronon-fake.jar" \
    --conf spark.hadoop.yarn.probe.mine=kept --call-pyspark-utils taskConf --arg session
expect_rc task-conf 0
# (mapreduce.job.reduces: a mapred-default.xml property; its value is there.
# yarn.probe.mine: the user's, the one yarn.* property left)
printf '%s\n' '+-------------------+----------+-----------+---------------+---------+' \
    '|over_400_properties|from_files|job_reduces|yarn_properties|yarn_mine|' \
    '+-------------------+----------+-----------+---------------+---------+' \
    '|               true|         0|          1|              1|     kept|' \
    '+-------------------+----------+-----------+---------------+---------+' '' >"$work/task-conf.want"
expect_file task-conf "the default properties there but YARN's, none with its resource files" "$work/task-conf.out" "$work/task-conf.want"

exit $failed
