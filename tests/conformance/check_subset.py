#!/usr/bin/env python3
"""Check that definition files stay inside the Python subset our compiler accepts.

usage: python3 tests/conformance/check_subset.py [ROOT...]
       (default: tests/conformance/repo)

Each ROOT is a Chronon repo root (it holds teams.json); every .py file under
it is checked. Prints one line per violation, `file:line: message`, then a
summary; exits 1 if there was any.

The subset (what the compiler's front end will implement):
  statements   import / from-import (of ai.chronon API modules, and of other
               modules of the repo or names they bind, optionally with `as`);
               module-level `NAME = expr`; a docstring as the first statement
               of a module or function; `def` of a pure helper: positional
               parameters with defaults, *args, keyword-only parameters, an
               optional docstring, then exactly one `return expr`.
  expressions  literals (str incl. triple-quoted and implicit concatenation,
               int, float, True/False/None), lists, tuples, dicts, names,
               attribute access, calls with positional, keyword, *x and **x
               arguments, `+`, list and dict comprehensions with a single
               `for NAME in ...` and no `if`, f-strings (no !r/!s/!a, no
               format spec), str.format, conditional expressions, and the
               builtins list, dict, len, sorted.
"""
import ast
import os
import sys

API_PREFIX = "ai.chronon"
REPO_PACKAGES = ("sources", "group_bys", "joins", "staging_queries")
BUILTINS = {"list", "dict", "len", "sorted"}
# Method names that would mean a call on a str/list/dict value; `format` is
# the one str method the subset has.
FORBIDDEN_METHODS = {
    "join", "upper", "lower", "split", "rsplit", "replace", "strip", "lstrip", "rstrip",
    "startswith", "endswith", "items", "keys", "values", "get", "append", "extend",
    "update", "pop", "copy", "setdefault", "index", "count", "title", "capitalize",
}


class Checker:
    def __init__(self, root, path):
        self.root = root
        self.path = path
        self.errors = []
        self.module_names = set()  # names bound at module level or by imports
        self.params = set()  # parameters of the function being checked

    def err(self, node, msg):
        self.errors.append(f"{os.path.relpath(self.path)}:{getattr(node, 'lineno', 0)}: {msg}")

    # ---- statements -------------------------------------------------------
    def check_module(self, tree):
        for i, stmt in enumerate(tree.body):
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                if i != 0:
                    self.err(stmt, "a string statement is only allowed as the module docstring (first statement)")
                continue
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    self.check_import_name(stmt, alias.name, is_module=True)
                    self.module_names.add((alias.asname or alias.name).split(".")[0])
            elif isinstance(stmt, ast.ImportFrom):
                if stmt.level:
                    self.err(stmt, "relative imports are not in the subset")
                    continue
                for alias in stmt.names:
                    if alias.name == "*":
                        self.err(stmt, "`import *` is not in the subset")
                    self.check_from_import(stmt, stmt.module, alias.name)
                    self.module_names.add(alias.asname or alias.name)
            elif isinstance(stmt, ast.Assign):
                if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                    self.err(stmt, "only `NAME = expr` assignments are in the subset")
                self.check_expr(stmt.value)
                for t in stmt.targets:
                    if isinstance(t, ast.Name):
                        self.module_names.add(t.id)
            elif isinstance(stmt, ast.FunctionDef):
                self.check_function(stmt)
                self.module_names.add(stmt.name)
            else:
                self.err(stmt, f"statement `{type(stmt).__name__}` is not in the subset")

    def check_import_name(self, node, name, is_module):
        if name == API_PREFIX or name.startswith(API_PREFIX + "."):
            return
        if name.split(".")[0] in REPO_PACKAGES:
            if is_module and not self.is_repo_module(name):
                self.err(node, f"`{name}` is not a module of this repo")
            return
        self.err(node, f"import of `{name}`: only ai.chronon API modules and repo modules")

    def check_from_import(self, node, module, name):
        if module == API_PREFIX or module.startswith(API_PREFIX + "."):
            return
        if module.split(".")[0] in REPO_PACKAGES:
            # a submodule, or a name bound by a repo module (docs/language.md §4.1)
            if not self.is_repo_module(module + "." + name) and not self.is_repo_module(module):
                self.err(node, f"`from {module} import {name}`: `{module}` is not a module of this repo")
            return
        self.err(node, f"import from `{module}`: only ai.chronon API modules and repo modules")

    def is_repo_module(self, dotted):
        p = os.path.join(self.root, *dotted.split("."))
        return os.path.isfile(p + ".py") or os.path.isdir(p)

    def check_function(self, fn):
        if fn.decorator_list:
            self.err(fn, "decorators are not in the subset")
        if fn.returns is not None:
            self.err(fn, "return annotations are not in the subset")
        a = fn.args
        if a.posonlyargs:
            self.err(fn, "positional-only parameters are not in the subset")
        if a.kwarg is not None:
            self.err(fn, "`**kwargs` parameters are not in the subset")
        params = [p for p in a.args + a.kwonlyargs] + ([a.vararg] if a.vararg else [])
        for p in params:
            if p.annotation is not None:
                self.err(fn, "parameter annotations are not in the subset")
        for d in a.defaults + [d for d in a.kw_defaults if d is not None]:
            self.check_expr(d)
        body = fn.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            self.err(fn, f"helper `{fn.name}`: the body must be an optional docstring and one `return expr`")
            return
        saved = self.params
        self.params = {p.arg for p in params}
        self.check_expr(body[0].value)
        self.params = saved

    # ---- expressions ------------------------------------------------------
    def check_expr(self, e, bound=frozenset()):
        c = self.check_expr
        if isinstance(e, ast.Constant):
            if not (e.value is None or isinstance(e.value, (str, bool, int, float))):
                self.err(e, f"literal {e.value!r} is not in the subset")
        elif isinstance(e, ast.Name):
            pass
        elif isinstance(e, (ast.List, ast.Tuple)):
            for x in e.elts:
                if isinstance(x, ast.Starred):
                    self.err(x, "starred items in list/tuple literals are not in the subset")
                    c(x.value, bound)
                else:
                    c(x, bound)
        elif isinstance(e, ast.Dict):
            for k, v in zip(e.keys, e.values):
                if k is None:
                    self.err(v, "`**` in dict literals is not in the subset (use dict(**a, **b))")
                else:
                    c(k, bound)
                c(v, bound)
        elif isinstance(e, ast.Attribute):
            c(e.value, bound)
        elif isinstance(e, ast.Call):
            f = e.func
            if isinstance(f, ast.Name) and f.id not in self.module_names and f.id not in self.params \
                    and f.id not in bound and f.id not in BUILTINS:
                self.err(e, f"call of `{f.id}`: not a builtin of the subset nor a name defined here")
            if isinstance(f, ast.Attribute) and f.attr in FORBIDDEN_METHODS:
                self.err(e, f"method `.{f.attr}()` is not in the subset (only str.format)")
            c(f, bound)
            for a in e.args:
                c(a.value if isinstance(a, ast.Starred) else a, bound)
            for k in e.keywords:
                c(k.value, bound)
        elif isinstance(e, ast.BinOp):
            if not isinstance(e.op, ast.Add):
                self.err(e, f"operator `{type(e.op).__name__}` is not in the subset (only +)")
            c(e.left, bound)
            c(e.right, bound)
        elif isinstance(e, ast.IfExp):
            c(e.test, bound)
            c(e.body, bound)
            c(e.orelse, bound)
        elif isinstance(e, (ast.ListComp, ast.DictComp)):
            if len(e.generators) != 1:
                self.err(e, "comprehensions have exactly one `for` in the subset")
            g = e.generators[0]
            if g.ifs or g.is_async:
                self.err(e, "comprehension `if` clauses are not in the subset")
            if not isinstance(g.target, ast.Name):
                self.err(e, "a comprehension target is a single name in the subset")
            c(g.iter, bound)
            inner = bound | {g.target.id} if isinstance(g.target, ast.Name) else bound
            if isinstance(e, ast.ListComp):
                c(e.elt, inner)
            else:
                c(e.key, inner)
                c(e.value, inner)
        elif isinstance(e, ast.JoinedStr):
            for v in e.values:
                if isinstance(v, ast.FormattedValue):
                    if v.conversion != -1 or v.format_spec is not None:
                        self.err(v, "f-string conversions and format specs are not in the subset")
                    c(v.value, bound)
        else:
            self.err(e, f"expression `{type(e).__name__}` is not in the subset")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    roots = argv[1:] or [os.path.join(here, "repo")]
    errors, files = [], 0
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ("production", "__pycache__"))
            for fn in sorted(filenames):
                if not fn.endswith(".py"):
                    continue
                path = os.path.join(dirpath, fn)
                files += 1
                with open(path, encoding="utf-8") as f:
                    src = f.read()
                try:
                    tree = ast.parse(src, path)
                except SyntaxError as ex:
                    errors.append(f"{os.path.relpath(path)}:{ex.lineno}: syntax error: {ex.msg}")
                    continue
                ch = Checker(root, path)
                ch.check_module(tree)
                errors.extend(ch.errors)
    for e in errors:
        print(e)
    print(f"check_subset: {files} files, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
