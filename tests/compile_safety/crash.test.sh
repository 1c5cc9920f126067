#!/usr/bin/env bash
# Crash safety of chrononc compile (issue 11): SIGKILL at 200 random moments
# while it rewrites a 1,000-config repo with about half the configs changed;
# after each kill every production file is its old or its new version, only
# hidden temporary files are left, and the next run converges. See crash.py.
#
# Each kill costs half a compile on average; two kill loops run at once (each
# on its own output tree): 25 s for 200 kills on this 2-core VM at load 6.
# Under the sanitizers (a build-asan/build-tsan binary is 3-5 times slower)
# and valgrind (whose RUNNER this test does not use: it kills the process,
# not valgrind) the same protocol is checked with 40 kills; CRASH_KILLS=N
# sets the count.
set -euo pipefail
kills=200
case "$BUILD:$RUNNER" in
*asan*|*tsan*|*valgrind*|*:?*) kills=40 ;;
esac
kills=${CRASH_KILLS:-$kills}
# tmpfs when there is one: the test does ~200 partial rewrites of 1,000 files
base=$BUILD
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
tmp=$(mktemp -d "$base/compile_crash.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-python3}" tests/compile_safety/crash.py "$(cd "$BUILD" && pwd)/chrononc" "$tmp" --kills "$kills"
