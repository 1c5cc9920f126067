#!/usr/bin/env bash
# thrift-cgen on bad input: the exit status (2 for usage, 1 for the rest), the
# message ("thrift-cgen: <file>: <message>"), and no output file, partial or
# otherwise, left behind by a failed run.
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER.
set -uo pipefail

BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
cgen=$BUILD/thrift-cgen
[ -x "$cgen" ] || { echo "missing $cgen (run make first)" >&2; exit 1; }

mkdir -p "$BUILD"
work=$(mktemp -d "$BUILD/codegen-errors.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0

# expect NAME STATUS MESSAGE [thrift-cgen arguments...]: run, then check the
# status, that stderr contains MESSAGE, and that the output folder the
# arguments name holds no file at all.
expect() {
    local name=$1 status=$2 message=$3
    shift 3
    local rc=0
    # shellcheck disable=SC2086  # RUNNER is a command prefix with arguments
    $RUNNER "$cgen" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    local problems=()
    [ "$rc" -eq "$status" ] || problems+=("exit status $rc, wanted $status")
    grep -qF -- "$message" "$work/$name.err" || problems+=("message lacks: $message")
    local out="" prev=""
    for arg in "$@"; do
        [ "$prev" = "--out" ] && out=$arg
        prev=$arg
    done
    if [ -n "$out" ] && [ -d "$out" ] && [ -n "$(find "$out" -type f)" ]; then
        problems+=("files left in $out: $(find "$out" -type f | tr '\n' ' ')")
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        echo "ok   $name"
    else
        echo "FAIL $name: ${problems[*]}"
        sed 's/^/     stderr: /' "$work/$name.err"
        failed=1
    fi
}

# idl NAME: write stdin to $work/NAME.thrift
idl() { cat >"$work/$1.thrift"; }

T=templates
O=$work/out

# ---- usage: exit 2
expect no-args 2 "usage: thrift-cgen --prefix P"
expect no-idl 2 "thrift-cgen: no IDL file given" --prefix p_ --templates $T --out "$O" --name x
expect no-prefix 2 "thrift-cgen: --prefix is missing" --templates $T --out "$O" --name x a.thrift
expect no-value 2 "thrift-cgen: --name needs a value" --prefix p_ --templates $T --out "$O" --name
expect unknown-option 2 "thrift-cgen: unknown option --verbose" --verbose --prefix p_ a.thrift
expect two-idls 2 "more than one IDL file given (b.thrift)" --prefix p_ --templates $T --out "$O" \
    --name x a.thrift b.thrift
expect bad-prefix 2 "--prefix 9p is not the start of a C identifier" --prefix 9p --templates $T \
    --out "$O" --name x a.thrift
expect bad-name 2 "--name ../x is not a plain file name" --prefix p_ --templates $T --out "$O" \
    --name ../x a.thrift

# ---- reading the IDL
expect missing-file 1 "thrift-cgen: $work/missing.thrift: No such file or directory" \
    --prefix p_ --templates $T --out "$O" --name x "$work/missing.thrift"
expect directory 1 "thrift-cgen: $work: Is a directory" --prefix p_ --templates $T --out "$O" \
    --name x "$work"

idl syntax <<'EOF'
struct A {
    1: i32 x
    2 string y
}
EOF
expect syntax-error 1 "thrift-cgen: $work/syntax.thrift: thrift: [ERROR:$(cd "$work" && pwd -P)/syntax.thrift:3] (last token was 'string') syntax error" \
    --prefix p_ --templates $T --out "$O" --name x "$work/syntax.thrift"

idl unknown_type <<'EOF'
struct A {
    1: optional strin x
}
EOF
expect unknown-type 1 "thrift-cgen: $work/unknown_type.thrift: thrift: Type \"strin\" not defined" \
    --prefix p_ --templates $T --out "$O" --name x "$work/unknown_type.thrift"

# thrift missing from PATH; valgrind (if RUNNER) still needs to be found
runner=()
if [ -n "$RUNNER" ]; then
    read -r -a runner <<<"$RUNNER"
    runner[0]=$(command -v "${runner[0]}")
fi
rc=0
PATH=/nonexistent "${runner[@]}" "$cgen" --prefix p_ --templates $T --out "$O" --name x \
    "$work/syntax.thrift" 2>"$work/nothrift.err" || rc=$?
if [ $rc -eq 1 ] && grep -qF "cannot run thrift: " "$work/nothrift.err"; then
    echo "ok   no-thrift"
else
    echo "FAIL no-thrift: status $rc: $(cat "$work/nothrift.err")"
    failed=1
fi

# ---- what the model refuses
idl unknown_enum <<'EOF'
enum Color { RED = 1 }
struct S {
    1: optional i32 shade (c.enum = "Colour")
}
EOF
expect unknown-enum 1 "thrift-cgen: $work/unknown_enum.thrift: struct S, field shade: (c.enum = \"Colour\") names no enum of this IDL" \
    --prefix p_ --templates $T --out "$O" --name x "$work/unknown_enum.thrift"

idl enum_not_i32 <<'EOF'
enum Color { RED = 1 }
struct S {
    1: optional string shade (c.enum = "Color")
    2: optional map<i32, string> byColor (c.enum = "Color")
}
EOF
expect enum-on-string 1 "struct S, field shade: (c.enum = \"Color\") needs an i32 field, or i32 list/set elements or map values, but the type is string" \
    --prefix p_ --templates $T --out "$O" --name x "$work/enum_not_i32.thrift"

idl struct_key <<'EOF'
struct Leaf { 1: optional string name }
struct S {
    1: optional map<Leaf, string> byLeaf
}
EOF
expect struct-map-key 1 "thrift-cgen: $work/struct_key.thrift: struct S, field byLeaf: map key type Leaf is a struct; JSON object keys can only hold scalars and enums" \
    --prefix p_ --templates $T --out "$O" --name x "$work/struct_key.thrift"

idl list_key <<'EOF'
struct S {
    1: optional map<list<string>, string> byList
}
EOF
expect container-map-key 1 "struct S, field byList: map key type list<string> is a container" \
    --prefix p_ --templates $T --out "$O" --name x "$work/list_key.thrift"

idl struct_default <<'EOF'
struct Leaf { 1: optional string name }
struct S {
    1: optional Leaf leaf = {"name": "x"}
}
EOF
expect struct-default 1 "struct S, field leaf: defaults of struct type (Leaf) are not supported" \
    --prefix p_ --templates $T --out "$O" --name x "$work/struct_default.thrift"

idl clash <<'EOF'
struct A {}
struct A_desc {}
EOF
expect name-clash 1 "struct A and struct A_desc would both be called p_A_desc in C" \
    --prefix p_ --templates $T --out "$O" --name x "$work/clash.thrift"

idl member_clash <<'EOF'
struct S {
    1: optional i32 x
    2: optional bool has_x
}
EOF
expect member-clash 1 "struct S, field has_x: its C member name has_x is already used by x" \
    --prefix p_ --templates $T --out "$O" --name x "$work/member_clash.thrift"

idl included <<'EOF'
struct Leaf { 1: optional string name }
EOF
idl includer <<'EOF'
include "included.thrift"
struct S { 1: optional included.Leaf leaf }
EOF
expect include 1 "includes other IDL files, which thrift-cgen does not follow" \
    --prefix p_ --templates $T --out "$O" --name x "$work/includer.thrift"

# ---- templates
good=$work/good.thrift
printf 'struct S {\n    1: optional i32 x\n}\n' >"$good"
mkdir -p "$work/tmpl_var" "$work/tmpl_open"
cp $T/*.tmpl "$work/tmpl_var/"
cp $T/*.tmpl "$work/tmpl_open/"
printf 'int x;\n  {{nosuch}}\n' >>"$work/tmpl_var/types.c.tmpl"
var_line=$(wc -l <"$work/tmpl_var/types.c.tmpl")
expect template-variable 1 "thrift-cgen: $work/tmpl_var/types.c.tmpl:$var_line:3: unknown variable 'nosuch'" \
    --prefix p_ --templates "$work/tmpl_var" --out "$O" --name x "$good"
printf '{{#structs}}\nnever closed\n' >>"$work/tmpl_open/types.h.tmpl"
open_line=$(($(wc -l <"$work/tmpl_open/types.h.tmpl") - 1))
expect template-unclosed 1 "thrift-cgen: $work/tmpl_open/types.h.tmpl:$open_line:1: section {{#structs}} is never closed" \
    --prefix p_ --templates "$work/tmpl_open" --out "$O" --name x "$good"
expect template-missing 1 "thrift-cgen: $work/none/types.h.tmpl: No such file or directory" \
    --prefix p_ --templates "$work/none" --out "$O" --name x "$good"

# ---- output
touch "$work/a_file"
expect out-is-file 1 "thrift-cgen: $work/a_file: Not a directory" \
    --prefix p_ --templates $T --out "$work/a_file" --name x "$good"

# A failed run leaves earlier output exactly as it was, and no temporary files.
mkdir -p "$work/kept"
# shellcheck disable=SC2086
$RUNNER "$cgen" --prefix p_ --templates $T --out "$work/kept" --name x "$good" || failed=1
cp "$work/kept/x.h" "$work/x.h.before"
cp "$work/kept/x.c" "$work/x.c.before"
for case in tmpl_var tmpl_open; do
    rc=0
    # shellcheck disable=SC2086
    $RUNNER "$cgen" --prefix p_ --templates "$work/$case" --out "$work/kept" --name x "$good" \
        2>/dev/null || rc=$?
    if [ $rc -ne 1 ] || ! cmp -s "$work/kept/x.h" "$work/x.h.before" ||
        ! cmp -s "$work/kept/x.c" "$work/x.c.before" ||
        [ "$(find "$work/kept" -type f | wc -l)" -ne 2 ]; then
        echo "FAIL keep-output-$case: status $rc; $(ls -A "$work/kept" | tr '\n' ' ')"
        failed=1
    else
        echo "ok   keep-output-$case"
    fi
done
rc=0
# shellcheck disable=SC2086
$RUNNER "$cgen" --prefix p_ --templates $T --out "$work/kept" --name x "$work/struct_key.thrift" \
    2>/dev/null || rc=$?
if [ $rc -ne 1 ] || ! cmp -s "$work/kept/x.h" "$work/x.h.before"; then
    echo "FAIL keep-output-model: status $rc"
    failed=1
else
    echo "ok   keep-output-model"
fi

exit $failed
