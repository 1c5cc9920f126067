#!/usr/bin/env bash
# Differential test: our C JSON writer and reader against chronon-ai.
#
# For GroupBy, Join and StagingQuery, each with a fixed seed: `difftest gen`
# builds random objects and writes our JSON plus a neutral typed dump;
# oracle.py builds the same objects in chronon-ai from the dump, serializes them
# with thrift_simple_json and requires byte equality with ours; `difftest check`
# parses chronon-ai's output with our reader, requires equality with the
# original object, and requires our writer to give chronon-ai's bytes back.
# 400 objects per type (1,200 in all); 30 per type under a RUNNER (valgrind).
#
# Then negative controls on object 0, proving that a difference is caught: a
# changed byte in our output must fail the oracle, and a changed value or an
# extra byte in chronon-ai's output must fail check.
#
# Run by tests/run.sh from the repository root with BUILD, RUNNER and PYTHON.
set -euo pipefail

BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
PYTHON=${PYTHON:-python3}
difftest=$BUILD/tests/difftest
oracle=tests/diff/oracle.py

count=400
[ -z "$RUNNER" ] || count=30

[ -x "$difftest" ] || { echo "missing $difftest (make $difftest)" >&2; exit 1; }
mkdir -p "$BUILD"
tmp=$(mktemp -d "$BUILD/difftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for case in GroupBy:20240101 Join:20240202 StagingQuery:20240303; do
    type=${case%%:*} seed=${case#*:}
    dir=$tmp/$type
    mkdir -p "$dir"
    echo "== $type, seed $seed, $count objects"
    # $RUNNER is unquoted on purpose: it is a command prefix with arguments.
    $RUNNER "$difftest" gen --type "$type" --seed "$seed" --count "$count" --out "$dir"
    "$PYTHON" "$oracle" "$dir" "$type" "$count"
    $RUNNER "$difftest" check --type "$type" --seed "$seed" --count "$count" --dir "$dir"
done

# ---- negative controls: each must exit 1 -------------------------------------

# expect_fail WHAT MESSAGE COMMAND...: COMMAND must exit 1 and print MESSAGE.
expect_fail() {
    local what=$1 message=$2; shift 2
    local rc=0
    "$@" >"$tmp/neg.out" 2>&1 || rc=$?
    if [ "$rc" -ne 1 ] || ! grep -qF -- "$message" "$tmp/neg.out"; then
        echo "negative control '$what': expected exit 1 and '$message', got exit $rc:" >&2
        cat "$tmp/neg.out" >&2
        exit 1
    fi
    echo "negative control '$what': detected"
    sed 's/^/    | /' "$tmp/neg.out" | head -n 6
}

# Overwrite byte $2 of file $1 with character $3.
poke() {
    printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

neg=$tmp/neg
mkdir -p "$neg"
$RUNNER "$difftest" gen --type Join --seed 20240202 --count 2 --out "$neg" >/dev/null
"$PYTHON" "$oracle" "$neg" Join 2 >/dev/null
cmp -s "$neg/0.py.json" "$neg/1.py.json" && { echo "objects 0 and 1 are identical" >&2; exit 1; }
cp "$neg/0.py.json" "$neg/0.py.json.orig"

# Our writer's bytes changed: the oracle must see it. The middle byte becomes
# \x01, which never occurs in the (ASCII, escaped) output.
mid=$(( $(wc -c <"$neg/0.c.json") / 2 ))
poke "$neg/0.c.json" "$mid" $'\x01'
expect_fail "corrupt byte in .c.json" "C writer vs chronon-ai: first difference at byte $mid" \
    "$PYTHON" "$oracle" "$neg" Join 1

# chronon-ai's bytes describe a different object: the reader/equality check
# must see it.
cp "$neg/1.py.json" "$neg/0.py.json"
expect_fail "other object in .py.json" "is not equal to the original: \$." \
    $RUNNER "$difftest" check --type Join --seed 20240202 --count 1 --dir "$neg"

# Same object, one byte more (trailing whitespace parses fine): the byte
# comparison must see it.
cp "$neg/0.py.json.orig" "$neg/0.py.json"
printf ' ' >>"$neg/0.py.json"
expect_fail "extra byte in .py.json" "writer(parsed) vs chronon-ai: first difference" \
    $RUNNER "$difftest" check --type Join --seed 20240202 --count 1 --dir "$neg"

echo "diff: all passed"
