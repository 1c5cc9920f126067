# Shared by tests/engine/*.test.sh (sourced): tests that run configs on
# Chronon's real engine through the executables `chrononc build` makes.
#
# engine_setup NAME does what tests/jvm/lib.sh's jvm_setup does (plain pass
# only, with a printed line under ASan/valgrind; a missing Java or pyspark
# FAILS) and also requires Chronon's jar in chronon-c's jar cache, which
# `make check` fills (make chronon-jar); a missing jar FAILS too. Then:
#   engine_build REPO_DIR     copy a definition repo into $work/repo, compile it
#                             and build its executables ($repo = the copy)
#   engine_sql NAME ARGS...   chrononc sql on the test's warehouse
#   engine_run NAME CONFIG ARGS...
#                             $repo/build/CONFIG ARGS... on the warehouse
# ENGINE_KEEP_WORK=1 keeps $work after the test.
# engine_sql and engine_run keep stdout, stderr, the JVM log and the exit
# status in $work/NAME.{out,err,log,rc}, print the time taken, and on a
# failure print the end of stderr and return 1.

# shellcheck source=tests/jvm/lib.sh
source tests/jvm/lib.sh

engine_setup() {
    jvm_setup "$1"
    local cache=${XDG_CACHE_HOME:-$HOME/.cache}/chronon-c/jars
    ls "$cache"/*.jar >/dev/null 2>&1 ||
        { echo "FAIL: Chronon's jar is not in $cache: run make chronon-jar (make check does)"; exit 1; }
    export CHRONON_WAREHOUSE=$wh
    engine_start=$SECONDS
    # ENGINE_KEEP_WORK=1 keeps the work folder (outputs, logs, warehouse) to look at.
    if [ -n "${ENGINE_KEEP_WORK:-}" ]; then
        trap 'echo "     (work folder kept: $work)"' EXIT
    fi
}

engine_build() {
    repo=$work/repo
    cp -r "$1" "$repo"
    rm -rf "$repo/production" "$repo/build"
    "$chrononc" compile --chronon_root "$repo" -y >"$work/compile.out" 2>&1 ||
        { echo "FAIL compile $1:"; sed 's/^/     | /' "$work/compile.out"; exit 1; }
    "$chrononc" build --chronon_root "$repo" >"$work/build.out" 2>&1 ||
        { echo "FAIL build $1:"; sed 's/^/     | /' "$work/build.out"; exit 1; }
    ok "compiled and built $(grep -c '^built ' "$work/build.out") configs of $1"
}

# _engine_do NAME PROGRAM COMMAND ARGS...: run PROGRAM COMMAND --quiet
# --log-file ... ARGS (10 minutes at most) with NAME's files.
_engine_do() {
    local name=$1 program=$2 command=$3 start=$SECONDS rc=0
    shift 3
    timeout 600 "$program" "$command" --quiet --log-file "$work/$name.log" "$@" \
        >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    echo "$rc" >"$work/$name.rc"
    echo "     ($name: exit $rc in $((SECONDS - start))s)"
    if [ "$rc" -ne 0 ]; then
        bad "$name" "exit $rc"
        sed 's/^/     | /' "$work/$name.err" | tail -n 40
        return 1
    fi
}

engine_sql() {
    local name=$1
    shift
    _engine_do "$name" "$chrononc" sql "$@"
}

engine_run() {
    local name=$1 config=$2
    shift 2
    _engine_do "$name" "$repo/build/$config" "$@"
}
