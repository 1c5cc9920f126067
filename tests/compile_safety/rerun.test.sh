#!/usr/bin/env bash
# A re-run of chrononc compile with nothing changed (issue 9) is answered from
# the record a run that wrote and said nothing leaves beside the output root
# (.production.chrononc-state, see codegen/chrononc/compile_state.h), and any
# change makes the next run compile in full: an edit that keeps the size and
# the mtime, an edited, deleted or extra output, a new definition file,
# other options. Each time the tree must be what a full compile gives.
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compile_rerun.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
cp "$BUILD/chrononc" "$tmp/chrononc" # a private copy: others may relink build/chrononc meanwhile
cc="$RUNNER $tmp/chrononc"
fail() { echo "FAIL: $*"; exit 1; }

"${PYTHON:-python3}" bench/gen_repo.py 100 "$tmp/repo" 2>/dev/null
cd "$tmp/repo"
# run: compile, its summary line in $tmp/err
run() { $cc compile --chronon_root . --force-overwrite "$@" 2>"$tmp/err" || { cat "$tmp/err"; fail "compile $*"; }; }
fast() { grep -q '(nothing changed since the last run)$' "$tmp/err"; }
# settle: compile until a run writes nothing, then the record is there (a
# stat younger than 200 ms is not trusted: wait that long first)
settle() {
    local i
    for i in 1 2 3 4; do
        sleep 0.3
        run "$@"
        grep -q '^chrononc compile: 0 written' "$tmp/err" && [ -e .production.chrononc-state ] && return 0
    done
    cat "$tmp/err"; fail "no record after four runs"
}
settle
cp -R production "$tmp/ref"
summary=$(cat "$tmp/err")
sleep 0.3
run
fast || { cat "$tmp/err"; fail "nothing changed, yet compiled again"; }
[ "$(cat "$tmp/err")" = "$summary (nothing changed since the last run)" ] || { cat "$tmp/err"; fail "summary"; }
echo "ok: nothing changed: the record answers, same summary"

# an edit that keeps the size and the mtime (ctime still moves)
f=$(grep -l "Operation\.MAX" group_bys/*/*.py | head -1)
cp -p "$f" "$tmp/keep"
sed -i 's/Operation\.MAX/Operation.MIN/' "$f"
touch -r "$tmp/keep" "$f"
cmp -s "$f" "$tmp/keep" && fail "the edit did not change $f"
run
fast && fail "an edited definition (same size and mtime) was not compiled"
diff -r production "$tmp/ref" >/dev/null && fail "the edit changed no output"
cp -p "$tmp/keep" "$f"
settle
diff -r production "$tmp/ref" >/dev/null || fail "back to the old definition: not the old tree"
echo "ok: an edit keeping size and mtime: compiled in full"

# an output edited, deleted, added
out=$(ls production/group_bys/*/* | head -1)
sleep 0.3
echo '{}' >"$out"
run
fast && fail "an edited output was not written again"
cmp -s "$out" "$tmp/ref/${out#production/}" || fail "the edited output was not restored"
settle
rm "$out"
run
fast && fail "a deleted output was not written again"
[ -e "$out" ] || fail "the deleted output was not restored"
settle
echo "stale" >"production/group_bys/$(basename "$(dirname "$out")")/extra"
run
fast && fail "an extra output was not seen"
rm "production/group_bys/$(basename "$(dirname "$out")")/extra"
settle
echo "ok: an output edited, deleted or added: compiled in full, restored"

# a new definition file
d=$(dirname "$f")
cp "$f" "$d/zz_new.py"
run
fast && fail "a new definition file was not compiled"
ls production/group_bys/"$(basename "$d")"/zz_new.* >/dev/null 2>&1 || fail "the new file's configs were not written"
echo "ok: a new definition file: compiled in full"

# other options
settle
run --input_path group_bys
fast && fail "other options answered from the record"
echo "ok: other options: compiled in full"
