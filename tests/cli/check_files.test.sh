#!/usr/bin/env bash
# chrononc check FILE...: which definition files the changed files affect.
# The quickstart plus a helper module two imports away (a relative import in
# sources/util/windows.py), an empty folder, and a GroupBy using the helper:
#   sources/util/constants.py  -> extra.py only (through windows.py)
#   sources/quickstart.py      -> every GroupBy and the Join that imports them
#   group_bys/.../purchases.py -> itself and the Join
#   joins/.../training_set.py  -> itself
#   teams.json                 -> the whole repo (the plain summary)
#   a file outside the root, a folder, a non-Python file -> nothing
# Then: the errors of a broken helper are reported through its importer, an
# untouched broken definition is not checked, a missing file is exit 2, and
# files with --input_path are refused.
set -euo pipefail
tmp=$(cd "$(mktemp -d "$BUILD/check_files.XXXXXX")" && pwd)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/    | /' "$tmp/err"; exit 1; }
cc=$ROOT/$BUILD/chrononc
cp -r examples/quickstart "$tmp/r"
cd "$tmp/r"
mkdir -p sources/util empty/folder
printf 'from .constants import DAYS\n' >sources/util/windows.py
printf 'DAYS = [3, 14]\n' >sources/util/constants.py
cat >group_bys/quickstart/extra.py <<'PY'
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from sources import quickstart
from sources.util.windows import DAYS

v1 = GroupBy(
    sources=[quickstart.purchases],
    keys=["user_id"],
    online=True,
    aggregations=[Aggregation(input_column="purchase_price", operation=Operation.SUM,
                              windows=[Window(length=d, timeUnit=TimeUnit.DAYS) for d in DAYS])],
)
PY
echo notes >"$tmp/outside.py"
summary() { # FILES... -> the summary line of a check that must pass
    $RUNNER "$cc" check "$@" 2>"$tmp/err" || fail "check $*: exit $?"
    tail -n 1 "$tmp/err"
}
want() { # COUNT GIVEN FILES...
    local n=$1 given=$2 s
    shift 2
    s=$(summary "$@")
    local files=files; [ "$n" = 1 ] && files=file
    local g=files; [ "$given" = 1 ] && g=file
    [ "$s" = "chrononc check: 0 errors; $n definition $files checked: of the $given $g given, and those importing them" ] \
        || fail "check $*: $s"
}
want 1 1 sources/util/constants.py
want 5 1 sources/quickstart.py
want 2 1 group_bys/quickstart/purchases.py
want 1 1 joins/quickstart/training_set.py
cp teams.json teams.json.orig
want 0 3 "$tmp/outside.py" empty teams.json.orig
want 2 2 ./sources/util/windows.py "$tmp/r/staging_queries/quickstart/daily_spend.py"
[ "$(summary teams.json)" = "chrononc check: 0 errors" ] || fail "teams.json: not the whole repo"
[ "$(cd group_bys && $RUNNER "$cc" check --chronon_root .. quickstart/users.py 2>&1 | tail -n 1)" = \
  "chrononc check: 0 errors; 2 definition files checked: of the 1 file given, and those importing them" ] \
    || fail "a path relative to the current folder, not the root"

# a broken helper: reported through extra.py; a broken definition nobody changed: not checked
printf 'DAYS = [3, 14] + undefined_days\n' >sources/util/constants.py
printf '\nbroken = undefined_name\n' >>staging_queries/quickstart/daily_spend.py
set +e; $RUNNER "$cc" check sources/util/constants.py 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "broken helper: exit $rc"
grep -q "^sources/util/constants.py:1:18: error: name 'undefined_days' is not defined$" "$tmp/err" || fail "the helper's error"
grep -q "^group_bys/quickstart/extra.py:3:6: error: cannot import 'sources.util.windows'" "$tmp/err" || fail "the importer's error"
grep -q daily_spend "$tmp/err" && fail "an unchanged definition was checked"
set +e; $RUNNER "$cc" check group_bys/quickstart/users.py 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 0 ] || fail "users.py does not import the broken files: exit $rc"

# usage
set +e; $RUNNER "$cc" check no/such/file.py 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -qx "chrononc check: no/such/file.py: no such file" "$tmp/err" || fail "missing file: exit $rc"
set +e; $RUNNER "$cc" check --input_path group_bys group_bys/quickstart/users.py 2>"$tmp/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -qx "chrononc check: give files or --input_path, not both" "$tmp/err" || fail "files and --input_path: exit $rc"
echo "check FILE...: the changed files and their importers, through relative imports; teams.json: everything"
