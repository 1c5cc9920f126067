#!/usr/bin/env bash
# Chronon's engine jar as a user gets it: runtime/jvm/fetch_chronon_jar.sh
# (make chronon-jar) tries Maven Central through the real `mvn`, falls back to
# a folder with the jar and SHA256SUMS (../shared/chronon-jars), checks the
# checksum, and fills a jar cache; the runtime then finds PySparkUtils there
# with no variable set, and does not without it.
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, PYTHON, SHARED.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
jvm_setup jar-cache
fetch=runtime/jvm/fetch_chronon_jar.sh
src=${SHARED:-../shared}/chronon-jars
[ -f "$src/SHA256SUMS" ] || { echo "FAIL: $src/SHA256SUMS missing (the shared jar folder)"; exit 1; }
jar=$(awk '$2 ~ /\.jar$/ {print $2; exit}' "$src/SHA256SUMS")
sum=$(awk '$2 ~ /\.jar$/ {print $1; exit}' "$src/SHA256SUMS")

# fetch NAME [env...] -- [args...]: run the script, status and output in $work/NAME.*
fetch() {
    local name=$1 rc=0
    shift
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env "${envs[@]}" bash "$fetch" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    echo "$rc" >"$work/$name.rc"
}

# ---- the fallback: Maven Central (real mvn) does not serve ai.chronon here ---------------
cache=$work/cache
fetch first CHRONON_JAR_DIR="$cache" CHRONON_JAR_SOURCE="$src" --
expect_rc first 0
if command -v mvn >/dev/null; then
    expect_err first "trying Maven Central: ai.chronon:spark_uber_2.12:0.0.115"
fi
[ "$(sha256sum "$cache/$jar" 2>/dev/null | cut -d' ' -f1)" = "$sum" ] &&
    ok "first: the cache holds $jar with the SHA256SUMS checksum" || bad first "no verified $cache/$jar"
grep -qx "sha256=$sum" "$cache/SOURCE" && grep -q "^from=.*built from Chronon's source for Spark 3.3.1" "$cache/SOURCE" &&
    ok "first: SOURCE names the jar, its checksum and where it came from" || bad first "SOURCE: $(cat "$cache/SOURCE")"
[ -z "$(find "$cache" -name '.fetch.*')" ] && ok "first: no staging folder left" || bad first "staging left"

# Again: a no-op (the cached jar is intact; Maven is not asked).
fetch again CHRONON_JAR_DIR="$cache" CHRONON_JAR_SOURCE="$src" --
expect_rc again 0
[ ! -s "$work/again.err" ] && ok "again: nothing to do, nothing said" || bad again "said: $(cat "$work/again.err")"
fetch check CHRONON_JAR_DIR="$cache" -- --check
expect_rc check 0
expect_err check "$jar ("

# A damaged cache is fetched again.
chmod u+w "$cache/$jar" && printf 'x' >>"$cache/$jar"
fetch repair CHRONON_JAR_DIR="$cache" CHRONON_JAR_SOURCE="$src" -- --no-maven
expect_rc repair 0
[ "$(sha256sum "$cache/$jar" | cut -d' ' -f1)" = "$sum" ] && ok "repair: a damaged cached jar is replaced" ||
    bad repair "still damaged"

# ---- refusals: a jar whose checksum does not match, no source at all ---------------------
mkdir -p "$work/tampered"
cp "$src/SHA256SUMS" "$work/tampered/"
cp "$src/$jar" "$work/tampered/$jar" && chmod u+w "$work/tampered/$jar" && printf 'x' >>"$work/tampered/$jar"
fetch tampered CHRONON_JAR_DIR="$work/cache2" CHRONON_JAR_SOURCE="$work/tampered" -- --no-maven
expect_rc tampered 1
expect_err tampered "$work/tampered/$jar: checksum does not match SHA256SUMS"
[ -z "$(find "$work/cache2" -name '*.jar' 2>/dev/null)" ] && ok "tampered: nothing cached" || bad tampered "a jar was cached"

fetch nothing CHRONON_JAR_DIR="$work/cache3" CHRONON_JAR_SOURCE="$work/nowhere" -- --no-maven
expect_rc nothing 1
expect_err nothing "no Chronon jar could be had:"
expect_err nothing "$work/nowhere: no SHA256SUMS there"
expect_err nothing "Pass one yourself with --jars JAR or CHRONON_JARS=JAR."
fetch check-empty CHRONON_JAR_DIR="$work/cache3" -- --check
expect_rc check-empty 1
expect_err check-empty "holds no verified jar; run: make chronon-jar"

# ---- the runtime finds the cached jar with no variable set --------------------------------
# (PySparkUtils.parseGroupBy on a minimal GroupBy: Chronon's own parser answers)
gb='{"metaData": {"name": "t.gb"}, "keyColumns": ["k"], "sources": []}'
CHRONON_JAR_DIR=$cache sql found --warehouse "$wh" --quiet --show 0 --call-pyspark-utils parseGroupBy --arg "string:$gb"
expect_rc found 0
mkdir -p "$work/empty"
CHRONON_JAR_DIR=$work/empty sql not-found --warehouse "$wh" --quiet --call-pyspark-utils parseGroupBy --arg "string:$gb"
expect_rc not-found 1
expect_err not-found "class ai.chronon.spark.PySparkUtils not found on the classpath"
# CHRONON_JARS wins over the cache: a folder without Chronon's jar hides the cached one.
CHRONON_JARS=$work/empty CHRONON_JAR_DIR=$cache sql jars-win --warehouse "$wh" --quiet \
    --call-pyspark-utils parseGroupBy --arg "string:$gb"
expect_rc jars-win 1
expect_err jars-win "class ai.chronon.spark.PySparkUtils not found on the classpath"

exit $failed
