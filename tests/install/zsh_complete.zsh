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
# TAB runs completion then prints <<DONE>>: the line is dropped only once its
# completion has finished (typed-ahead keys could cut it short otherwise).
zpty -w comp '_marked_complete() { _main_complete "$@"; local ret=$?; print -rn -- "<<DONE>>"; return ret; }
zle -C marked-complete complete-word _marked_complete
bindkey "^I" marked-complete'
# Markers are printed as ${:-MARK}N so that the terminal's echo of the command
# (which ZLE may redraw) never contains MARKN itself: only the output does.
zpty -w comp 'print ${:-READY}0'
zpty -r comp out $'*READY0\r*' || { print -u2 "zsh_complete: zsh did not start"; exit 4; }
integer n=0
for line in "$@"; do
    n+=1
    zpty -w -n comp "$line"$'\t'   # complete
    zpty -r comp completed '*<<DONE>>*' || { print -u2 "zsh_complete: no completion for '$line'"; exit 4; }
    zpty -w -n comp $'\C-u'        # drop the line
    zpty -w comp "print \${:-END}$n"
    zpty -r comp out "*END$n"$'\r*' || { print -u2 "zsh_complete: no prompt after '$line'"; exit 4; }
    print -r -- "== $line"
    print -r -- $completed | grep -ao '<<MATCH:[^>]*>>' | sed 's/^<<MATCH://; s/>>$//' | sort -u
done
zpty -d comp
