# Shared by tests/jvm/*.test.sh (sourced): the plain-pass-only rule, the
# requirements (a JDK, pyspark's Spark jars), a work folder, and helpers to run
# `chrononc sql` and check what it did.
#
# The JVM uses SIGSEGV internally and cannot run under valgrind or ASan, so
# these tests run in the plain pass only; there they never skip: a missing
# Java or pyspark fails them.

BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
PYTHON=${PYTHON:-python3}

jvm_setup() {
    local name=$1
    case "$RUNNER" in
    *valgrind* | *sanitiz* | *asan*)
        echo "jvm tests run in the plain pass only (RUNNER=$RUNNER)"
        exit 0
        ;;
    esac
    case "$BUILD" in
    *-asan | *-valgrind)
        echo "jvm tests run in the plain pass only (BUILD=$BUILD)"
        exit 0
        ;;
    esac
    chrononc=$BUILD/chrononc
    [ -x "$chrononc" ] || { echo "FAIL: missing $chrononc (run make first)"; exit 1; }
    if [ -n "${JAVA_HOME:-}" ]; then
        [ -x "$JAVA_HOME/bin/java" ] || { echo "FAIL: JAVA_HOME=$JAVA_HOME has no bin/java"; exit 1; }
    else
        command -v java >/dev/null || { echo "FAIL: no java on PATH and JAVA_HOME unset: install a JDK (17)"; exit 1; }
    fi
    spark_jars=$("$PYTHON" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))' 2>/dev/null)
    [ -n "$spark_jars" ] && ls "$spark_jars"/spark-sql_*.jar >/dev/null 2>&1 ||
        { echo "FAIL: pyspark's Spark jars not found ($PYTHON cannot import pyspark): pip install pyspark==3.3.1"; exit 1; }
    mkdir -p "$BUILD"
    work=$(mktemp -d "$BUILD/jvm-$name.XXXXXX")
    work=$(cd "$work" && pwd)
    trap 'rm -rf "$work"' EXIT
    wh=$work/warehouse
    failed=0
    # The tests pin what they depend on.
    unset CHRONON_JARS CHRONON_WAREHOUSE SPARK_HOME CHRONON_LOG_LEVEL CHRONON_JVM_OPTS
}

# sigint_default CMD...: exec CMD with SIGINT's default action, whatever this
# shell inherited. A test started in the background of a non-interactive shell
# (or under nohup) has SIGINT ignored, and `set -m` cannot undo that; the
# runtime leaves an ignored SIGINT ignored, as it should, so a Ctrl-C test
# must give its program the disposition a terminal would. Use in a background
# job: `sigint_default prog args &` (the job's pid is then prog's).
sigint_default() {
    exec "$PYTHON" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1: $2"
    failed=1
}

# sql NAME [chrononc sql arguments...]: run it (5 minutes at most) with its
# stdout, stderr and status in $work/NAME.{out,err,rc}; prints the time taken.
sql() {
    local name=$1 start=$SECONDS rc=0
    shift
    timeout 300 "$chrononc" sql "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    echo "$rc" >"$work/$name.rc"
    echo "     ($name: exit $rc in $((SECONDS - start))s)"
}

# expect_rc NAME STATUS
expect_rc() {
    local got
    got=$(cat "$work/$1.rc")
    if [ "$got" = "$2" ]; then
        ok "$1: exit $2"
    else
        bad "$1" "exit $got, wanted $2"
        sed 's/^/     | /' "$work/$1.err" | tail -n 40
    fi
}

# expect_err NAME TEXT: stderr holds TEXT
expect_err() {
    if grep -qF -- "$2" "$work/$1.err"; then
        ok "$1: says '$2'"
    else
        bad "$1" "stderr lacks: $2"
        sed 's/^/     | /' "$work/$1.err" | tail -n 40
    fi
}

# expect_file NAME WHAT FILE EXPECTED-FILE: FILE's bytes are EXPECTED-FILE's
expect_file() {
    if cmp -s "$3" "$4"; then
        ok "$1: $2"
    else
        bad "$1" "$2 differs (< got, > wanted)"
        diff "$3" "$4" | sed 's/^/     | /' | head -n 40
    fi
}
