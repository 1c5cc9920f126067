#!/usr/bin/env bash
# Compare chrononc with chronon-ai's compile.py, file by file, on a Chronon
# definitions repo that is not ours (Chronon's own api/py/test/sample, say).
#
#   tests/upstream/compare.sh SAMPLE_DIR
#
# Not a CI test (no .test.sh suffix): the sample repo is public code that is
# kept out of this repository. Fetch it to a folder outside the tree and point
# this script at it.
#
# For every definition file under SAMPLE_DIR/{group_bys,joins,staging_queries}
# (sources/ are only imported by them), in a fresh copy of SAMPLE_DIR each:
#   * compile.py, run as tests/conformance/oracle.sh runs it (cwd and
#     PYTHONPATH = the copy's root, -y, --force-overwrite, stdin /dev/null), with
#     --input_path FILE. It accepted the file when it exited 0 and logged none
#     of "Failed to extract", "Could not write" or a Python traceback — the
#     oracle's own rule (compile.py logs a file it cannot load and exits 0).
#   * `chrononc compile` with the same options on another copy.
# and prints one line per file:
#   FILE  compile.py accepted|rejected  chrononc accepted|rejected  RESULT
# RESULT is "identical" (both accepted, production/ trees byte-identical),
# "DIFFERS: f1 f2 ..." (the output files that differ or exist on one side
# only), "ok" (both rejected, chrononc with a file:line:col: error: diagnostic,
# whose first line follows), or what is wrong. Then a summary line.
#
# Exit 1 when a file compile.py accepts is not byte-identical with chrononc, a
# file compile.py rejects is accepted by chrononc (unless allowed below), or
# chrononc rejects a file without a file:line:col: error: diagnostic.
#
# Environment: BUILD (default build; chrononc is $BUILD/chrononc), PYTHON
# (default python3), KEEP=DIR to keep every file's outputs and logs under DIR,
# ONLY=SUBSTRING to compare only the files whose path contains it.
set -uo pipefail

usage() { echo "usage: $0 SAMPLE_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
sample=$(cd "$1" && pwd) || usage
[ -f "$sample/teams.json" ] || { echo "compare: $sample/teams.json not found" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) chrononc=$BUILD/chrononc ;; *) chrononc=$top/$BUILD/chrononc ;; esac
[ -x "$chrononc" ] || { echo "compare: $chrononc not built (make BUILD=$BUILD $chrononc)" >&2; exit 2; }
PYTHON=${PYTHON:-python3}

# Files compile.py rejects that chrononc may accept, with the reason. A
# definition that only fails in compile.py because of how Python runs it (not
# because it is wrong) belongs here; none does so far.
declare -A allow_accept=(
)

# compile.py's main, as oracle.sh runs it (no file-order wrapper: one file).
compile_py='
from ai.chronon.repo.compile import extract_and_convert
extract_and_convert(prog_name="compile.py")
'

work=$(mktemp -d "${TMPDIR:-/tmp}/chronon-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

fresh_copy() { # DEST
    rm -rf "$1"
    cp -R "$sample" "$1"
    rm -rf "$1/production"
    find "$1" -name __pycache__ -type d -prune -exec rm -rf {} +
}

mapfile -t files < <(cd "$sample" && find group_bys joins staging_queries -name '*.py' \
    ! -name '__init__.py' -type f 2>/dev/null | LC_ALL=C sort)

total=0 py_ok=0 identical=0 differ=0 both_rej=0 bad=0
bad_list=()
for f in "${files[@]}"; do
    [ -n "${ONLY:-}" ] && [[ $f != *"$ONLY"* ]] && continue
    total=$((total + 1))
    d=$work/$total
    mkdir -p "$d"

    fresh_copy "$d/py"
    (cd "$d/py" && PYTHONPATH="$d/py${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1 \
        "$PYTHON" -c "$compile_py" --chronon_root "$d/py" --input_path "$f" -y --force-overwrite \
        </dev/null >"$d/py.log" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && ! grep -qE 'Failed to extract|Could not write|Traceback' "$d/py.log"; then
        py=accepted; py_ok=$((py_ok + 1))
    else
        py=rejected
    fi

    fresh_copy "$d/c"
    "$chrononc" compile --chronon_root "$d/c" --input_path "$f" --force-overwrite -y -q \
        </dev/null >"$d/c.log" 2>&1
    crc=$?
    if [ $crc -eq 0 ]; then c=accepted; else c=rejected; fi

    result=""
    if [ $py = accepted ] && [ $c = accepted ]; then
        mkdir -p "$d/py/production" "$d/c/production"
        diffs=$(diff -rq "$d/py/production" "$d/c/production" 2>&1 |
            sed -E "s#^Files $d/py/production/([^ ]+) and .* differ\$#\\1#;
                    s#^Only in $d/py/production/?(.*): (.*)\$#\\1/\\2(compile.py only)#;
                    s#^Only in $d/c/production/?(.*): (.*)\$#\\1/\\2(chrononc only)#; s#^/##" |
            tr '\n' ' ')
        if [ -z "$diffs" ]; then
            result=identical; identical=$((identical + 1))
        else
            result="DIFFERS: $diffs"; differ=$((differ + 1)); bad_list+=("$f")
        fi
    elif [ $py = accepted ]; then
        result="FAIL: chrononc rejects: $(grep -m1 -E 'error:' "$d/c.log")"
        differ=$((differ + 1)); bad_list+=("$f")
    elif [ $c = accepted ]; then
        if [ -n "${allow_accept[$f]:-}" ]; then
            result="allowed: ${allow_accept[$f]}"
        else
            why=$(grep -m1 -E '^[A-Za-z_.]*(Error|Exception):|Could not write|Failed to extract' "$d/py.log" |
                sed 's/\x1b\[[0-9;]*m//g')
            result="FAIL: chrononc accepts; compile.py: $why"
            bad=$((bad + 1)); bad_list+=("$f")
        fi
    else
        diag=$(grep -m1 -E '^[^ :]+:[0-9]+:[0-9]+: error:' "$d/c.log")
        if [ -n "$diag" ]; then
            result="ok: $diag"; both_rej=$((both_rej + 1))
        else
            result="FAIL: no file:line:col: error: diagnostic: $(head -n1 "$d/c.log")"
            bad=$((bad + 1)); bad_list+=("$f")
        fi
    fi
    printf '%-70s compile.py %-8s chrononc %-8s %s\n' "$f" "$py" "$c" "$result"

    if [ -n "${KEEP:-}" ]; then
        mkdir -p "$KEEP/$f"
        cp "$d/py.log" "$d/c.log" "$KEEP/$f/"
        [ -d "$d/py/production" ] && cp -R "$d/py/production" "$KEEP/$f/py.production"
        [ -d "$d/c/production" ] && cp -R "$d/c/production" "$KEEP/$f/c.production"
    fi
    rm -rf "$d"
done

echo "summary: $total files; compile.py accepts $py_ok, chrononc byte-identical on $identical;" \
    "$differ accepted by compile.py but not identical; $both_rej rejected by both;" \
    "$bad other failures"
if [ ${#bad_list[@]} -gt 0 ]; then
    printf 'failing: %s\n' "${bad_list[@]}"
    exit 1
fi
exit 0
