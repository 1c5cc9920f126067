#!/usr/bin/env bash
# .pre-commit-hooks.yaml, used the way a feature repo uses it: pre-commit
# (from PyPI, pinned in .ci/install-deps.sh) installed as the git hook of a
# temporary repo holding the quickstart, with both hooks taken from a hooks
# repo made of this checkout's .pre-commit-hooks.yaml. Then real commits:
#   * the valid repo commits;
#   * a definition with a misspelled keyword does not (the diagnostic shown);
#   * a broken sources/ module does not either: it is not a definition, but
#     the GroupBys that import it are checked;
#   * a valid change commits even while another, untouched definition is
#     broken (only the changed files and what imports them are checked);
#   * chrononc-compile-check refuses a definition change whose production/
#     config was not compiled, and accepts it once compiled and added.
set -euo pipefail
tmp=$(cd "$(mktemp -d "$BUILD/pre_commit.XXXXXX")" && pwd)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/out" ] && sed 's/^/    | /' "$tmp/out"; exit 1; }
$PYTHON -m pre_commit --version >/dev/null 2>&1 || fail "pre-commit is not installed (run .ci/install-deps.sh)"

# chrononc on PATH, as language: system hooks need it (under $RUNNER when set)
mkdir "$tmp/bin"
if [ -n "$RUNNER" ]; then
    printf '#!/bin/sh\nexec %s %s "$@"\n' "$RUNNER" "$ROOT/$BUILD/chrononc" >"$tmp/bin/chrononc"
    chmod +x "$tmp/bin/chrononc"
else
    ln -s "$ROOT/$BUILD/chrononc" "$tmp/bin/chrononc"
fi
export PATH="$tmp/bin:$PATH" PRE_COMMIT_HOME="$tmp/pre-commit-home" NO_COLOR=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
unset CHRONON_ROOT

# the hooks repo: this checkout's .pre-commit-hooks.yaml, committed
mkdir "$tmp/hooks"
cp "$ROOT/.pre-commit-hooks.yaml" "$tmp/hooks/"
git -C "$tmp/hooks" init -q -b main
git -C "$tmp/hooks" add .pre-commit-hooks.yaml
git -C "$tmp/hooks" commit -q -m hooks
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

# the feature repo
cp -r "$ROOT/examples/quickstart" "$tmp/feature"
cd "$tmp/feature"
git init -q -b main
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: chrononc-check
      - id: chrononc-compile-check
YAML
chrononc compile -q
$PYTHON -m pre_commit install >"$tmp/out" 2>&1 || fail "pre-commit install"
commit() { git add -A && git commit -q -m "$1" >"$tmp/out" 2>&1; }

commit "the quickstart" || fail "the valid repo does not commit"
grep -q 'chrononc check\.*Passed' "$tmp/out" || fail "chrononc check did not run and pass"
grep -q 'chrononc compile --check\.*Passed' "$tmp/out" || fail "chrononc compile --check did not run and pass"
head=$(git rev-parse HEAD)

# a misspelled keyword in a definition
sed -i 's/Aggregation(input_column="purchase_price", operation=Operation.LAST_K(10))/Aggregation(input_colum="purchase_price", operation=Operation.LAST_K(10))/' \
    group_bys/quickstart/purchases.py
grep -q input_colum= group_bys/quickstart/purchases.py || fail "the edit did not apply"
if commit "a typo"; then fail "a misspelled keyword was committed"; fi
grep -q "group_bys/quickstart/purchases.py:15:21: error: Aggregation() got an unexpected keyword argument 'input_colum'" "$tmp/out" \
    || fail "the diagnostic is not shown"
grep -q "note: did you mean 'input_column'?" "$tmp/out" || fail "no did-you-mean"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "HEAD moved"
git checkout -q HEAD -- group_bys/quickstart/purchases.py

# a broken module that only definitions import
printf '\nbroken = undefined_table_name\n' >>sources/quickstart.py
if commit "a broken source"; then fail "a broken sources/ module was committed"; fi
grep -q "sources/quickstart.py:.*error: name 'undefined_table_name' is not defined" "$tmp/out" \
    || fail "the error in sources/quickstart.py is not shown"
grep -q "definition files checked: of the 1 file given, and those importing them" "$tmp/out" \
    || fail "no summary of the importers checked"
git checkout -q HEAD -- sources/quickstart.py

# another definition broken (committed past the hook): a valid change elsewhere commits
printf '\nbroken = undefined_name\n' >>staging_queries/quickstart/daily_spend.py
git add -A && git commit -q --no-verify -m "broken, past the hook"
printf '\n# users: a comment\n' >>group_bys/quickstart/users.py
SKIP=chrononc-compile-check commit "a valid change" || fail "a valid change did not commit while an unrelated file is broken"
grep -q "chrononc check\.*Passed" "$tmp/out" || fail "chrononc check did not pass on the valid change"
printf '\n# users: another comment\n' >>group_bys/quickstart/users.py
if commit "with compile --check"; then fail "compile --check passed with a broken definition in the repo"; fi
git checkout -q "$head" -- staging_queries/quickstart/daily_spend.py
git checkout -q HEAD -- group_bys/quickstart/users.py

# a definition changed, its config not compiled
sed -i 's/startPartition="2023-11-01"/startPartition="2023-11-02"/' staging_queries/quickstart/daily_spend.py
if commit "not compiled"; then fail "a change without its compiled config was committed"; fi
grep -q '^./production/staging_queries/quickstart/daily_spend.v1$' "$tmp/out" || fail "the stale config is not listed"
chrononc compile -q
commit "compiled" || fail "the compiled change did not commit"
git diff --quiet HEAD~1 -- production/staging_queries/quickstart/daily_spend.v1 && fail "production/ was not committed"
echo "pre-commit: valid commits pass; a bad definition, a bad imported module and an uncompiled change are refused"
