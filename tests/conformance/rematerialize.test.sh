#!/usr/bin/env bash
# Compiling over an existing production/ tree: compile.py's rules that depend
# on what is already materialized, checked step by step against compile.py.
#
# Two copies of the conformance repo are compiled in full (compile.py per
# folder; chrononc whole-repo), then edited the same way and compiled again,
# one file at a time, by both. After every step both must exit alike (0 or
# not) and leave byte-identical production/ trees:
#   * dependents: a GroupBy written again makes the materialized Joins that
#     embed it compile again from their files (--force-overwrite), or fails
#     the run without it; a Join written again does the same to the GroupBys
#     whose JoinSource reads it;
#   * the online guard: without --force-overwrite a Join materialized as online
#     is not replaced by a different one (compile.py warns and exits 0);
#   * samplePercent: dropped with -y; kept when compile.py is answered "no"
#     (chrononc: --preserve-sample-percent);
#   * modeToEnvMap: replaced with -y; kept when compile.py is answered "no"
#     (chrononc: --preserve-env), down to the join parts' GroupBys.
set -euo pipefail
tmp=$(cd "$(mktemp -d "$BUILD/rematerialize.XXXXXX")" && pwd) # absolute: steps run in other folders
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
PYTHON=${PYTHON:-python3}

# compile.py's main with its glob() sorted, as oracle.sh runs it
compile_py='
import glob
import ai.chronon.repo.extract_objects as eo
_glob = glob.glob
class _SortedGlob:
    @staticmethod
    def glob(pattern, recursive=False):
        return sorted(_glob(pattern, recursive=recursive))
eo.glob = _SortedGlob
from ai.chronon.repo.compile import extract_and_convert
extract_and_convert(prog_name="compile.py")
'
py=$tmp/py/repo c=$tmp/c/repo
mkdir -p "$tmp/py" "$tmp/c"
cp -R tests/conformance/repo "$py"
cp -R tests/conformance/repo "$c"

# run_py STDIN ARGS...: compile.py in the compile.py copy; status in $py_rc
run_py() {
    local answers=$1; shift
    py_rc=0
    (cd "$py" && printf "$answers" | PYTHONPATH="$py" PYTHONDONTWRITEBYTECODE=1 \
        "$PYTHON" -c "$compile_py" --chronon_root "$py" "$@" >"$tmp/py.log" 2>&1) || py_rc=$?
}
run_c() {
    c_rc=0
    $RUNNER "$BUILD/chrononc" compile --chronon_root "$c" "$@" >"$tmp/c.log" 2>&1 || c_rc=$?
}

failures=0
# compare NAME: same exit (0 or not) and the same production/ tree
compare() {
    local name=$1 ok=1
    if [ $((py_rc == 0)) -ne $((c_rc == 0)) ]; then
        echo "FAIL $name: compile.py exit $py_rc, chrononc exit $c_rc"; ok=0
    fi
    if ! diff -r "$py/production" "$c/production" >"$tmp/diff" 2>&1; then
        echo "FAIL $name: production/ trees differ:"; head -40 "$tmp/diff"; ok=0
    fi
    if [ $ok = 1 ]; then
        echo "ok   $name (exit $py_rc / $c_rc)"
    else
        echo "  compile.py log:"; sed 's/^/    | /' "$tmp/py.log" | grep -v '^    | *[A-Za-z ]* - ' | head -20
        echo "  chrononc log:"; sed 's/^/    | /' "$tmp/c.log" | head -20
        failures=$((failures + 1))
    fi
}
# step NAME INPUT_PATH [OPTION...]: both compile INPUT_PATH with -y and the options
step() {
    local name=$1 input=$2; shift 2
    run_py '' --input_path "$input" -y "$@"
    run_c --input_path "$input" -y "$@"
    compare "$name"
}
# expect_in_log NAME c|py TEXT: chrononc (c) or compile.py (py, a check of the test) said TEXT
expect_in_log() {
    if grep -qF -- "$3" "$tmp/$2.log"; then echo "ok   $1"; else
        echo "FAIL $1: $2 did not say: $3"; sed 's/^/    | /' "$tmp/$2.log" | head -20
        failures=$((failures + 1)); fi
}
edit() { # edit FILE SED-EXPR: the same edit in both copies; it must change the file
    local f
    for f in "$py/$1" "$c/$1"; do
        cp "$f" "$tmp/before"
        sed -i "$2" "$f"
        if cmp -s "$f" "$tmp/before"; then echo "test bug: edit of $1 changed nothing"; exit 1; fi
    done
}

# ---- the starting point: everything materialized ------------------------------------------------
for pass in group_bys joins staging_queries; do
    run_py '' --input_path "$pass" -y --force-overwrite
    [ "$py_rc" = 0 ] || { echo "compile.py $pass failed:"; cat "$tmp/py.log"; exit 1; }
done
run_c --force-overwrite -y
compare "full compile"

# ---- a GroupBy used by materialized Joins ------------------------------------------------------
# unchanged and online: written again, so its Joins must be too
step "unchanged GroupBy with dependent Joins, no --force-overwrite: fails" group_bys/commerce/purchases.py
expect_in_log "  names the dependents" c "pass --force-overwrite to compile them too"
# changed, offline and backfilled (the online guard does not hold it back)
edit group_bys/commerce/returns.py 's/backfill_start_date="2023-01-01"/backfill_start_date="2023-02-01"/'
step "changed GroupBy with dependent Joins, no --force-overwrite: fails, GroupBy written" group_bys/commerce/returns.py
step "changed GroupBy with dependent Joins, --force-overwrite: Joins compiled again" group_bys/commerce/returns.py --force-overwrite

# ---- a Join read by a chained GroupBy -------------------------------------------------------------
# online, but only its metaData changes: the online guard lets it through
edit joins/growth/user_engagement.py 's/One row per web session/One row per web session (v2)/'
step "Join with a dependent GroupBy, no --force-overwrite: fails" joins/growth/user_engagement.py
step "Join with a dependent GroupBy, --force-overwrite: GroupBy compiled again" joins/growth/user_engagement.py --force-overwrite

# ---- an online Join: not replaced without --force-overwrite ---------------------------------------
edit joins/commerce/purchase_online.py 's/"request_id", "user_id", "product_id"/"request_id", "user_id", "product_id", "channel"/'
step "changed online Join, no --force-overwrite: kept" joins/commerce/purchase_online.py
expect_in_log "  says why" c "is materialized as online and differs"

# ---- samplePercent no longer set ------------------------------------------------------------------
edit joins/risk/fraud_model.py '/sample_percent=100.0,/d'
run_py 'y\nn\n' --input_path joins/risk/fraud_model.py --force-overwrite
run_c --input_path joins/risk/fraud_model.py --force-overwrite --preserve-sample-percent
compare "samplePercent unset, answered 'keep' / --preserve-sample-percent"
grep -q '"samplePercent": 100.0' "$c/production/joins/risk/fraud_model.v1" ||
    { echo "FAIL: --preserve-sample-percent did not keep samplePercent"; failures=$((failures + 1)); }
step "samplePercent unset, -y: dropped" joins/risk/fraud_model.py --force-overwrite
expect_in_log "  warns" c "drops samplePercent 100"

# ---- a join part's env changed -------------------------------------------------------------------------
edit group_bys/commerce/orders.py 's/"EXECUTOR_MEMORY": "12G"/"EXECUTOR_MEMORY": "16G"/'
run_py 'n\n' --input_path joins/commerce/purchase_online.py --force-overwrite
run_c --input_path joins/commerce/purchase_online.py --force-overwrite --preserve-env
[ "$c_rc" = 0 ] || { echo "FAIL: chrononc --preserve-env exit $c_rc"; cat "$tmp/c.log"; failures=$((failures + 1)); }
compare "env changed, answered 'keep' / --preserve-env"
grep -q '"EXECUTOR_MEMORY": "12G"' "$c/production/joins/commerce/purchase_online.v1" ||
    { echo "FAIL: --preserve-env did not keep the join part's old env"; failures=$((failures + 1)); }
step "env changed, -y: replaced" joins/commerce/purchase_online.py --force-overwrite

# ---- a join part that is going to be deprecated: a warning, the Join is written -------------------
edit group_bys/commerce/returns.py 's/historical_backfill=False,/historical_backfill=False, deprecation_date="2030-01-01",/'
step "deprecated GroupBy, dependent Joins compiled again" group_bys/commerce/returns.py --force-overwrite
expect_in_log "  warns about the dependents" c "are missing deprecationDate or have a later one than commerce.returns.v1"
expect_in_log "  compile.py warns too" py "are missing deprecationDate or has a later deprecationDate than upstream commerce.returns.v1"
step "Join over a deprecated GroupBy" joins/commerce/checkout_model.py --force-overwrite
expect_in_log "  warns about the join part" c "Join part commerce.returns.v1 is going to be deprecated by 2030-01-01"
expect_in_log "  compile.py warns too" py "Join part commerce.returns.v1 is going to be deprecated by 2030-01-01"

[ "$failures" = 0 ] || { echo "$failures step(s) differ from compile.py"; exit 1; }
echo "rematerialize: every step matches compile.py"
