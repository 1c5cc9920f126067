#!/usr/bin/env bash
# make install / make uninstall, used as an installed tree is used:
#  1. staged: make install DESTDIR=<tmp>/stage PREFIX=/opt/chronon-c writes the
#     layout of the Makefile's install block (every file named below, nothing
#     else), libraries with versioned sonames, .pc files naming /opt/chronon-c;
#     examples/c-api builds from the staged tree through
#     `pkg-config --define-prefix` (shared and static) and runs; a second
#     install over it works; make uninstall leaves no file.
#  2. in place: make install PREFIX=<tmp>/prefix, then with that tree only
#     (PATH, PKG_CONFIG_PATH, MANPATH): examples/c-api and a chronon_runtime
#     program (tests/jvm/table_print.c) build with plain pkg-config and print
#     what they print from the build tree; the installed chrononc compiles and
#     builds the quickstart with its kit found at ../lib/chronon-c/exe-kit
#     (no --kit, no CHRONONC_EXE_KIT), an executable's info and validate run
#     (one JVM start); man renders every page; the installed bash completion
#     completes; make uninstall leaves no file.
# One JVM start, so the plain pass only (as tests/jvm's tests).
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, CC.
set -euo pipefail
case "$RUNNER" in *valgrind*) echo "install: runs in the plain pass only (it starts a JVM)"; exit 0 ;; esac
case "$BUILD" in *-asan | *-tsan) echo "install: runs in the plain pass only (it starts a JVM)"; exit 0 ;; esac
tmp=$(mktemp -d "$BUILD/install.XXXXXX")
tmp=$(cd "$tmp" && pwd)
trap 'rm -rf "$tmp"' EXIT
repo=$(pwd)
CC=${CC:-cc}
fail() { echo "FAIL: $*" >&2; exit 1; }
unset CHRONONC_EXE_KIT PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR MANPATH
# `make` of the suite's own make, with its variables, not the caller's -j flags.
install_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$repo" BUILD="$BUILD" "$@"; }

# What install writes, relative to PREFIX (symlinks marked ->).
expected_files() {
    echo bin/chrononc
    (cd "$BUILD/exe-kit" && find . -type f -o -type l) | sed 's|^\.|lib/chronon-c/exe-kit|'
    for h in chronon_api.h tjson.h chronon_runtime.h chronon_exe.h; do echo "include/chronon-c/$h"; done
    printf 'lib/%s\n' libchronon_api.a libchronon_api.so.1 'libchronon_api.so -> libchronon_api.so.1' \
        libchronon_runtime.a libchronon_runtime.so.1 'libchronon_runtime.so -> libchronon_runtime.so.1' \
        pkgconfig/chronon-c.pc pkgconfig/chronon-c-runtime.pc
    for m in docs/man/*.1; do echo "share/man/man1/$(basename "$m")"; done
    echo share/doc/chronon-c/README.md
    for d in docs/*.md docs/internals/*.md runtime/exe/README.md examples/c-api/*.c; do echo "share/doc/chronon-c/$d"; done
    find examples/quickstart \( -name production -o -name build -o -name __pycache__ -o -name chronon_warehouse \) -prune \
        -o -type f ! -name '*.pyc' -print | sed 's|^|share/doc/chronon-c/|'
    echo share/bash-completion/completions/chrononc
    echo share/zsh/site-functions/_chrononc
}
installed_files() {
    (cd "$1" && find . -type f | sed 's|^\./||'
     find . -type l | sed 's|^\./||' | while read -r l; do echo "$l -> $(readlink "$l")"; done)
}
check_layout() {  # check_layout PREFIX_ON_DISK
    diff <(expected_files | sort) <(installed_files "$1" | sort) >"$tmp/layout.diff" ||
        { cat "$tmp/layout.diff"; fail "installed files differ from the layout (< expected, > installed)"; }
}
check_soname() {  # check_soname LIB SONAME
    readelf -d "$1" | grep -q "(SONAME) *Library soname: \[$2\]" || fail "$1: soname is not $2"
}
# After make uninstall: no file or link, and only the shared folders remain.
check_uninstalled() {  # check_uninstalled PREFIX_ON_DISK
    local left
    left=$(cd "$1" && find . ! -type d)
    [ -z "$left" ] || fail "make uninstall left: $left"
    left=$(cd "$1" && find . -type d | sort | tr '\n' ' ')
    [ "$left" = ". ./bin ./include ./lib ./lib/pkgconfig ./share ./share/bash-completion ./share/bash-completion/completions ./share/doc ./share/man ./share/man/man1 ./share/zsh ./share/zsh/site-functions " ] ||
        fail "make uninstall left folders of its own: $left"
}
# The C API example: builds -Werror with FLAGS, runs, reads its JSON back equal.
build_c_api() {  # build_c_api OUT FLAGS...
    local out=$1; shift
    # shellcheck disable=SC2068
    $CC -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L examples/c-api/purchases_group_by.c $@ -o "$out"
}

# ---- 1. staged into a DESTDIR ----
stage=$tmp/stage
install_make install DESTDIR="$stage" PREFIX=/opt/chronon-c
root=$stage/opt/chronon-c
check_layout "$root"
check_soname "$root/lib/libchronon_api.so.1" libchronon_api.so.1
check_soname "$root/lib/libchronon_runtime.so.1" libchronon_runtime.so.1
grep -qx 'prefix=/opt/chronon-c' "$root/lib/pkgconfig/chronon-c.pc" || fail "chronon-c.pc does not name /opt/chronon-c"
grep -qx 'libdir=${prefix}/lib' "$root/lib/pkgconfig/chronon-c-runtime.pc" || fail "chronon-c-runtime.pc's libdir"
export PKG_CONFIG_PATH=$root/lib/pkgconfig
flags=$(echo $(pkg-config --define-prefix --cflags --libs chronon-c))  # without the trailing blank
[ "$flags" = "-I$root/include/chronon-c -L$root/lib -lchronon_api" ] || fail "pkg-config --define-prefix chronon-c: $flags"
static=$(echo $(pkg-config --define-prefix --static --libs chronon-c))
[ "$static" = "-L$root/lib -lchronon_api -ljansson -lm" ] || fail "pkg-config --static --libs chronon-c: $static"
# shellcheck disable=SC2086
build_c_api "$tmp/c_api_shared" $flags
readelf -d "$tmp/c_api_shared" | grep -q 'NEEDED.*\[libchronon_api.so.1\]' || fail "c-api example not linked against libchronon_api.so.1"
LD_LIBRARY_PATH=$root/lib "$tmp/c_api_shared" | tail -n 1 | grep -qx 'read back: equal, operation SUM' || fail "c-api example (shared, staged) output"
# Static: the archive and the .pc's private libraries.
# shellcheck disable=SC2086
build_c_api "$tmp/c_api_static" $(pkg-config --define-prefix --cflags chronon-c) ${static/-lchronon_api/-l:libchronon_api.a}
! readelf -d "$tmp/c_api_static" | grep -q 'libchronon_api' || fail "static c-api example needs libchronon_api.so"
"$tmp/c_api_static" | tail -n 1 | grep -qx 'read back: equal, operation SUM' || fail "c-api example (static) output"
install_make install DESTDIR="$stage" PREFIX=/opt/chronon-c   # over an installed tree
check_layout "$root"
install_make uninstall DESTDIR="$stage" PREFIX=/opt/chronon-c
check_uninstalled "$root"
unset PKG_CONFIG_PATH
echo "staged (DESTDIR): $(expected_files | wc -l) files as laid out, sonames, pkg-config --define-prefix builds examples/c-api shared and static, reinstall, uninstall leaves no file"

# ---- 2. installed at a PREFIX, used from there ----
prefix=$tmp/prefix
install_make install PREFIX="$prefix"
check_layout "$prefix"
export PATH=$prefix/bin:$PATH PKG_CONFIG_PATH=$prefix/lib/pkgconfig MANPATH=$prefix/share/man
[ "$(command -v chrononc)" = "$prefix/bin/chrononc" ] || fail "chrononc on PATH is $(command -v chrononc)"
version=$(chrononc --version | sed -n '1s/^chrononc //p')
[ -n "$version" ] && [ "$(pkg-config --modversion chronon-c)" = "$version" ] &&
    [ "$(pkg-config --modversion chronon-c-runtime)" = "$version" ] ||
    fail "the .pc files' Version ($(pkg-config --modversion chronon-c)) is not chrononc --version's ($version)"
# shellcheck disable=SC2046
build_c_api "$tmp/c_api" $(pkg-config --cflags --libs chronon-c) -Wl,-rpath,"$prefix/lib"
"$tmp/c_api" >"$tmp/c_api.out"
$CC -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iruntime -Igenerated examples/c-api/purchases_group_by.c \
    generated/chronon_api.c "$BUILD/libtjson.a" -ljansson -lm -o "$tmp/c_api_tree"
"$tmp/c_api_tree" | cmp -s - "$tmp/c_api.out" || fail "c-api example prints other bytes built from the installed tree"
# chronon_runtime through chronon-c-runtime.pc (no JVM: tables printed, files written)
sed 's|#include "jvm/chronon_runtime.h"|#include <chronon_runtime.h>|' tests/jvm/table_print.c >"$tmp/table_print.c"
mkdir "$tmp/tables"
# shellcheck disable=SC2046
$CC -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L "$tmp/table_print.c" \
    $(pkg-config --cflags --libs chronon-c-runtime) -Wl,-rpath,"$prefix/lib" -o "$tmp/table_print"
readelf -d "$tmp/table_print" | grep -q 'NEEDED.*\[libchronon_runtime.so.1\]' || fail "table_print not linked against libchronon_runtime.so.1"
"$tmp/table_print" "$tmp/tables" | sed "s|$tmp/tables/|WORK/|" | cmp -s - tests/jvm/table_print.out ||
    fail "table_print linked against the installed runtime prints other tables than tests/jvm/table_print.out"
echo "prefix: examples/c-api and tests/jvm/table_print.c build with pkg-config from $prefix and print what the build tree's do"

# The installed chrononc, from another folder, finds its kit in the prefix.
mkdir "$tmp/work"
cd "$tmp/work"
cp -r "$repo/examples/quickstart" qs
chrononc compile --chronon_root qs -y -q
chrononc build --chronon_root qs -v >build.log 2>&1 || { cat build.log; fail "installed chrononc build"; }
grep -q "$prefix/bin/../lib/chronon-c/exe-kit/" build.log || { cat build.log; fail "chrononc build did not use the installed kit"; }
! grep -q "$repo/$BUILD/exe-kit" build.log || fail "chrononc build used the build tree's kit"
[ "$(find qs/build -path '*/.*' -prune -o -type f -print | wc -l)" -eq 5 ] || fail "not 5 executables: $(find qs/build)"
exe=qs/build/group_bys/quickstart/purchases.v1
$exe info >info.out
grep -qx 'name: quickstart.purchases.v1' info.out && grep -qx 'kind: GroupBy' info.out &&
    grep -qx 'output_table: quickstart.quickstart_purchases_v1' info.out || { cat info.out; fail "info"; }
CHRONON_WAREHOUSE=$tmp/warehouse $exe validate --require-jvm --quiet >validate.out 2>&1 || { cat validate.out; fail "validate"; }
grep -qx 'jvm: ok: PySparkUtils.parseGroupBy accepted it' validate.out || { cat validate.out; fail "validate: no JVM check"; }
cd "$repo"
echo "prefix: the installed chrononc compiled and built the quickstart (kit from $prefix/lib/chronon-c/exe-kit); info, validate (JVM) ok"

# Man pages from the installed tree, through MANPATH and man -M.
for page in "$prefix"/share/man/man1/*.1; do
    name=$(basename "$page" .1)
    MANWIDTH=80 man "$name" >"$tmp/man.out" 2>"$tmp/man.err" || { cat "$tmp/man.err"; fail "man $name"; }
    [ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err"; fail "man $name warns"; }
    grep -q "^NAME" "$tmp/man.out" || fail "man $name: no NAME"
done
MANWIDTH=80 man -M "$prefix/share/man" chrononc | grep -q '^ *chrononc - compile Chronon feature definitions' || fail "man -M chrononc"
MANWIDTH=80 man chrononc-check | grep -q '^ *--force-overwrite' || fail "man chrononc-check (a .so of chrononc-compile) shows no options"
echo "prefix: man renders $(ls "$prefix"/share/man/man1 | wc -l) pages from MANPATH=$prefix/share/man"

# The installed completion.
got=$(bash -c 'source "$1"; COMP_WORDS=(chrononc bu); COMP_CWORD=1; _chrononc; echo "${COMPREPLY[*]}"' _ \
    "$prefix/share/bash-completion/completions/chrononc")
[ "$got" = build ] || fail "installed bash completion: chrononc bu -> '$got'"
zsh -n "$prefix/share/zsh/site-functions/_chrononc" || fail "installed zsh completion does not parse"

install_make uninstall PREFIX="$prefix"
check_uninstalled "$prefix"
echo "prefix: make uninstall leaves no file"
