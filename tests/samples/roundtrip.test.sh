#!/usr/bin/env bash
# Every config Chronon's own compile.py wrote for its sample repo (shared/
# chronon-sample-production) parses into the generated C types and prints back
# byte for byte. compile.py writes no trailing newline, chrononc json adds one;
# the one sample that was hand-edited upstream already ends in a newline.
set -euo pipefail
samples=$SHARED/chronon-sample-production
[ -d "$samples" ] || { echo "missing fixtures: $samples"; exit 1; }

out=$(mktemp -d "$BUILD/samples.XXXXXX")
trap 'rm -rf "$out"' EXIT
n=0 bad=0
while IFS= read -r -d '' f; do
    rel=${f#"$samples"/}
    n=$((n + 1))
    if ! $RUNNER "$BUILD/chrononc" json "$f" >"$out/actual" 2>"$out/err"; then
        echo "FAIL $rel: chrononc json failed: $(cat "$out/err")"
        bad=$((bad + 1)); continue
    fi
    # expected: the file's bytes, ending in exactly one newline
    { cat "$f"; [ -z "$(tail -c 1 "$f")" ] || echo; } >"$out/expected"
    if ! cmp -s "$out/expected" "$out/actual"; then
        echo "FAIL $rel: bytes differ"
        diff "$out/expected" "$out/actual" | head -20
        bad=$((bad + 1))
    fi
done < <(find "$samples" -type f -print0 | sort -z)

# All of them at once, too: one process, many files, same bytes in order.
find "$samples" -type f | sort >"$out/list"
xargs $RUNNER "$BUILD/chrononc" json <"$out/list" >"$out/all"
while IFS= read -r f; do cat "$f"; [ -z "$(tail -c 1 "$f")" ] || echo; done <"$out/list" >"$out/all.expected"
cmp "$out/all.expected" "$out/all" || { echo "FAIL: multi-file output differs"; bad=$((bad + 1)); }

echo "samples: $n files, $bad failed"
[ "$n" -ge 41 ] || { echo "expected at least 41 sample files, found $n"; exit 1; }
[ "$bad" -eq 0 ]
