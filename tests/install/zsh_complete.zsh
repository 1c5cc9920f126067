# Completes command lines in a real interactive zsh and prints the matches.
# usage: zsh zsh_complete.zsh FPATH_DIR WORKDIR LINE...
# For each LINE: "== LINE", then the matches zsh's completion system offers
# for its last word (sorted, one per line). zsh runs in a pseudo-terminal
# (zsh/zpty) with compinit and FPATH_DIR first on fpath; a compadd wrapper
# records the words each compadd call would add (compadd -O: matched against
# the word being completed as usual). Used by completion.test.sh.
zmodload zsh/zpty || { print -u2 "zsh_complete: no zsh/zpty module"; exit 3; }
fdir=$1 cwd=$2
shift 2
zpty comp zsh -f -i
zpty -w comp "PS1='> '; cd ${(q)cwd}; fpath=(${(q)fdir} \$fpath); autoload -U compinit; compinit -u -D"
# Calls that only ask compadd (-O/-A/-D: store, don't add) are passed through unrecorded.
zpty -w comp 'compadd() {
    if [[ " $* " == *" -"[OAD]" "* ]]; then builtin compadd "$@"; return; fi
    local -a __matches; local m
    builtin compadd -O __matches "$@"
    for m in $__matches; do print -rn -- "<<MATCH:$m>>"; done
    builtin compadd "$@"
}'
zpty -w comp 'print READY'
# The echo of a typed command is followed by an escape sequence, its output by CR.
zpty -r comp out $'*READY\r*' || { print -u2 "zsh_complete: zsh did not start"; exit 4; }
for line in "$@"; do
    zpty -w -n comp "$line"$'\t'   # complete
    zpty -w -n comp $'\C-u'        # drop the line
    zpty -w comp 'print END'
    zpty -r comp out $'*END\r*' || { print -u2 "zsh_complete: no answer for '$line'"; exit 4; }
    print -r -- "== $line"
    print -r -- $out | grep -ao '<<MATCH:[^>]*>>' | sed 's/^<<MATCH://; s/>>$//' | sort -u
done
zpty -d comp
