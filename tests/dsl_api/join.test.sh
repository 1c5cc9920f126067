#!/usr/bin/env bash
# ai.chronon.join, staging_query, model, external_api and utils against
# chronon-ai 0.0.115: every definition file of the repo under
# tests/dsl_api/join/ (group_bys/, joins/, staging_queries/, teams.json) is
# evaluated by `chrononc eval` and by chronon-ai (tests/dsl_api/py_eval.py,
# one fresh Python process per file, as chrononc evaluates one file per run).
#
# * A file named err_*.py must raise in Python; chrononc must then fail with a
#   diagnostic that contains Python's exception message exactly (every
#   character after "ExcType: ", newlines and trailing spaces included).
# * Any other file must succeed in Python, and chrononc must print the same
#   bytes (each module-level Thrift object's thrift_simple_json).
#
# The repo is copied to a temporary folder first, so Python writes no
# __pycache__ into the tree and paths in messages (teams.json) are absolute
# for both tools.
#
# Environment: BUILD, RUNNER, PYTHON (tests/run.sh). Arguments: case names
# (file names without .py) to run only those.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build} RUNNER=${RUNNER:-} PYTHON=${PYTHON:-python3}
src=tests/dsl_api/join
chrononc=$BUILD/chrononc
[ -x "$chrononc" ] || { echo "missing $chrononc (make $chrononc)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
cp -r "$src" "$repo"
find "$repo" -name __pycache__ -prune -exec rm -rf {} +
py_eval=$PWD/tests/dsl_api/py_eval.py

cases=()
while IFS= read -r rel; do
    name=$(basename "$rel" .py)
    if [ $# -gt 0 ]; then
        keep=0
        for want in "$@"; do [ "$name" = "$want" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    cases+=("$rel")
done < <(cd "$repo" && find group_bys joins staging_queries -name '*.py' ! -name '__init__.py' | sort)
[ ${#cases[@]} -gt 0 ] || { echo "no cases"; exit 1; }

# Python: one process per file (so module state never leaks between cases), 4 at a time.
# Each case gets its own output folder: file names repeat across folders.
for rel in "${cases[@]}"; do mkdir -p "$tmp/py/${rel%.py}"; done
printf '%s\n' "${cases[@]}" |
    PYTHONDONTWRITEBYTECODE=1 xargs -P 4 -I{} sh -c \
        '"$0" "$1" "$2" "$3/py/$(dirname "$4")/$(basename "$4" .py)" "$4" >>"$3/py.log" 2>&1' \
        "$PYTHON" "$py_eval" "$repo" "$tmp" {}

contains() { # contains NEEDLE_FILE HAYSTACK_FILE: exact substring, newlines included
    "$PYTHON" -c 'import sys
# chrononc prints messages trimmed of leading/trailing blanks and newlines
needle = open(sys.argv[1], encoding="utf-8").read().split(": ", 1)[-1].strip(" \n")
sys.exit(0 if needle in open(sys.argv[2], encoding="utf-8").read() else 1)' "$1" "$2"
}

pass=0 fail=0
for rel in "${cases[@]}"; do
    name=$(basename "$rel" .py)
    pyout=$tmp/py/${rel%.py}/$name.out pyerr=$tmp/py/${rel%.py}/$name.err
    out=$tmp/${rel//\//_}.out err=$tmp/${rel//\//_}.err
    if [ ! -f "$pyout" ]; then
        echo "FAIL $rel: py_eval.py wrote nothing:"; sed 's/^/    /' "$tmp/py.log" | tail -20
        fail=$((fail + 1)); continue
    fi
    status=0
    # $RUNNER is unquoted on purpose: a command prefix with arguments.
    $RUNNER "$chrononc" eval --root "$repo" "$rel" >"$out" 2>"$err" || status=$?
    if [ $status -gt 1 ]; then
        echo "FAIL $rel: chrononc exited with $status"; sed 's/^/    /' "$err" | head -30
        fail=$((fail + 1)); continue
    fi
    case $name in
    err_*)
        if [ ! -s "$pyerr" ]; then
            echo "FAIL $rel: an err_ case, but chronon-ai raised nothing (the test is stale)"
            fail=$((fail + 1))
        elif [ $status -eq 0 ]; then
            echo "FAIL $rel: Python raises, chrononc succeeded. Python: $(cat "$pyerr")"
            fail=$((fail + 1))
        elif ! contains "$pyerr" "$err"; then
            echo "FAIL $rel: the diagnostic lacks Python's message"
            echo "    Python: $(cat "$pyerr")"
            sed 's/^/    /' "$err" | head -20
            fail=$((fail + 1))
        else
            pass=$((pass + 1))
        fi
        ;;
    *)
        if [ -s "$pyerr" ]; then
            echo "FAIL $rel: chronon-ai raised (the test is stale): $(cat "$pyerr")"
            fail=$((fail + 1))
        elif [ $status -ne 0 ]; then
            echo "FAIL $rel: Python succeeds, chrononc failed:"; sed 's/^/    /' "$err" | head -30
            fail=$((fail + 1))
        elif ! cmp -s "$pyout" "$out"; then
            echo "FAIL $rel: output differs from chronon-ai (< python, > chrononc):"
            diff "$pyout" "$out" | head -40 | sed 's/^/    /'
            fail=$((fail + 1))
        else
            pass=$((pass + 1))
        fi
        ;;
    esac
done
echo "join: $pass passed, $fail failed"
[ $fail -eq 0 ]
