/* The versions chronon-c is and is tested with, printed by `chrononc
 * --version` (and meant for the executables' --version too). Each is pinned
 * elsewhere; tests/cli/version.test.sh fails when one of these drifts from
 * its source:
 *   CHRONON_C_VERSION             Makefile's CHRONON_C_VERSION
 *   CHRONON_C_CHRONON_AI_VERSION  .ci/install-deps.sh's CHRONON_AI_VERSION, and the release
 *                                 thrift/api.thrift follows (its first line)
 *   CHRONON_C_THRIFT_VERSION      README's "Pinned versions" table (Debian's thrift-compiler)
 *   CHRONON_C_SPARK_VERSION       README's table (pyspark's Spark)
 *   CHRONON_C_CHRONON_JAR         the engine jar the JVM tests run (../shared/chronon-jars) */
#ifndef CHRONON_C_VERSION_H
#define CHRONON_C_VERSION_H

#define CHRONON_C_VERSION "0.1.0"
#define CHRONON_C_CHRONON_AI_VERSION "0.0.115"
#define CHRONON_C_THRIFT_VERSION "0.17.0"
#define CHRONON_C_SPARK_VERSION "3.3.1"
#define CHRONON_C_SCALA_VERSION "2.12"
#define CHRONON_C_CHRONON_JAR "chronon-spark_uber_2.12-0.0.115-SNAPSHOT-spark3.3.1.jar"

/* The lines `--version` prints after the program's own name and version. */
#define CHRONON_C_VERSION_DETAILS                                                                     \
    "Chronon API (Thrift IDL): chronon-ai " CHRONON_C_CHRONON_AI_VERSION                               \
    " (thrift/api.thrift, field for field its ai/chronon/api/ttypes.py)\n"                             \
    "configs: byte for byte what chronon-ai " CHRONON_C_CHRONON_AI_VERSION "'s compile.py writes\n"     \
    "Apache Thrift compiler: " CHRONON_C_THRIFT_VERSION " (thrift --gen json, at build time)\n"         \
    "tested with: Chronon engine " CHRONON_C_CHRONON_JAR ", Spark " CHRONON_C_SPARK_VERSION               \
    " (Scala " CHRONON_C_SCALA_VERSION "), Java 17\n"

#endif
