#!/usr/bin/env bash
# Put Chronon's Spark engine jar (ai.chronon.spark.PySparkUtils, Driver, ...)
# into chronon-c's jar cache, where every executable finds it with no variable
# set (runtime/jvm/crt_find.c reads the same folder):
#
#   ${CHRONON_JAR_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/chronon-c/jars}/
#
# Sources, first that works wins:
#   1. Maven Central, through the ordinary Maven client (`mvn dependency:copy`):
#      ai.chronon:spark_uber_2.12:$CHRONON_VERSION, what Chronon users get
#      elsewhere. That artifact is built against Spark 3.1.1 (Scala 2.12).
#   2. A folder holding Chronon's jar built from source for Spark 3.3.1 and a
#      SHA256SUMS file that names it (default: ../shared/chronon-jars beside
#      this repository; CHRONON_JAR_SOURCE=DIR names another). The checksum is
#      checked before the jar is taken.
# The cache then holds exactly one jar and a SOURCE file saying where it came
# from. Running again is a no-op while that jar is intact (its checksum is
# kept in SOURCE). Exit 0 when the cache holds a jar, 1 (with why) when no
# source could give one.
#
# Options: --check (report what the cache holds, fetch nothing), --force
# (fetch again), --no-maven (skip step 1, e.g. offline).
set -euo pipefail

CHRONON_VERSION=${CHRONON_VERSION:-0.0.115}
ARTIFACT="ai.chronon:spark_uber_2.12:$CHRONON_VERSION"
here=$(cd "$(dirname "$0")/../.." && pwd)
home=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
dest=${CHRONON_JAR_DIR:-${XDG_CACHE_HOME:-$home/.cache}/chronon-c/jars}
source_dir=${CHRONON_JAR_SOURCE:-$here/../shared/chronon-jars}

check=0 force=0 maven=1
for a in "$@"; do
    case "$a" in
    --check) check=1 ;;
    --force) force=1 ;;
    --no-maven) maven=0 ;;
    *) echo "usage: $0 [--check] [--force] [--no-maven]" >&2; exit 2 ;;
    esac
done

say() { echo "chronon-jar: $*" >&2; }

# The cache is intact when SOURCE names a jar that is there with its checksum.
cached_ok() {
    [ -f "$dest/SOURCE" ] || return 1
    local jar sum
    jar=$(sed -n 's/^jar=//p' "$dest/SOURCE")
    sum=$(sed -n 's/^sha256=//p' "$dest/SOURCE")
    [ -n "$jar" ] && [ -f "$dest/$jar" ] || return 1
    [ "$(sha256sum "$dest/$jar" | cut -d' ' -f1)" = "$sum" ]
}

if [ $check = 1 ]; then
    if cached_ok; then
        say "$dest: $(sed -n 's/^jar=//p' "$dest/SOURCE") ($(sed -n 's/^from=//p' "$dest/SOURCE"))"
        exit 0
    fi
    say "$dest holds no verified jar; run: make chronon-jar"
    exit 1
fi
if [ $force = 0 ] && cached_ok; then
    exit 0
fi

mkdir -p "$dest"
stage=$(mktemp -d "$dest/.fetch.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# install NAME FROM: move the staged jar into the cache, replacing what was there.
install_jar() {
    local name=$1 from=$2 sum
    sum=$(sha256sum "$stage/$name" | cut -d' ' -f1)
    find "$dest" -maxdepth 1 -type f -name '*.jar' ! -name "$name" -delete
    mv -f "$stage/$name" "$dest/$name"
    printf 'jar=%s\nsha256=%s\nfrom=%s\n' "$name" "$sum" "$from" >"$stage/SOURCE"
    mv -f "$stage/SOURCE" "$dest/SOURCE"
    say "$dest/$name ($from)"
}

why=()
if [ $maven = 1 ]; then
    if command -v mvn >/dev/null 2>&1; then
        say "trying Maven Central: $ARTIFACT"
        if mvn -q -B dependency:copy -Dartifact="$ARTIFACT" -DoutputDirectory="$stage" \
            -Dmdep.useBaseVersion=true >"$stage/mvn.log" 2>&1; then
            name=spark_uber_2.12-$CHRONON_VERSION.jar
            if [ -f "$stage/$name" ]; then
                install_jar "$name" "maven $ARTIFACT (built for Spark 3.1.1)"
                exit 0
            fi
        fi
        if grep -q 'Could not transfer\|UnknownHost\|Connection refused\|timed out' "$stage/mvn.log"; then
            why+=("Maven Central could not be reached for $ARTIFACT")
        else
            why+=("Maven Central does not serve $ARTIFACT here")
        fi
    else
        why+=("Maven Central: no mvn on PATH (apt-get install maven)")
    fi
fi

[ ${#why[@]} -eq 0 ] || say "${why[0]}; trying $source_dir"
if [ -f "$source_dir/SHA256SUMS" ]; then
    name=$(awk '$2 ~ /\.jar$/ {sub(/^\*/, "", $2); print $2; exit}' "$source_dir/SHA256SUMS")
    if [ -z "$name" ] || [ ! -f "$source_dir/$name" ]; then
        why+=("$source_dir: SHA256SUMS names no jar that is there")
    elif ! (cd "$source_dir" && grep -F " $name" SHA256SUMS | sha256sum -c --quiet - >/dev/null 2>&1); then
        why+=("$source_dir/$name: checksum does not match SHA256SUMS")
    else
        cp "$source_dir/$name" "$stage/$name.part"
        mv "$stage/$name.part" "$stage/$name"
        # Check the copy too: the cache must hold exactly what SHA256SUMS names.
        want=$(grep -F " $name" "$source_dir/SHA256SUMS" | cut -d' ' -f1)
        if [ "$(sha256sum "$stage/$name" | cut -d' ' -f1)" != "$want" ]; then
            why+=("$source_dir/$name: the copy's checksum differs")
        else
            install_jar "$name" "$(cd "$source_dir" && pwd)/$name, built from Chronon's source for Spark 3.3.1"
            exit 0
        fi
    fi
else
    why+=("$source_dir: no SHA256SUMS there (CHRONON_JAR_SOURCE=DIR names a folder with the jar and SHA256SUMS)")
fi

say "no Chronon jar could be had:"
for w in "${why[@]}"; do echo "  - $w" >&2; done
echo "  Pass one yourself with --jars JAR or CHRONON_JARS=JAR." >&2
exit 1
