# Shared by tests/build/*.test.sh (sourced; not a test itself).
# Environment from tests/run.sh: BUILD, RUNNER, PYTHON.

# A fresh temp dir under $BUILD, removed on exit.
make_tmp() {
    tmp=$(mktemp -d "$BUILD/exe.XXXXXX")
    tmp=$(cd "$tmp" && pwd)
    trap 'rm -rf "$tmp"' EXIT
}

# Copy examples/quickstart to $1, compile it and build its executables.
build_quickstart() {
    cp -r examples/quickstart "$1"
    $RUNNER "$BUILD/chrononc" compile --chronon_root "$1" -y
    $RUNNER "$BUILD/chrononc" build --chronon_root "$1"
}

QUICKSTART_CONFIGS=(
    group_bys/quickstart/purchases.v1
    group_bys/quickstart/returns.v1
    group_bys/quickstart/users.v1
    joins/quickstart/training_set.v1
    staging_queries/quickstart/daily_spend.v1
)

# The JVM parts run in the plain pass only: a JVM under valgrind or ASan is
# neither useful nor reliable. Says so when it skips.
jvm_pass() {
    case "$RUNNER" in *valgrind*) echo "jvm parts run in the plain pass only"; return 1 ;; esac
    case "$BUILD" in *-asan) echo "jvm parts run in the plain pass only"; return 1 ;; esac
    return 0
}

fail() { echo "FAIL: $*" >&2; exit 1; }
