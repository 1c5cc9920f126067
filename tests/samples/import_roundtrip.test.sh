#!/usr/bin/env bash
# chrononc import, then chrononc compile: every one of Chronon's compiled
# samples (shared/chronon-sample-production) becomes a definition file that
# compiles back to the same bytes. Each sample gets a scratch repo whose
# teams.json gives no defaults (null namespace and table_properties), so what
# compile writes comes from the imported definition alone.
set -euo pipefail
samples=$SHARED/chronon-sample-production
tmp=$(mktemp -d "$BUILD/import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
while IFS= read -r -d '' f; do
    rel=${f#"$samples"/}
    kind=${rel%%/*}
    n=$((n + 1))
    repo=$tmp/repo$n
    mkdir -p "$repo"
    team=$(basename "$(dirname "$f")")
    printf '{"default": {"namespace": null, "table_properties": null}, "%s": {}}\n' "$team" >"$repo/teams.json"
    if ! module=$($RUNNER "$BUILD/chrononc" import --chronon_root "$repo" "$f" 2>"$tmp/err"); then
        echo "FAIL $rel: import: $(cat "$tmp/err")"; bad=$((bad + 1)); continue
    fi
    module=${module#"$repo"/}
    if ! $RUNNER "$BUILD/chrononc" compile --chronon_root "$repo" --input_path "$module" --force-overwrite -y -q \
            2>"$tmp/err"; then
        echo "FAIL $rel: compile of $module:"; cat "$tmp/err"; bad=$((bad + 1)); continue
    fi
    out=$repo/production/$rel
    # compile.py writes no trailing newline; the one hand-edited sample has one
    if ! cmp -s <(cat "$f"; [ -z "$(tail -c 1 "$f")" ] || true) <(cat "$out"; [ -z "$(tail -c 1 "$f")" ] && echo || true); then
        echo "FAIL $rel: bytes differ"
        diff <(cat "$f") "$out" | head -10
        bad=$((bad + 1))
    fi
done < <(find "$samples" -type f -print0 | sort -z)
echo "import round trip: $n samples, $bad failed"
[ "$n" -ge 41 ] && [ "$bad" -eq 0 ]
