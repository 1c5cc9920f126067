#!/usr/bin/env bash
# Compile the conformance repo with chronon-ai's own compile.py: the oracle
# our compiler's output is compared with.
#
#   tests/conformance/oracle.sh OUT_DIR [REPO_DIR]
#
# Copies REPO_DIR (default: tests/conformance/repo) to a fresh temporary
# folder, runs compile.py there once per folder, in this order:
#
#   group_bys/  then  joins/  then  staging_queries/
#
# (the order matters: the joins pass re-writes some group_bys files, see
# COVERAGE.md), and copies the resulting production/ tree into OUT_DIR, so
# that OUT_DIR/group_bys/<team>/<file>.<var>, OUT_DIR/joins/... and
# OUT_DIR/staging_queries/... are byte for byte what compile.py wrote.
# OUT_DIR is emptied first.
#
# compile.py logs a definition file it cannot load and carries on with exit
# status 0; this script does not: it fails (exit 1) if any pass exits non-zero
# or logs "Failed to extract", "Could not write" or a Python traceback, and
# prints that pass's log. The logs are kept in OUT_DIR/../<basename>.logs/ only
# when ORACLE_KEEP_LOGS=1. ORACLE_FAILURES=allowed accepts those lines (a corpus
# of definitions that fail on purpose, see import_failures.test.sh): only a
# non-zero exit fails then.
#
# File order. compile.py visits a folder's files in glob() order, which is
# the file system's directory order: it differs between machines (ext4 hashes
# names with a per-file-system seed, tmpfs lists newest first). A definition
# whose JSON embeds another object that compile.py mutates while writing it
# (team defaults filled into a JoinSource's parent join, say) would then
# compile differently on different machines. So the oracle sorts the file list
# (ORACLE_ORDER=sorted, the default); ORACLE_ORDER=reversed sorts it backwards
# and ORACLE_ORDER=fs leaves compile.py's own order. The corpus is written to
# be order-independent — all three give the same tree; compare them after
# editing it:
#   ORACLE_ORDER=reversed tests/conformance/oracle.sh /tmp/rev && diff -r OUT /tmp/rev
#
# Environment: PYTHON (default python3). compile.py is run as the module behind
# the compile.py script chronon-ai installs on PATH (ai.chronon.repo.compile,
# the same code), through a few lines that only fix the file order as above.
# Needs chronon-ai 0.0.115.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR [REPO_DIR]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
out=$1
repo=${2:-$here/repo}
PYTHON=${PYTHON:-python3}

[ -f "$repo/teams.json" ] || { echo "oracle: $repo/teams.json not found" >&2; exit 2; }

order=${ORACLE_ORDER:-sorted}
case $order in sorted|reversed|fs) ;; *) echo "oracle: ORACLE_ORDER must be sorted, reversed or fs" >&2; exit 2 ;; esac

# compile.py's main, with extract_objects' glob() sorted unless ORACLE_ORDER=fs.
compile_py='
import glob, os
import ai.chronon.repo.extract_objects as eo
order = os.environ["ORACLE_ORDER"]
if order != "fs":
    _glob = glob.glob
    class _SortedGlob:
        @staticmethod
        def glob(pattern, recursive=False):
            return sorted(_glob(pattern, recursive=recursive), reverse=(order == "reversed"))
    eo.glob = _SortedGlob
from ai.chronon.repo.compile import extract_and_convert
extract_and_convert(prog_name="compile.py")
'

work=$(mktemp -d "${TMPDIR:-/tmp}/chronon-oracle.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/repo
cp -R "$repo" "$root"
# A stale production/ tree or bytecode in the copy would change what
# compile.py does (it validates against existing output).
rm -rf "$root/production"
find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +

logs=$work/logs
mkdir -p "$logs"
status=0
for pass in group_bys joins staging_queries; do
    [ -d "$root/$pass" ] || continue
    log=$logs/$pass.log
    start=$(date +%s%N)
    # cwd = root: staging_query.py reads teams.json relative to the working
    # directory (CHRONON_ROOT is read once, at import). PYTHONPATH = root: the
    # definition modules import each other as group_bys.x, sources.y, ...
    # -y and stdin from /dev/null: never prompt.
    # --force-overwrite: without it compile.py skips GroupBys that are neither
    # online nor backfilled, and the joins pass stops with "You must also
    # materialize all dependent GroupBys or Joins" (the chained GroupBy).
    rc=0
    (cd "$root" && PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1 \
        ORACLE_ORDER="$order" "$PYTHON" -c "$compile_py" \
            --chronon_root "$root" --input_path "$pass" -y --force-overwrite \
            </dev/null >"$log" 2>&1) || rc=$?
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    printf 'oracle: %-16s %3d.%03ds  exit %d\n' "$pass" $((ms / 1000)) $((ms % 1000)) "$rc" >&2
    if [ "$rc" -ne 0 ] || { [ "${ORACLE_FAILURES:-}" != allowed ] &&
        grep -qE 'Failed to extract|Could not write|Traceback' "$log"; }; then
        echo "oracle: compile.py failed on $pass/ -- log follows" >&2
        sed 's/^/    | /' "$log" >&2
        status=1
    fi
done

if [ "${ORACLE_KEEP_LOGS:-0}" = 1 ]; then
    keep="$(dirname "$out")/$(basename "$out").logs"
    rm -rf "$keep"; mkdir -p "$keep"
    cp "$logs"/*.log "$keep"/
fi

[ "$status" -eq 0 ] || exit 1

rm -rf "$out"
mkdir -p "$out"
if [ -d "$root/production" ]; then
    cp -R "$root/production/." "$out/"
fi
for kind in group_bys joins staging_queries; do
    n=0
    [ -d "$out/$kind" ] && n=$(find "$out/$kind" -type f | wc -l)
    printf 'oracle: %-16s %3d files\n' "$kind" "$n" >&2
done
