#!/usr/bin/env bash
# The definition-file parser (codegen/dsl), through tests/dsl/parse_dump.c:
#
#  1. golden cases: each tests/dsl/cases/NAME.py must print exactly NAME.out
#     (the tree for ok_*, the diagnostics for err_*) and exit 0 for ok_*,
#     1 for err_*;
#  2. colored diagnostics: one case printed with --color;
#  3. robustness: every .py file of the installed chronon-ai package (real
#     Python, mostly outside the subset) parses without a crash, a leak or a
#     sanitizer report, cleanly or with diagnostics (counted below);
#  4. fuzzing: byte-level mutations of the ok_* cases, with a fixed seed.
#
# Under valgrind ($RUNNER) every program run is checked for leaks too; each
# part is one process, so valgrind starts only a few times.
#
# UPDATE=1 rewrites the .out files from the current output (then review the
# diff: a golden file is only right if a person checked it).
set -uo pipefail
bin=$BUILD/tests/dsl_parse_dump
cases=tests/dsl/cases
tmp=$(mktemp -d "$BUILD/dsl-parser.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0

fail() {
    bad=$((bad + 1))
    echo "FAIL $*"
    echo "FAIL $*" >>"$tmp/failures"
}

# A crash is an exit status >= 128; valgrind reports with 99; sanitizers
# write "runtime error" or "ERROR: AddressSanitizer" / "LeakSanitizer".
sane() {
    local rc=$1 err=$2
    [ "$rc" -lt 2 ] && ! grep -qE 'runtime error|Sanitizer|==[0-9]+==' "$err"
}

# ---- 1. golden cases --------------------------------------------------------
# One process for all (valgrind starts once); it writes NAME.out and NAME.rc.
mkdir -p "$tmp/golden"
$RUNNER "$bin" --batch "$tmp/golden" "$cases"/*.py >"$tmp/out" 2>"$tmp/err"
rc=$?
if ! sane "$rc" "$tmp/err" || [ "$rc" -ne 0 ]; then
    fail "golden cases: crashed or leaked (exit $rc)"
    head -20 "$tmp/err"
fi
for py in "$cases"/*.py; do
    name=$(basename "$py" .py)
    want=$cases/$name.out
    got=$tmp/golden/$name.out
    n=$((n + 1))
    case $name in
        ok_*) want_rc=0 ;;
        *) want_rc=1 ;;
    esac
    if [ "${UPDATE:-}" = 1 ] && [ -f "$got" ]; then
        cp "$got" "$want"
    fi
    if [ ! -f "$got" ]; then
        fail "$name: no output"
    elif [ "$(cat "$tmp/golden/$name.rc")" != "$want_rc" ]; then
        fail "$name: exit $(cat "$tmp/golden/$name.rc"), expected $want_rc"
        head -20 "$got"
    elif [ ! -f "$want" ]; then
        fail "$name: no golden file $want"
    elif ! diff -u "$want" "$got" >"$tmp/diff"; then
        fail "$name: output differs from $want"
        head -40 "$tmp/diff"
    fi
done
echo "golden cases: $(ls "$cases"/*.py | wc -l)"

# The suite must be able to fail: a golden file that disagrees by one
# character is caught.
n=$((n + 1))
sed '1s/$/ /' "$cases/err_syntax.out" >"$tmp/broken.out"
$RUNNER "$bin" "$cases/err_syntax.py" >"$tmp/out" 2>/dev/null
if diff -q "$tmp/broken.out" "$tmp/out" >/dev/null; then
    fail "a corrupted golden file still matched"
fi

# ---- 2. color ---------------------------------------------------------------
n=$((n + 1))
$RUNNER "$bin" --color "$cases/err_tab_display.py" >"$tmp/out" 2>"$tmp/err"
rc=$?
E=$'\033'
cat >"$tmp/want" <<EOF
${E}[1mtests/dsl/cases/err_tab_display.py:2:12: ${E}[0;1;31merror: ${E}[0m${E}[1mexpected ',' or ']'${E}[0m
    2 |         x = [1, 2 3]
      | ${E}[0;1;32m                  ^${E}[0m
${E}[1mtests/dsl/cases/err_tab_display.py:3:11: ${E}[0;1;31merror: ${E}[0m${E}[1minvalid character '\$' (U+0024)${E}[0m
    3 |         return  x \$
      | ${E}[0;1;32m                  ^${E}[0m
EOF
if ! sane "$rc" "$tmp/err" || [ "$rc" -ne 1 ] || ! diff -u "$tmp/want" "$tmp/out"; then
    fail "colored diagnostics (exit $rc)"
fi

# ---- 3. chronon-ai's own Python -------------------------------------------------
pkg=$($PYTHON -c 'import ai.chronon, os; print(os.path.dirname(ai.chronon.__file__))' 2>/dev/null)
if [ -z "$pkg" ] || [ ! -d "$pkg" ]; then
    fail "chronon-ai is not installed (run .ci/install-deps.sh)"
else
    mapfile -t files < <(find "$pkg" -name '*.py' | LC_ALL=C sort)
    n=$((n + 1))
    $RUNNER "$bin" --summary "${files[@]}" >"$tmp/summary" 2>"$tmp/err"
    rc=$?
    if ! sane "$rc" "$tmp/err" || [ "$rc" -ne 0 ]; then
        fail "chronon-ai sources: crashed or leaked (exit $rc)"
        head -20 "$tmp/err"
    fi
    if [ "$(wc -l <"$tmp/summary")" -ne "${#files[@]}" ]; then
        fail "chronon-ai sources: ${#files[@]} files but $(wc -l <"$tmp/summary") summary lines"
    fi
    sed "s|^$pkg/||" "$tmp/summary"
    awk '{ e += $2; w += $4; if ($2 == 0) clean++ }
         END { printf "chronon-ai: %d files, %d without errors, %d errors, %d warnings\n", NR, clean, e, w }' \
        "$tmp/summary"
fi

# ---- 4. mutations -----------------------------------------------------------------
count=2000
n=$((n + 1))
$RUNNER "$bin" --fuzz "$count" 20240521 "$cases"/ok_*.py >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
if ! sane "$rc" "$tmp/err" || [ "$rc" -ne 0 ] || ! grep -q "^$count mutations:" "$tmp/out"; then
    fail "fuzzing (exit $rc)"
    head -20 "$tmp/err"
fi

[ -f "$tmp/failures" ] && cat "$tmp/failures"
echo "$n checks, $bad failed"
[ "$bad" -eq 0 ]
