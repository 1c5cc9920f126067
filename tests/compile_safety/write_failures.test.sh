#!/usr/bin/env bash
# chrononc compile when writing fails (issue 11): an injected write() failure
# (a full disk) and rename() failure at the n-th file (the documented test
# hooks CHRONONC_FAULT_WRITE=n / CHRONONC_FAULT_RENAME=n), a read-only output
# folder, an output root that is a file and a team folder that is a file.
# Each: exit 1, one error naming the path (later failures of the same kind
# counted in one note), the old files intact, no temporary file left.
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compile_wfail.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # the read-only case runs chrononc as another user when we are root
cp "$BUILD/chrononc" "$tmp/chrononc" # a private copy: others may relink build/chrononc meanwhile
cc="$RUNNER $tmp/chrononc"
fail() { echo "FAIL: $*"; exit 1; }

"${PYTHON:-python3}" bench/gen_repo.py 100 "$tmp/repo" >/dev/null
cd "$tmp/repo"
$cc compile --chronon_root . --force-overwrite -q
cp -R production "$tmp/old"
# every config changes: the default namespace is in each one
sed -i 's/"namespace": "/"namespace": "changed_/' teams.json

# compile [CHRONONC_VAR=N] [ARGS]: exit status in $rc, stderr in $tmp/err
compile_with() {
    local vars=()
    while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
    set +e; env "${vars[@]}" $cc compile --chronon_root . --force-overwrite -j 1 "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
}
# the files that differ from the old tree and are not the new version: none may be half-written
check_old_or_new() {
    local f
    while IFS= read -r f; do
        cmp -s "production/$f" "$tmp/old/$f" || cmp -s "production/$f" "$tmp/new/$f" ||
            fail "$1: production/$f is neither the old nor the new version"
    done < <(cd "$tmp/old" && find . -type f | sed 's|^\./||')
}
no_temps() {
    local left
    left=$(find production -name '.*.tmp-*')
    [ -z "$left" ] || fail "$1: temporary files left: $left"
}

# the new tree, for comparisons (compiled elsewhere, from the edited repo)
# (twice: a compile over a tree reads what is materialized, e.g. Joins' production flags)
$cc compile --chronon_root . --output_root "$tmp/new" --force-overwrite -q
$cc compile --chronon_root . --output_root "$tmp/new" --force-overwrite -q

# 1. write() fails at the 5th file: that file keeps its old contents (the
# group_bys folder only: the joins pass writes its parts' GroupBys again)
compile_with CHRONONC_FAULT_WRITE=5 --input_path group_bys
[ "$rc" = 1 ] || fail "fault write: exit $rc"
[ "$(grep -c 'error: ' "$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "fault write: not one error"; }
path=$(sed -n 's/.*error: cannot write \(.*\): No space left on device$/\1/p' "$tmp/err")
[ -n "$path" ] || { cat "$tmp/err"; fail "fault write: no 'cannot write PATH: No space left on device'"; }
cmp -s "$path" "$tmp/old/${path#./production/}" || fail "fault write: $path is not its old version"
grep -q ' 1 failed; 1 error$' "$tmp/err" || { cat "$tmp/err"; fail "fault write: summary"; }
no_temps "fault write"
echo "ok: CHRONONC_FAULT_WRITE=5: one error naming $path, old file intact, no temporary file"

# 2. rename() fails at the 3rd file written
rm -rf production && cp -R "$tmp/old" production
compile_with CHRONONC_FAULT_RENAME=3 --input_path group_bys
[ "$rc" = 1 ] || fail "fault rename: exit $rc"
[ "$(grep -c 'error: ' "$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "fault rename: not one error"; }
path=$(sed -n 's/.*error: cannot write \(.*\): cannot rename the temporary file over it: Input\/output error$/\1/p' "$tmp/err")
[ -n "$path" ] || { cat "$tmp/err"; fail "fault rename: message"; }
cmp -s "$path" "$tmp/old/${path#./production/}" || fail "fault rename: $path is not its old version"
no_temps "fault rename"
# the next (whole) runs repair it
compile_with
[ "$rc" = 0 ] || { cat "$tmp/err"; fail "run after the fault: exit $rc"; }
compile_with
diff -r production "$tmp/new" >/dev/null || fail "run after the fault: tree is not the new one"
echo "ok: CHRONONC_FAULT_RENAME=3: one error naming $path, old file intact; the next run converges"

# 3. a read-only folder: every write into it fails; one error and one note
rm -rf production && cp -R "$tmp/old" production
team=$(cd production/group_bys && ls | head -1)
n_team=$(ls "production/group_bys/$team" | wc -l)
if [ "$(id -u)" = 0 ]; then
    # root writes anywhere: run as nobody, with the tree nobody's but that folder
    chmod -R a+rX "$tmp"
    chown -R 65534:65534 production
    chown 0:0 "production/group_bys/$team"
    chmod 755 "production/group_bys/$team"
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    chmod 555 "production/group_bys/$team"
    as_user=
fi
set +e; $as_user $cc compile --chronon_root . --force-overwrite -j 1 >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$tmp/err"; fail "read-only: exit $rc"; }
[ "$(grep -c 'error: ' "$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "read-only: not one error"; }
grep -q "error: cannot write ./production/group_bys/$team/[^:]*: cannot create a temporary file beside it: Permission denied$" "$tmp/err" ||
    { cat "$tmp/err"; fail "read-only: message"; }
if [ "$n_team" -gt 1 ]; then
    # (at least the folder's other files: the joins pass writes some GroupBys again)
    more=$(sed -n 's/^note: \([0-9]*\) more configs\? could not be written: Permission denied$/\1/p' "$tmp/err")
    [ -n "$more" ] && [ "$more" -ge $((n_team - 1)) ] ||
        { cat "$tmp/err"; fail "read-only: no note counting the other $((n_team - 1))"; }
fi
diff -r "production/group_bys/$team" "$tmp/old/group_bys/$team" >/dev/null || fail "read-only: the folder changed"
check_old_or_new "read-only"
no_temps "read-only"
[ "$(id -u)" = 0 ] && chown -R 0:0 production
chmod -R u+w production
echo "ok: read-only folder group_bys/$team ($n_team configs): one error, one note, the folder untouched"

# 4. the output root is a file
echo "not a folder" >"$tmp/file"
set +e; $cc compile --chronon_root . --output_root "$tmp/file" --force-overwrite >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
[ "$rc" = 1 ] || fail "output root file: exit $rc"
[ "$(cat "$tmp/err")" = "chrononc compile: the output root $tmp/file is not a folder" ] ||
    { cat "$tmp/err"; fail "output root file: message"; }
[ "$(cat "$tmp/file")" = "not a folder" ] || fail "output root file: the file changed"
echo "ok: output root that is a file: one line naming it, exit 1, the file intact"

# 5. a team folder that is a file
rm -rf production && cp -R "$tmp/old" production
rm -rf "production/joins/$team" && echo "a file" >"production/joins/$team"
compile_with
[ "$rc" = 1 ] || fail "folder is a file: exit $rc"
[ "$(grep -c 'error: ' "$tmp/err")" = 1 ] || { cat "$tmp/err"; fail "folder is a file: not one error"; }
grep -q "error: cannot create the folder ./production/joins/$team: Not a directory$" "$tmp/err" ||
    { cat "$tmp/err"; fail "folder is a file: message"; }
[ "$(cat "production/joins/$team")" = "a file" ] || fail "folder is a file: the file changed"
no_temps "folder is a file"
echo "ok: a team folder that is a file: one error naming it, exit 1, the file intact"
