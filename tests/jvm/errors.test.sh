#!/usr/bin/env bash
# chrononc sql's errors: no JVM (JAVA_HOME / --java-home wrong, no java on
# PATH), bad SQL (the Java exception's class and message, exit 1), a missing
# class (PySparkUtils without Chronon's jar), usage (exit 2).
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, PYTHON.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
jvm_setup errors

# ---- no JVM: these fail before any JVM starts -------------------------------------
JAVA_HOME=/nonexistent sql java-home-missing --warehouse "$wh" "SELECT 1"
expect_rc java-home-missing 1
expect_err java-home-missing "JAVA_HOME=/nonexistent: no such folder"

mkdir -p "$work/not-a-jdk/bin"
JAVA_HOME=$work/not-a-jdk sql java-home-not-jdk --warehouse "$wh" "SELECT 1"
expect_rc java-home-not-jdk 1
expect_err java-home-not-jdk "is not a JDK or JRE home: it has no lib/server/libjvm.so"

sql java-home-option --java-home /nonexistent --warehouse "$wh" "SELECT 1"
expect_rc java-home-option 1
expect_err java-home-option "--java-home /nonexistent: no such folder"

rc=0
env -u JAVA_HOME PATH=/nonexistent "$chrononc" sql --warehouse "$wh" "SELECT 1" >"$work/no-java.out" 2>"$work/no-java.err" || rc=$?
echo "$rc" >"$work/no-java.rc"
expect_rc no-java 1
expect_err no-java "no Java found: tried --java-home (not given), JAVA_HOME (not set) and \`java\` on PATH (none)"

sql usage --warehouse "$wh" --no-such-option "SELECT 1"
expect_rc usage 2
expect_err usage "unknown option '--no-such-option'"

# ---- a Java exception: the class and the message ------------------------------------
sql parse-error --warehouse "$wh" --quiet "SELECT 1 AS fine" "SELEC 1"
expect_rc parse-error 1
expect_err parse-error "statement 2: error: org.apache.spark.sql.catalyst.parser.ParseException: Syntax error at or near 'SELEC'"
printf '+----+\n|fine|\n+----+\n|   1|\n+----+\n\n' >"$work/parse-error.want"
expect_file parse-error "the statement before the error ran" "$work/parse-error.out" "$work/parse-error.want"

sql analysis-error --warehouse "$wh" --quiet "SELECT no_such_column"
expect_rc analysis-error 1
expect_err analysis-error "error: org.apache.spark.sql.AnalysisException: "
expect_err analysis-error "no_such_column"

# ---- a class missing from the classpath: Chronon's PySparkUtils -----------------------
# (and the warehouse from $CHRONON_WAREHOUSE)
# (an empty jar cache: the default one holds Chronon's jar)
mkdir -p "$work/empty-jar-cache"
CHRONON_JAR_DIR=$work/empty-jar-cache CHRONON_WAREHOUSE=$work/env-warehouse \
    sql missing-class --quiet --call-pyspark-utils parseGroupBy --arg 'string:{}'
expect_rc missing-class 1
[ -d "$work/env-warehouse/logs" ] && ok "missing-class: the warehouse from CHRONON_WAREHOUSE" ||
    bad missing-class "no $work/env-warehouse/logs"
expect_err missing-class "class ai.chronon.spark.PySparkUtils not found on the classpath (jars given: none); put Chronon's spark_uber jar in the jar cache with \`make chronon-jar\`"

exit $failed
