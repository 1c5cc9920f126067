#!/usr/bin/env bash
# The quickstart example compiles to the same bytes as compile.py writes for
# it (the README walks through it; make demo runs it).
set -euo pipefail
tmp=$(mktemp -d "$BUILD/quickstart.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bash tests/conformance/oracle.sh "$tmp/expected" examples/quickstart >"$tmp/oracle.log" 2>&1 || { cat "$tmp/oracle.log"; exit 1; }
cp -r examples/quickstart "$tmp/ours"
$RUNNER "$BUILD/chrononc" compile --chronon_root "$tmp/ours" -y
diff -r "$tmp/expected" "$tmp/ours/production"
[ "$(find "$tmp/expected" -type f | wc -l)" -eq 5 ]
echo "quickstart: 5 configs identical to compile.py's"
