#!/usr/bin/env bash
# chronon_runtime without a JVM, through libchronon_runtime.so: tables printed
# byte for byte as pyspark 3.3.1's show() prints them (truncation at 20, full-
# width characters, escaped tabs and newlines, null, binary, the "only showing"
# footer, zero columns), CSV and JSON lines files (arrays, maps and structs as
# JSON from the table's json cells), crt_error_print, and
# crt_open's "no Java" error. No JVM starts, so this one runs in every pass
# (valgrind and ASan included).
#
# Run by tests/run.sh from the repo root; env BUILD, RUNNER, CC, CFLAGS, LDFLAGS.
set -uo pipefail

BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
CC=${CC:-cc}
lib=$BUILD/libchronon_runtime.so
[ -f "$lib" ] || { echo "missing $lib (run make first)" >&2; exit 1; }
work=$(mktemp -d "$BUILD/jvm-table.XXXXXX")
trap 'rm -rf "$work"' EXIT
here=tests/jvm
failed=0

# shellcheck disable=SC2086  # CFLAGS / LDFLAGS are lists of flags
if ! $CC ${CFLAGS:--std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iruntime} -Iruntime "$here/table_print.c" \
    ${LDFLAGS:-} -L"$BUILD" -lchronon_runtime -Wl,-rpath,"$(cd "$BUILD" && pwd)" -o "$work/table_print" 2>"$work/cc.err"; then
    echo "FAIL compiling table_print.c against $lib:"
    cat "$work/cc.err"
    exit 1
fi
rc=0
# shellcheck disable=SC2086  # RUNNER is a command prefix with arguments
$RUNNER "$work/table_print" "$work" >"$work/out" 2>"$work/err" || rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL table_print exited $rc"
    cat "$work/err"
    failed=1
fi
sed "s|$work/|WORK/|" "$work/out" >"$work/out.norm"
for pair in "out.norm:table_print.out:printed tables and errors" "t.csv:table_print.csv:CSV" \
    "t.jsonl:table_print.jsonl:JSON lines" "j.csv:table_json.csv:CSV of arrays, maps and structs (their JSON)" \
    "j.jsonl:table_json.jsonl:JSON lines of arrays, maps and structs (JSON values)"; do
    IFS=: read -r got want what <<<"$pair"
    if cmp -s "$work/$got" "$here/$want"; then
        echo "ok   $what"
    else
        echo "FAIL $what differs from $here/$want (< got, > wanted)"
        diff "$work/$got" "$here/$want" | head -n 40
        failed=1
    fi
done
exit $failed
