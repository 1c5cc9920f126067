#!/usr/bin/env bash
# ai.chronon.query and ai.chronon.group_by (and the dependency helpers behind
# GroupBy) against chronon-ai: every definition file under
# tests/dsl_api/group_by/group_bys/team_a/ is evaluated by `chrononc eval` and
# by chronon-ai (tests/dsl_api/py_eval.py). A file whose Python run succeeds
# must print the same bytes; a file whose Python run raises (the err_* files)
# must fail with a diagnostic containing every line of Python's exception
# message, or the text of a "# expect: TEXT" line in the file when our
# wording cannot be Python's (argument-binding errors, empty messages).
#
# Environment: BUILD, RUNNER, PYTHON (tests/run.sh). Arguments: case names to
# run only those.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build} RUNNER=${RUNNER:-} PYTHON=${PYTHON:-python3}
root=tests/dsl_api/group_by
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cases=()
for f in "$root"/group_bys/team_a/*.py; do
    name=$(basename "$f" .py)
    if [ $# -gt 0 ]; then
        keep=0
        for want in "$@"; do [ "$name" = "$want" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    cases+=("group_bys/team_a/$name.py")
done
[ ${#cases[@]} -gt 0 ] || { echo "no cases"; exit 1; }

mkdir -p "$tmp/py"
if ! "$PYTHON" tests/dsl_api/py_eval.py "$root" "$tmp/py" "${cases[@]}" 2>"$tmp/py.log"; then
    echo "py_eval.py failed:"; cat "$tmp/py.log"; exit 1
fi

pass=0 fail=0
for rel in "${cases[@]}"; do
    name=$(basename "$rel" .py)
    status=0
    $RUNNER "$BUILD/chrononc" eval --root "$root" "$root/$rel" >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
    if [ $status -gt 1 ]; then
        echo "FAIL $name: chrononc exited with $status"; sed 's/^/    /' "$tmp/$name.err"; fail=$((fail + 1)); continue
    fi
    if [ ! -s "$tmp/py/$name.err" ]; then
        if [ $status -ne 0 ]; then
            echo "FAIL $name: Python succeeds, chrononc failed:"; sed 's/^/    /' "$tmp/$name.err"
            fail=$((fail + 1))
        elif ! cmp -s "$tmp/py/$name.out" "$tmp/$name.out"; then
            echo "FAIL $name: output differs from chronon-ai (< python, > chrononc):"
            diff "$tmp/py/$name.out" "$tmp/$name.out" | head -40 | sed 's/^/    /'
            fail=$((fail + 1))
        else
            pass=$((pass + 1))
        fi
        continue
    fi
    # an error case: chrononc must fail and say what Python says
    if [ $status -eq 0 ]; then
        echo "FAIL $name: Python raises, chrononc succeeded. Python: $(cat "$tmp/py/$name.err")"
        fail=$((fail + 1)); continue
    fi
    expect=$(sed -n 's/^# expect: //p' "$root/$rel")
    if [ -n "$expect" ]; then
        printf '%s\n' "$expect" >"$tmp/want"
    else
        # the message after "ExcType: ", one line per message line
        sed '1s/^[A-Za-z]*: //' "$tmp/py/$name.err" | sed '/^[[:space:]]*$/d' >"$tmp/want"
    fi
    ok=1
    while IFS= read -r line; do
        grep -qF -- "$line" "$tmp/$name.err" || { ok=0; missing=$line; break; }
    done <"$tmp/want"
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        echo "FAIL $name: diagnostic lacks: $missing"
        echo "    Python: $(cat "$tmp/py/$name.err")"
        sed 's/^/    /' "$tmp/$name.err" | head -20
        fail=$((fail + 1))
    fi
done
echo "group_by: $pass passed, $fail failed"
[ $fail -eq 0 ]
