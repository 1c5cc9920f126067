#!/usr/bin/env bash
# Shell completion (codegen/chrononc/completion): the bash function, sourced and
# driven through COMP_WORDS/COMP_CWORD, completes chrononc's commands, each
# command's options exactly as its --help lists them, option values, and the
# definition paths under the chronon root (kind folders, team folders, files;
# --chronon_root DIR, --chronon_root=DIR, $CHRONON_ROOT); the zsh function
# parses (zsh -n) and, in a real interactive zsh (tests/install/zsh_complete.zsh,
# through zpty), completes the same commands, options, values and paths.
#
# Run by tests/run.sh from the repo root; env BUILD.
set -euo pipefail
tmp=$(mktemp -d "$BUILD/completion.XXXXXX")
tmp=$(cd "$tmp" && pwd)
trap 'rm -rf "$tmp"' EXIT
repo_root=$(pwd)
chrononc=$(pwd)/$BUILD/chrononc
bash_comp=$(pwd)/codegen/chrononc/completion/chrononc.bash
zsh_comp=$(pwd)/codegen/chrononc/completion/_chrononc
fail() { echo "FAIL: $*" >&2; exit 1; }

# The options a --help text lists: in its usage lines (up to the first blank
# line) and its indented option lines and their continuations; not the
# ones its prose mentions (import's "compile --force-overwrite").
help_options() {
    awk 'NR == 1, /^$/ { print; next } /^[ \t]/' |
        grep -oE '(^|[][ \t(|,])--?[A-Za-z][A-Za-z0-9_-]*' | sed -E 's/^[^-]+//' |
        grep -v '^-X' | sort -u   # -Xmx: a JVM option sql's help mentions
}

# complete WORD... : COMPREPLY for the last word, one per line, sorted.
complete_bash() {
    (
        # shellcheck disable=SC1090
        source "$bash_comp"
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMPREPLY=()
        _chrononc
        [ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
    )
}
expect() {  # expect "WORDS" LINE... : the completion of WORDS is exactly LINE... ('' is an empty word)
    local words=$1; shift
    local got want w
    local -a argv=()
    for w in $words; do [ "$w" = "''" ] && argv+=("") || argv+=("$w"); done
    got=$(complete_bash "${argv[@]}")
    want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
    [ "$got" = "$want" ] || fail "bash: completing '$words': got [$(echo $got)], want [$(echo $want)]"
}

commands=$("$chrononc" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}')
[ -n "$commands" ] || fail "no commands in chrononc --help"
# shellcheck disable=SC2086
expect "chrononc ''" $commands --help --version
expect "chrononc co" compile
expect "chrononc e" eval

# Each command's options: what its --help lists, plus --help.
checked=0
for cmd in $commands; do
    want=$( { "$chrononc" "$cmd" --help | help_options; echo --help; } | sort -u)
    got=$(complete_bash chrononc "$cmd" -)
    [ "$got" = "$want" ] || fail "bash: chrononc $cmd -<TAB>: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ') (< in --help only, > in the completion only)"
    checked=$((checked + $(echo "$want" | wc -l)))
    { echo "== chrononc $cmd -"; echo "$want"; } >>"$tmp/zsh.want"
done
echo "bash: $checked options of $(echo $commands | wc -w) commands complete as --help lists them"

# Option values.
expect "chrononc json --type ''" GroupBy Join StagingQuery
expect "chrononc import --type S" StagingQuery
expect "chrononc compile --type=J" Join
expect "chrononc sql --arg b" bool:
expect "chrononc check --diagnostics-format=s" sarif
expect "chrononc compile --color ''" always auto never

# Definition paths under the root: kind folders, team folders, files.
cp -r examples/quickstart "$tmp/repo"
"$chrononc" compile --chronon_root "$tmp/repo" -y -q   # production/ must not be offered
mkdir -p "$tmp/repo/group_bys/quickstart/__pycache__" && touch "$tmp/repo/group_bys/quickstart/x.pyc"
cd "$tmp"
expect "chrononc compile --chronon_root repo --input_path ''" group_bys/ joins/ staging_queries/
expect "chrononc compile --chronon_root repo --input_path g" group_bys/
expect "chrononc compile --chronon_root repo --input_path group_bys/" group_bys/quickstart/
expect "chrononc check --chronon_root=repo --conf group_bys/quickstart/" \
    group_bys/quickstart/purchases.py group_bys/quickstart/returns.py group_bys/quickstart/users.py
expect "chrononc compile --chronon_root repo --input_path=joins/" joins/quickstart/
# as bash splits a line at '=' (COMP_WORDBREAKS)
expect "chrononc compile --chronon_root = repo --input_path = joins/" joins/quickstart/
expect "chrononc compile --chronon_root = repo --input_path =" group_bys/ joins/ staging_queries/
expect "chrononc eval --root repo j" joins/
expect "chrononc eval --root repo staging_queries/quickstart/" staging_queries/quickstart/daily_spend.py
CHRONON_ROOT=$tmp/repo expect "chrononc compile --input_path s" staging_queries/
(cd repo && expect "chrononc compile --input_path j" joins/)
# Directories for directory options, files for file arguments.
expect "chrononc build --chronon_root re" repo
expect "chrononc import repo/production/joins/quickstart/t" repo/production/joins/quickstart/training_set.v1
echo "bash: option values and definition paths under the root complete"

# zsh: the file parses, and a real zsh completes as bash does (options above, then these).
command -v zsh >/dev/null || fail "zsh is not installed (.ci/install-deps.sh installs it)"
zsh -n "$zsh_comp" || fail "zsh -n $zsh_comp"
cat >>"$tmp/zsh.want" <<'WANT'
== chrononc co
compile
== chrononc check --diagnostics-format=
json
sarif
text
== chrononc json --type 
GroupBy
Join
StagingQuery
== chrononc sql --master=l
local[*]
local[1]
local[2]
== chrononc compile --chronon_root repo --input_path 
group_bys
joins
staging_queries
== chrononc compile --chronon_root repo --input_path group_bys/
quickstart
== chrononc check --chronon_root=repo --conf group_bys/quickstart/
purchases.py
returns.py
users.py
== chrononc eval --root repo staging_queries/quickstart/
daily_spend.py
== chrononc build --chronon_root re
repo
WANT
mapfile -t lines < <(sed -n 's/^== //p' "$tmp/zsh.want")
timeout 120 zsh "$repo_root/tests/install/zsh_complete.zsh" "$(dirname "$zsh_comp")" "$tmp" "${lines[@]}" >"$tmp/zsh.got" ||
    fail "zsh_complete.zsh exited $?"
diff "$tmp/zsh.want" "$tmp/zsh.got" >"$tmp/zsh.diff" || { cat "$tmp/zsh.diff"; fail "zsh completes otherwise (< wanted, > zsh)"; }
echo "zsh: _chrononc parses; in zsh, ${#lines[@]} command lines complete as in bash"
