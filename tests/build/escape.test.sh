#!/usr/bin/env bash
# Whatever a config's bytes (and its path) hold, the executable embeds them
# exactly: quotes, backslashes, trigraph-like ??= and ??/, comment markers */
# and /*, control characters, UTF-8, a 300 KB line, every byte value 1..255.
set -euo pipefail
source tests/build/lib.sh
make_tmp
root=$tmp/repo
team='t*'                       # "group_bys/t*/..." has a */ in the path itself
name='we"ir\d??=.v1'
mkdir -p "$root/production/group_bys/$team" "$root/production/joins/$team"

# A valid GroupBy whose strings hold everything a C string literal or comment
# could trip on, written with raw UTF-8 and JSON escapes for control characters.
$PYTHON - "$root/production/group_bys/$team/$name" "$name" <<'EOF'
import json, sys
path, name = sys.argv[1], sys.argv[2]
nasty = 'q"uote \\back\\slash ??= ??/ ??\' ??( */ /* // \\n \\x41 \\101 %s %n {{ x }} \u00e9\u65e5\u672c\U0001F600 \x7f'
controls = "".join(chr(c) for c in range(1, 32))
conf = {
    "metaData": {
        "name": name,
        "team": 't*',
        "outputNamespace": "ns/*x*/",
        "customJson": json.dumps({"k": nasty}),
        "description": controls + nasty,
    },
    "sources": [{"events": {"table": "data.t??=", "query": {
        "selects": {nasty: nasty, "long": "x" * 300000},
        "wheres": ["a = '*/'", "b = \"/*\"", "c LIKE '\\\\%'"],
        "timeColumn": "ts", "setups": [controls]}}}],
    "keyColumns": ["user_id", nasty],
}
with open(path, "w", encoding="utf-8") as f:
    f.write(json.dumps(conf, indent=2, ensure_ascii=False))
EOF

# Not JSON at all: every byte value but NUL, with C-significant runs between.
$PYTHON - "$root/production/joins/$team/raw" <<'EOF'
import sys
data = bytes(range(1, 256)) + b'??= ??/\n*/ /* "\\" \\\r\n\x0b\x0c' + bytes(range(255, 0, -1))
open(sys.argv[1], "wb").write(data)
EOF

$RUNNER "$BUILD/chrononc" build --chronon_root "$root" --keep-sources >"$tmp/build.out"
grep -qxF "chrononc build: 2 built, 0 up to date, 0 failed ($root/build)" "$tmp/build.out" || { cat "$tmp/build.out"; fail build; }

gb=$root/build/group_bys/$team/$name
raw=$root/build/joins/$team/raw
$RUNNER "$gb" json | cmp - "$root/production/group_bys/$team/$name"
$RUNNER "$raw" json | cmp - "$root/production/joins/$team/raw"
echo "json: both round-trip byte for byte"

# The stubs hold the bytes as numbers only: none of the nasty text is in them.
for stub in "$root/build/.build/.multi.0.c"; do
    [ -s "$stub" ] || fail "$stub: not kept (--keep-sources)"
    ! grep -qF -e '??' -e 'uote' -e 'ns/*x' "$stub" || fail "$stub: config text leaked into C source"
done

# The same with --static: one program per config, its source kept.
$RUNNER "$BUILD/chrononc" build --chronon_root "$root" --static --out "$tmp/static" >"$tmp/static.out"
grep -qxF "chrononc build: 2 built, 0 up to date, 0 failed ($tmp/static)" "$tmp/static.out" || { cat "$tmp/static.out"; fail "static build"; }
$RUNNER "$tmp/static/group_bys/$team/$name" json | cmp - "$root/production/group_bys/$team/$name"
$RUNNER "$tmp/static/joins/$team/raw" json | cmp - "$root/production/joins/$team/raw"
for stub in "$tmp/static/.build/group_bys/$team/$name.c" "$tmp/static/.build/joins/$team/raw.c"; do
    [ -s "$stub" ] || fail "$stub: no source"
    ! grep -qF -e '??' -e 'uote' -e 'ns/*x' "$stub" || fail "$stub: config text leaked into C source"
done
echo "json: the --static executables round-trip byte for byte too"

$RUNNER "$gb" validate --static >"$tmp/v.out"
grep -qF "static: ok: GroupBy $name parses strictly into chronon_GroupBy" "$tmp/v.out" || { cat "$tmp/v.out"; fail validate; }
$RUNNER "$gb" info >"$tmp/info"
head -4 "$tmp/info" | diff -u - <(printf 'name: %s\nkind: GroupBy\nteam: t*\noutput_table: ns/*x*/.we_ir_d____v1\n' "$name")
sed -n 5,6p "$tmp/info" | diff -u - <(printf 'sources:\n  data.t??=\n')

rc=0; $RUNNER "$raw" validate --static >/dev/null 2>"$tmp/raw.err" || rc=$?
[ "$rc" -eq 1 ] || fail "raw bytes: validate exit $rc"
grep -qE "^joins/t\*/raw:1:[0-9]+: error: " "$tmp/raw.err" || { cat "$tmp/raw.err"; fail "raw bytes: no syntax error"; }
echo "escape: all checks passed"
