#!/usr/bin/env bash
# chrononc --version (also `compile --version`, `check --version`): its
# numbers are the ones pinned elsewhere in the repo, so that they cannot
# drift: the Makefile's CHRONON_C_VERSION, .ci/install-deps.sh's chronon-ai,
# the release thrift/api.thrift follows, README's Thrift and Spark, the
# Thrift compiler installed, and the engine jar the JVM tests run.
set -euo pipefail
fail() { echo "FAIL: $*"; exit 1; }
out=$($RUNNER "$BUILD/chrononc" --version) || fail "exit $?"
for cmd in compile check import eval build json sql; do
    [ "$($RUNNER "$BUILD/chrononc" $cmd --version)" = "$out" ] || fail "chrononc $cmd --version differs"
done
header=runtime/chronon_c_version.h
def() { sed -n "s/^#define $1 \"\(.*\)\"$/\1/p" "$header"; }
ours=$(def CHRONON_C_VERSION) ai=$(def CHRONON_C_CHRONON_AI_VERSION) thrift=$(def CHRONON_C_THRIFT_VERSION)
spark=$(def CHRONON_C_SPARK_VERSION) jar=$(def CHRONON_C_CHRONON_JAR)
[ -n "$ours" ] && [ -n "$ai" ] && [ -n "$thrift" ] && [ -n "$spark" ] && [ -n "$jar" ] || fail "$header: a version is missing"

[ "$(head -n 1 <<<"$out")" = "chrononc $ours" ] || fail "first line: $(head -n 1 <<<"$out")"
grep -qx "Chronon API (Thrift IDL): chronon-ai $ai (thrift/api.thrift, field for field its ai/chronon/api/ttypes.py)" <<<"$out" || fail "IDL line"
grep -qx "Apache Thrift compiler: $thrift (thrift --gen json, at build time)" <<<"$out" || fail "Thrift line"
grep -qx "tested with: Chronon engine $jar, Spark $spark (Scala 2.12), Java 17" <<<"$out" || fail "engine line"

# where each is pinned
if grep -q '^CHRONON_C_VERSION' Makefile; then
    [ "$(sed -n 's/^CHRONON_C_VERSION *?*= *//p' Makefile)" = "$ours" ] || fail "Makefile's CHRONON_C_VERSION is not $ours"
fi
grep -qx "CHRONON_AI_VERSION=$ai" .ci/install-deps.sh || fail ".ci/install-deps.sh pins another chronon-ai than $ai"
head -n 1 thrift/api.thrift | grep -q "chronon-ai $ai " || fail "thrift/api.thrift follows another chronon-ai than $ai"
grep -q "^| chronon-ai (PyPI) | $ai |" README.md || fail "README's chronon-ai is not $ai"
grep -q "^| Apache Thrift compiler (Debian) | $thrift |" README.md || fail "README's Thrift is not $thrift"
grep -q "^| Spark | $spark " README.md || fail "README's Spark is not $spark"
[ "$(thrift --version)" = "Thrift version $thrift" ] || fail "the installed thrift is $(thrift --version), not $thrift"
[ -f "$SHARED/chronon-jars/$jar" ] || fail "no $SHARED/chronon-jars/$jar: the engine jar the JVM tests run is another"
echo "chrononc --version: $ours; chronon-ai $ai, Thrift $thrift, Spark $spark, $jar: each as pinned"
