#!/usr/bin/env bash
# libclang check of the generated headers against their IDLs (tests/clang/clang_check.c).
#
# 1. generated/chronon_api.h matches thrift/api.thrift as docs/generated-c.md
#    promises (structs, fields, has_ flags, containers, enums, functions,
#    descriptor objects).
# 2. The check can fail: three mutated copies of the header (a field's type
#    changed, an enum constant deleted, a field renamed) each make it exit 1
#    with the specific message.
# 3. If tests/codegen/everything.thrift exists (every Thrift feature), the
#    header thrift-cgen makes from it passes too.
#
# Run from the repository root by tests/run.sh with BUILD, RUNNER, PYTHON set.
set -u
BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
CHECK=$BUILD/tests/clang_check
HEADER=generated/chronon_api.h

fail() { echo "FAIL: $*"; exit 1; }

[ -x "$CHECK" ] || fail "$CHECK is not built"
[ -f "$HEADER" ] || fail "$HEADER is missing (make $HEADER)"

mkdir -p "$BUILD"
tmp=$(mktemp -d "$BUILD/clang-test.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT

# ---- 1. the committed header ---------------------------------------------------
echo "== $HEADER"
$RUNNER "$CHECK" thrift/api.thrift "$HEADER" --prefix chronon_ -I runtime -I generated \
    >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
[ "$rc" -eq 0 ] || fail "clang_check on $HEADER exited $rc, expected 0"
grep -q ': 0 problems$' "$tmp/out" || fail "no '0 problems' summary"
grep -Eq 'checked [1-9][0-9]* structs, [1-9][0-9]* fields' "$tmp/out" ||
    fail "summary does not report any struct or field checked"

# ---- 2. mutations must be caught -----------------------------------------------
# mutate NAME SED_SCRIPT EXPECTED_MESSAGE
mutate() {
    local name=$1 script=$2 want=$3
    local dir=$tmp/$name
    mkdir -p "$dir"
    cp "$HEADER" "$dir/chronon_api.h"
    sed -i -e "$script" "$dir/chronon_api.h"
    if cmp -s "$HEADER" "$dir/chronon_api.h"; then
        fail "mutation '$name' did not change the header (sed: $script)"
    fi
    echo "== mutation $name:"
    diff "$HEADER" "$dir/chronon_api.h"
    $RUNNER "$CHECK" thrift/api.thrift "$dir/chronon_api.h" --prefix chronon_ \
        -I runtime -I "$dir" >"$dir/out" 2>&1
    local rc=$?
    cat "$dir/out"
    [ "$rc" -eq 1 ] || fail "mutation '$name': clang_check exited $rc, expected 1"
    grep -qF -- "$want" "$dir/out" || fail "mutation '$name': no line '$want'"
}

# A field's type: GroupBy.accuracy declared int32_t instead of chronon_Accuracy.
mutate field-type \
    's/^\([[:space:]]*\)chronon_Accuracy\([[:space:]][[:space:]]*accuracy;\)/\1int32_t\2/' \
    'clang_check: chronon_GroupBy.accuracy: expected type chronon_Accuracy, found int32_t'

# An enum constant deleted: Operation.SKEW (= 10, not the last one, so a comma follows).
mutate enum-constant \
    's/chronon_Operation_SKEW[[:space:]]*=[[:space:]]*10[[:space:]]*,//' \
    'clang_check: chronon_Operation_SKEW: missing enum constant'

# A field renamed: GroupBy.backfillStartDate -> backfillStart.
mutate field-name \
    's/\([*[:space:]]\)backfillStartDate;/\1backfillStart;/' \
    'clang_check: chronon_GroupBy.backfillStartDate: missing member'
grep -qF 'clang_check: chronon_GroupBy.backfillStart: unexpected member' "$tmp/field-name/out" ||
    fail "mutation 'field-name': the renamed member is not reported as unexpected"

# ---- 3. the every-feature IDL --------------------------------------------------
EVERYTHING=tests/codegen/everything.thrift
if [ -f "$EVERYTHING" ]; then
    echo "== $EVERYTHING"
    [ -x "$BUILD/thrift-cgen" ] || fail "$BUILD/thrift-cgen is not built"
    mkdir -p "$tmp/ev"
    $RUNNER "$BUILD/thrift-cgen" --prefix ev_ --templates templates --out "$tmp/ev" \
        --name everything "$EVERYTHING" || fail "thrift-cgen failed on $EVERYTHING"
    $RUNNER "$CHECK" "$EVERYTHING" "$tmp/ev/everything.h" --prefix ev_ -I runtime -I "$tmp/ev" \
        >"$tmp/ev/out" 2>&1
    rc=$?
    cat "$tmp/ev/out"
    [ "$rc" -eq 0 ] || fail "clang_check on $EVERYTHING exited $rc, expected 0"
else
    echo "== $EVERYTHING not present; skipped"
fi

echo "PASS"
