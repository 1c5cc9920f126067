# bash completion for chrononc (installed as share/bash-completion/completions/chrononc).
# Commands, each command's options (as its --help lists them; tests/install/
# completion.test.sh checks they agree), option values (directories, files,
# config types, job counts) and the definition paths under the chronon root:
# --input_path/--conf and eval's FILE.py complete group_bys/, joins/,
# staging_queries/, their team folders and files, relative to --chronon_root
# (eval: --root), else $CHRONON_ROOT, else the current folder.
# Needs only bash (no bash-completion helpers).

_chrononc_commands="compile check import eval build json sql"

_chrononc_options() {
    case $1 in
    compile) echo "--chronon_root --input_path --conf --output_root --force-overwrite --preserve-env
                   --preserve-sample-percent --check -y --yes -j --jobs -q --quiet
                   --diagnostics-format --color --version --help" ;;
    check) echo "--chronon_root --input_path --conf --output_root --force-overwrite --preserve-env
                 --preserve-sample-percent -y --yes -j --jobs -q --quiet
                 --diagnostics-format --color --version --help" ;;
    import) echo "--chronon_root --type --force --help" ;;
    eval) echo "--root --help" ;;
    build) echo "--chronon_root --output_root --out -j --kit --cc --static --force --keep-sources -v --help" ;;
    json) echo "--type --strict --help" ;;
    sql) echo "--warehouse --master --conf --jars --spark-home --java-home --log-file --quiet -f
               --show --output --call-pyspark-utils --arg --help" ;;
    esac
}

# The chronon root the command line names (--chronon_root DIR, --chronon_root=DIR,
# eval's --root), else $CHRONON_ROOT, else ".".
_chrononc_root() {
    local i w
    for ((i = 2; i < ${#COMP_WORDS[@]} - 1; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        --chronon_root | --root)
            if [ "${COMP_WORDS[i + 1]}" = "=" ] && [ $((i + 2)) -lt "$COMP_CWORD" ]; then
                echo "${COMP_WORDS[i + 2]}"; return
            elif [ "${COMP_WORDS[i + 1]}" != "=" ] && [ $((i + 1)) -ne "$COMP_CWORD" ]; then
                echo "${COMP_WORDS[i + 1]}"; return
            fi ;;
        --chronon_root=* | --root=*) echo "${w#*=}"; return ;;
        esac
    done
    echo "${CHRONON_ROOT:-.}"
}

# Definition paths under the root: the three kind folders, their team folders
# and, with $2 = py, only .py files (eval). Folders end in / and take no space.
_chrononc_definitions() {
    local root=$1 cur=$2 only=${3:-} p rel IFS=$'\n'
    root=${root%/}
    for p in $(compgen -f -- "$root/$cur"); do
        rel=${p#"$root"/}
        case $rel in group_bys | group_bys/* | joins | joins/* | staging_queries | staging_queries/*) ;; *) continue ;; esac
        case $rel in */__pycache__ | *.pyc) continue ;; esac
        if [ -d "$p" ]; then
            rel+=/
        elif [ "$only" = py ] && [[ $rel != *.py ]]; then
            continue
        fi
        COMPREPLY+=("$rel")
    done
    compopt -o nospace 2>/dev/null || true
}

_chrononc_dirs() {
    local IFS=$'\n'
    COMPREPLY=($(compgen -d -- "$1"))
    compopt -o filenames 2>/dev/null || true
}

_chrononc_files() {
    local IFS=$'\n'
    COMPREPLY=($(compgen -f -- "$1"))
    compopt -o filenames 2>/dev/null || true
}

_chrononc() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd=${COMP_WORDS[1]}
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$_chrononc_commands --help --version" -- "$cur"))
        return 0
    fi
    # --opt=VALUE: complete the value as for --opt VALUE. Bash splits the line
    # at '=' (COMP_WORDBREAKS), giving "--opt" "=" "VALUE"; without that split
    # it is one word.
    if [ "$cur" = "=" ]; then
        cur=""
    elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 3 ]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    fi
    case $prev in
    --chronon_root | --root | --out | --kit | --warehouse | --spark-home | --java-home)
        _chrononc_dirs "$cur"; return 0 ;;
    --output_root)
        _chrononc_dirs "$cur"; return 0 ;;
    --input_path | --conf)
        if [ "$cmd" != sql ]; then
            _chrononc_definitions "$(_chrononc_root)" "$cur"; return 0
        fi
        return 0 ;;  # sql --conf KEY=VALUE
    --type)
        COMPREPLY=($(compgen -W "GroupBy Join StagingQuery" -- "$cur")); return 0 ;;
    --diagnostics-format)
        COMPREPLY=($(compgen -W "text json sarif" -- "$cur")); return 0 ;;
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return 0 ;;
    -j | --jobs)
        COMPREPLY=($(compgen -W "$(seq 1 "$(nproc 2>/dev/null || echo 4)")" -- "$cur")); return 0 ;;
    --cc)
        COMPREPLY=($(compgen -c -- "$cur")); return 0 ;;
    -f | --log-file | --output)
        _chrononc_files "$cur"; return 0 ;;
    --master)
        COMPREPLY=($(compgen -W "local[*] local[1] local[2] spark://" -- "$cur"))
        compopt -o nospace 2>/dev/null || true
        return 0 ;;
    --arg)
        COMPREPLY=($(compgen -W "string: int: bool: session: null:" -- "$cur"))
        compopt -o nospace 2>/dev/null || true
        return 0 ;;
    --show | --jars | --call-pyspark-utils)
        return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_chrononc_options "$cmd")" -- "$cur"))
        return 0
    fi
    case $cmd in
    eval) _chrononc_definitions "$(_chrononc_root)" "$cur" py ;;
    import | json) _chrononc_files "$cur" ;;
    esac
    return 0
}
complete -F _chrononc chrononc
