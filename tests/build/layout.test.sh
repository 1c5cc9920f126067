#!/usr/bin/env bash
# The layout `chrononc build` writes (runtime/exe/README.md, "Layout"): the
# configs in programs of a few hundred linked against the shared runtime,
# every config's path a hard link to its program; run from anywhere, through a symlink, with
# the output folder moved or the kit gone; an executable copied alone says
# what it needs; no stub carries the runtime unless --static; added, changed
# and removed configs; a team split in parts; the kit found from an installed
# prefix.
set -euo pipefail
source tests/build/lib.sh
make_tmp
repo=$tmp/repo
out=$repo/build
build_quickstart "$repo" >/dev/null
gb=group_bys/quickstart

# ---- the layout: hard links, a small program, the runtime once ---------------------
prog=$out/.build/.multi.0
[ -f "$prog" ] || fail "no program $prog"
[ "$(stat -c %h "$prog")" = 6 ] || fail "$prog: $(stat -c %h "$prog") links, expected 6 (itself + 5 configs)"
for c in "${QUICKSTART_CONFIGS[@]}"; do
    [ "$out/$c" -ef "$prog" ] || fail "$c is not a link to the program"
done
[ ! -e "$out/.build/.multi.1" ] || fail "5 configs in more than one program"
[ "$(find "$out" -name libchronon_exe.so.1 | wc -l)" = 1 ] || fail "the runtime is not there exactly once"
[ -f "$out/.lib/libchronon_exe.so.1" ] || fail "no $out/.lib/libchronon_exe.so.1"
# the modes cc gives what it makes: 0777 under the umask (0711 once, from mkstemp's 0600)
want_mode=$(printf '%o' $((0777 & ~$(umask))))
for f in "$prog" "$out/.lib/libchronon_exe.so.1"; do
    [ "$(stat -c %a "$f")" = "$want_mode" ] || fail "$f: mode $(stat -c %a "$f"), expected $want_mode (umask $(umask))"
done

# readelf/nm/ldd: each program needs the runtime by soname through the
# $ORIGIN rpath, and defines none of it
for c in "${QUICKSTART_CONFIGS[@]}"; do
    exe=$out/$c
    readelf -d "$exe" >"$tmp/dyn"
    grep -qF 'Shared library: [libchronon_exe.so.1]' "$tmp/dyn" || { cat "$tmp/dyn"; fail "$c: no NEEDED libchronon_exe.so.1"; }
    grep -qE '\((RUNPATH|RPATH)\).*\[\$ORIGIN/\.\./\.\./\.lib\]' "$tmp/dyn" || { cat "$tmp/dyn"; fail "$c: rpath"; }
    nm "$exe" >"$tmp/nm"     # (to a file: grep -q would end nm with SIGPIPE under pipefail)
    grep -qE '^ +U cexe_main_multi$' "$tmp/nm" || fail "$c: cexe_main_multi not imported"
    ! grep -qE ' [TtDd] (cexe_|crt_|tj_|chronon_)' "$tmp/nm" || fail "$c: carries a copy of the runtime"
    size=$(stat -c %s "$exe")
    [ "$size" -lt 200000 ] || fail "$c: $size bytes"
    found=$(ldd "$exe" | sed -n 's/^[[:space:]]*libchronon_exe\.so\.1 => \(.*\) (0x.*/\1/p')
    [ -n "$found" ] && [ "$found" -ef "$out/.lib/libchronon_exe.so.1" ] ||
        { ldd "$exe"; fail "$c: ldd does not find the runtime in $out/.lib"; }
done
echo "layout: one program, 5 hard links, the runtime once in .lib; readelf/nm/ldd: no stub carries the runtime"

# ---- from another folder, through symlinks -------------------------------------------
(cd / && $RUNNER "$out/$gb/users.v1" json) | cmp - "$repo/production/$gb/users.v1"
mkdir -p "$tmp/bin"
ln -s "$out/$gb/returns.v1" "$tmp/bin/any-name"
ln -s "../repo/build/$gb/purchases.v1" "$tmp/bin/relative"
(cd "$tmp/bin" && $RUNNER ./any-name info) | head -1 | diff -u <(echo "name: quickstart.returns.v1") -
(cd / && $RUNNER "$tmp/bin/relative" json) | cmp - "$repo/production/$gb/purchases.v1"
ln -s "$tmp/bin/any-name" "$tmp/bin/chain"
$RUNNER "$tmp/bin/chain" json | cmp - "$repo/production/$gb/returns.v1"
echo "runs: from /, through an absolute, a relative and a chained symlink"

# ---- the output folder moved, the kit gone ---------------------------------------------
cp -rp "$BUILD/exe-kit" "$tmp/kit"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --kit "$tmp/kit" --out "$tmp/out1" >/dev/null
rm -rf "$tmp/kit"
mv "$tmp/out1" "$tmp/moved"
$RUNNER "$tmp/moved/$gb/users.v1" json | cmp - "$repo/production/$gb/users.v1"
cp -r "$tmp/moved" "$tmp/copied"     # cp -r makes the links separate files: still runs
$RUNNER "$tmp/copied/joins/quickstart/training_set.v1" json | cmp - "$repo/production/joins/quickstart/training_set.v1"
echo "runs: the output folder moved or copied, the kit it was built with deleted"

# ---- one executable copied alone, or renamed ------------------------------------------------
mkdir -p "$tmp/alone"
cp "$out/$gb/users.v1" "$tmp/alone/users.v1"
rc=0; "$tmp/alone/users.v1" json >/dev/null 2>"$tmp/alone.err" || rc=$?
[ "$rc" = 127 ] || fail "copied alone: exit $rc"
grep -qF 'error while loading shared libraries: libchronon_exe.so.1: cannot open shared object file' "$tmp/alone.err" ||
    { cat "$tmp/alone.err"; fail "copied alone: the loader does not name the runtime"; }
# renamed inside a whole copy: the runtime is found, the name picks no config
cp "$tmp/copied/$gb/users.v1" "$tmp/copied/$gb/renamed"
rc=0; $RUNNER "$tmp/copied/$gb/renamed" json >"$tmp/r.out" 2>"$tmp/r.err" || rc=$?
[ "$rc" = 1 ] && [ ! -s "$tmp/r.out" ] || fail "renamed: exit $rc"
diff -u - "$tmp/r.err" <<EOF
renamed: this executable holds 5 configs (group_bys/quickstart/purchases.v1, group_bys/quickstart/returns.v1, group_bys/quickstart/users.v1, ...) and runs the one
  its path ends with, <kind folder>/<team>/<name>; '$tmp/copied/$gb/renamed' names none of them.
  Run it by its path in the build folder (or a symlink to that), copy the build folder
  whole, or make self-contained executables with \`chrononc build --static\`.
EOF
# a link in another folder of the copy: the file name alone picks the config
# when no other config has it
cp "$tmp/copied/$gb/users.v1" "$tmp/copied/joins/quickstart/users.v1"
$RUNNER "$tmp/copied/joins/quickstart/users.v1" json | cmp - "$repo/production/$gb/users.v1"
echo "copied alone: the loader names libchronon_exe.so.1 (exit 127); renamed: says what it holds (exit 1)"

# ---- --static: self-contained, runs copied anywhere under any name ---------------------------
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --static --out "$tmp/static" >"$tmp/static.out"
grep -qxF "chrononc build: 5 built, 0 up to date, 0 failed ($tmp/static)" "$tmp/static.out" || { cat "$tmp/static.out"; fail "static build"; }
for c in "${QUICKSTART_CONFIGS[@]}"; do
    exe=$tmp/static/$c
    [ "$(stat -c %h "$exe")" = 1 ] || fail "$c: --static is a link"
    readelf -d "$exe" >"$tmp/dyn"
    ! grep -qF libchronon_exe "$tmp/dyn" || fail "$c: --static needs the shared runtime"
    nm "$exe" >"$tmp/nm"
    grep -qE ' T cexe_main$' "$tmp/nm" || fail "$c: --static does not carry the runtime"
    cp "$exe" "$tmp/alone/static-copy"
    (cd / && $RUNNER "$tmp/alone/static-copy" json) | cmp - "$repo/production/$c"
done
[ ! -e "$tmp/static/.lib" ] || fail "--static wrote .lib"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --static --out "$tmp/static" | tail -1 |
    grep -qxF "chrononc build: 0 built, 5 up to date, 0 failed ($tmp/static)" || fail "static: second build"
# switching layouts in one output folder rebuilds everything, and back
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --out "$tmp/static" | tail -1 |
    grep -qxF "chrononc build: 5 built, 0 up to date, 0 failed ($tmp/static)" || fail "static -> shared"
[ "$tmp/static/$gb/users.v1" -ef "$tmp/static/.build/.multi.0" ] || fail "static -> shared: not linked"
[ -z "$(find "$tmp/static/.build" -mindepth 1 -type d)" ] || fail "static -> shared: folders left in .build"
[ -z "$(find "$tmp/static/.build" -name '*.c')" ] || fail "static -> shared: sources left"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" --out "$tmp/static" --static | tail -1 |
    grep -qxF "chrononc build: 5 built, 0 up to date, 0 failed ($tmp/static)" || fail "shared -> static"
[ -z "$(find "$tmp/static/.build" -name '.multi*')" ] || fail "shared -> static: programs left"
$RUNNER "$tmp/static/$gb/users.v1" json | cmp - "$repo/production/$gb/users.v1"
echo "static: one self-contained executable per config, runs copied alone; switching layouts rebuilds"

# ---- incremental: one changed, one added, one removed, in one build ----------------------------
printf ' ' >>"$repo/production/$gb/users.v1"
cp "$repo/production/$gb/returns.v1" "$repo/production/$gb/added.v1"
rm "$repo/production/$gb/purchases.v1"
echo "not ours" >"$out/$gb/notes.txt"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" >"$tmp/inc.out"
sort "$tmp/inc.out" | diff -u - <(sort <<EOF
removed $gb/purchases.v1
built $gb/added.v1
built $gb/users.v1
chrononc build: 2 built, 3 up to date, 0 failed, 1 removed ($out)
EOF
)
[ ! -e "$out/$gb/purchases.v1" ] || fail "removed config: executable still there"
[ -f "$out/$gb/notes.txt" ] || fail "a file the build did not make was removed"
[ "$(stat -c %h "$out/.build/.multi.0")" = 6 ] || fail "links after the incremental build"
! grep -qF "$gb/purchases.v1" "$out/.build/.multi.0" || fail "the program still holds the removed config"
for c in added.v1 users.v1 returns.v1; do
    $RUNNER "$out/$gb/$c" json | cmp - "$repo/production/$gb/$c"
done
# a whole team gone: its executables, program and folders go; other files stay
rm -r "$repo/production/staging_queries/quickstart"
$RUNNER "$BUILD/chrononc" build --chronon_root "$repo" >"$tmp/inc2.out"
diff -u - "$tmp/inc2.out" <<EOF
removed staging_queries/quickstart/daily_spend.v1
chrononc build: 0 built, 4 up to date, 0 failed, 1 removed ($out)
EOF
[ ! -e "$out/staging_queries/quickstart" ] && [ ! -e "$out/.build/staging_queries/quickstart" ] ||
    fail "a gone team's folders remain"
echo "incremental: changed + added built, removed removed (its bytes dropped)"

# ---- a bigger repo: parts of ~256 configs, one change recompiles one part ------------------------
big=$tmp/big
mkdir -p "$big/production/group_bys/t"
for i in $(seq 1 300); do printf '{"metaData": {"name": "t.c%d"}}' "$i" >"$big/production/group_bys/t/c$i"; done
$RUNNER "$BUILD/chrononc" build --chronon_root "$big" | tail -1 |
    grep -qxF "chrononc build: 300 built, 0 up to date, 0 failed ($big/build)" || fail "300 configs"
[ -f "$big/build/.build/.multi.0" ] && [ -f "$big/build/.build/.multi.1" ] &&
    [ ! -e "$big/build/.build/.multi.2" ] || fail "300 configs: not 2 parts"
links=$(( $(stat -c %h "$big/build/.build/.multi.0") + $(stat -c %h "$big/build/.build/.multi.1") ))
[ "$links" = 302 ] || fail "300 configs: $links links"
for i in 1 150 300; do
    $RUNNER "$big/build/group_bys/t/c$i" json | cmp - "$big/production/group_bys/t/c$i"
done
p0=$(stat -c %i "$big/build/.build/.multi.0") p1=$(stat -c %i "$big/build/.build/.multi.1")
touch "$big/production/group_bys/t/c7"
$RUNNER "$BUILD/chrononc" build --chronon_root "$big" >"$tmp/big.out"
printf 'built group_bys/t/c7\nchrononc build: 1 built, 299 up to date, 0 failed (%s)\n' "$big/build" | diff -u - "$tmp/big.out"
q0=$(stat -c %i "$big/build/.build/.multi.0") q1=$(stat -c %i "$big/build/.build/.multi.1")
[ $(( (p0 != q0) + (p1 != q1) )) = 1 ] || fail "one change relinked $(( (p0 != q0) + (p1 != q1) )) parts"
# down to 200 configs: one part again; the removed configs' executables go,
# whichever part they were in
rm "$big/production/group_bys/t/c"{201..300}
$RUNNER "$BUILD/chrononc" build --chronon_root "$big" >"$tmp/big.out"
# (the configs that were in part 1 are built into part 0; part 0's own are up to date)
summary=$(tail -1 "$tmp/big.out")
[[ "$summary" =~ ^chrononc\ build:\ ([0-9]+)\ built,\ ([0-9]+)\ up\ to\ date,\ 0\ failed,\ 100\ removed ]] &&
    [ $(( BASH_REMATCH[1] + BASH_REMATCH[2] )) = 200 ] && [ "${BASH_REMATCH[1]}" -gt 0 ] || fail "300 -> 200 configs: $summary"
[ "$(grep -c '^removed ' "$tmp/big.out")" = 100 ] || fail "300 -> 200: removed lines"
[ "$(find "$big/build/group_bys/t" -type f | wc -l)" = 200 ] || fail "300 -> 200: executables left"
[ ! -e "$big/build/.build/.multi.1" ] && [ "$(stat -c %h "$big/build/.build/.multi.0")" = 201 ] || fail "300 -> 200: programs"
$RUNNER "$big/build/group_bys/t/c200" json | cmp - "$big/production/group_bys/t/c200"
echo "parts: 300 configs in 2 programs; one change rebuilds one; down to 200, one program"

# ---- the kit from an installed prefix (relative to the real chrononc) ------------------------------
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/lib/chronon-c"
cp "$BUILD/chrononc" "$tmp/prefix/bin/chrononc"
cp -rp "$BUILD/exe-kit" "$tmp/prefix/lib/chronon-c/exe-kit"
ln -s "$tmp/prefix/bin/chrononc" "$tmp/bin/chrononc-link"
rm -rf "$tmp/p-out"
CHRONONC_EXE_KIT= $RUNNER "$tmp/bin/chrononc-link" build --chronon_root "$repo" --out "$tmp/p-out" | tail -1 |
    grep -qxF "chrononc build: 4 built, 0 up to date, 0 failed ($tmp/p-out)" || fail "installed kit not found"
rc=0; CHRONONC_EXE_KIT=$tmp/nowhere $RUNNER "$tmp/prefix/bin/chrononc" build --chronon_root "$repo" --out "$tmp/p-out" \
    2>"$tmp/kit.err" >/dev/null || rc=$?
[ "$rc" = 1 ] && grep -qF "the exe kit is incomplete: $tmp/nowhere/" "$tmp/kit.err" || fail "CHRONONC_EXE_KIT not first"
echo "kit: found at ../lib/chronon-c/exe-kit from the real chrononc; CHRONONC_EXE_KIT comes first"
echo "layout: all checks passed"
