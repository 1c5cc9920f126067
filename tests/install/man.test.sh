#!/usr/bin/env bash
# The man pages (docs/man) against the programs: every option of every
# chrononc command's --help and of the executables' --help is documented, no
# page documents an option that is gone (tests/install/man_options.py), and
# every page renders through man without a warning. No JVM starts.
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, PYTHON.
set -euo pipefail
tmp=$(mktemp -d "$BUILD/man.XXXXXX")
tmp=$(cd "$tmp" && pwd)
trap 'rm -rf "$tmp"' EXIT

# One executable of each kind (their --help differ: a StagingQuery's run takes other options).
cp -r examples/quickstart "$tmp/qs"
"$BUILD/chrononc" compile --chronon_root "$tmp/qs" -y -q
"$BUILD/chrononc" build --chronon_root "$tmp/qs" >/dev/null
exes=("$tmp/qs/build/group_bys/quickstart/purchases.v1" "$tmp/qs/build/joins/quickstart/training_set.v1"
      "$tmp/qs/build/staging_queries/quickstart/daily_spend.v1")

# RUNNER (valgrind) runs chrononc's --help; man_options.py calls the programs.
printf '#!/bin/sh\nexec %s %q "$@"\n' "${RUNNER:-}" "$(pwd)/$BUILD/chrononc" >"$tmp/chrononc"
chmod +x "$tmp/chrononc"
$PYTHON tests/install/man_options.py docs/man "$tmp/chrononc" "${exes[@]}"

# Rendered from a man hierarchy, so chrononc-check.1's `.so man1/...` resolves.
mkdir -p "$tmp/man/man1"
cp docs/man/*.1 "$tmp/man/man1/"
pages=0
for page in docs/man/*.1; do
    name=$(basename "$page" .1)
    out=$(MANWIDTH=80 man --warnings -M "$tmp/man" -E UTF-8 "$name" 2>"$tmp/warnings") \
        || { echo "FAIL man $name exited $?"; cat "$tmp/warnings"; exit 1; }
    [ ! -s "$tmp/warnings" ] || { echo "FAIL man $name warns:"; cat "$tmp/warnings"; exit 1; }
    # The NAME line of the page is the first line of the rendered text after NAME.
    printf '%s\n' "$out" | grep -A1 -x 'NAME' | tail -n 1 | grep -q -- "$name" \
        || { echo "FAIL man $name: NAME does not name it"; printf '%s\n' "$out" | head; exit 1; }
    pages=$((pages + 1))
done
echo "man: $pages pages render without warnings"
