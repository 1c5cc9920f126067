"""Compare what an executable's `run --output F.jsonl` wrote with the oracle.

  values_check.py groupby NAME CONFIG START END OUTPUT.jsonl
  values_check.py join    NAME CONFIG START END OUTPUT.jsonl [COLUMN-PREFIX]
  values_check.py load    NAME COUNTS.jsonl

CONFIG is the compiled config (production/...). Every value of every expected
row is compared: the same rows (by key and ds for a GroupBy, by left row for a
Join), the same columns, doubles within a relative 1e-9, everything else
exactly, arrays element by element. With COLUMN-PREFIX only the join's left
columns and the columns starting with it are compared (one case per join
part). Prints "ok   NAME: R rows, V values" or "FAIL NAME: ..." with the
differences, and exits 1 on a difference.

Array columns: the runtime writes them as JSON arrays, or (older runtimes) as
a string in Spark's show() form, "[1.5, 2.0]" or "[m1, m2]"; both are read.
"""
import difflib
import json
import math
import sys

import values_data as data
import values_oracle as oracle

MAX_DIFFS = 25


def parse_array_string(s, want):
    """A string in Spark's show() form, read as the expected list's element types."""
    try:
        got = json.loads(s)
        if isinstance(got, list):
            return got
    except ValueError:
        pass
    inner = s[1:-1]
    items = [] if inner == "" else inner.split(", ")
    sample = next((w for w in want if w is not None), None)
    out = []
    for item in items:
        try:
            if item == "null":
                out.append(None)
            elif isinstance(sample, bool):
                out.append({"true": True, "false": False}[item])
            elif isinstance(sample, int):
                out.append(int(item))
            elif isinstance(sample, float):
                out.append(float(item))
            else:
                out.append(item)
        except (KeyError, ValueError):
            out.append(item)  # not of the expected type: a difference
    return out


def same(got, want):
    if want is None or got is None:
        return got is None and want is None
    if isinstance(want, list):
        if isinstance(got, str) and got.startswith("[") and got.endswith("]"):
            got = parse_array_string(got, want)
        return isinstance(got, list) and len(got) == len(want) and all(same(g, w) for g, w in zip(got, want))
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, float):
        return isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(want, int):
        return isinstance(got, int) and got == want
    return got == want


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def compare(name, got_rows, want_rows, key_cols, columns=None):
    diffs = []

    def key(r):
        return tuple(r.get(c) for c in key_cols)

    got, want = {}, {}
    for rows, index, what in ((got_rows, got, "output"), (want_rows, want, "oracle")):
        for r in rows:
            if key(r) in index:
                diffs.append("%s has two rows for %s" % (what, key(r)))
            index[key(r)] = r
    for k in sorted(set(want) - set(got), key=str):
        diffs.append("row %s missing (want %s)" % (k, json.dumps(want[k], sort_keys=True)))
    for k in sorted(set(got) - set(want), key=str):
        diffs.append("row %s not expected (got %s)" % (k, json.dumps(got[k], sort_keys=True)))
    values = 0
    for k in sorted(set(want) & set(got), key=str):
        g, w = got[k], want[k]
        wcols = set(w) if columns is None else {c for c in w if columns(c)}
        gcols = set(g) if columns is None else {c for c in g if columns(c)}
        for c in sorted(wcols - gcols):
            diffs.append("row %s: column %s missing" % (k, c))
        for c in sorted(gcols - wcols):
            diffs.append("row %s: column %s not expected" % (k, c))
        for c in sorted(wcols & gcols):
            values += 1
            if not same(g[c], w[c]):
                diffs.append("row %s column %s: got %s, want %s" % (k, c, json.dumps(g[c]), json.dumps(w[c])))
    if not want_rows:
        diffs.append("the oracle expects no rows: the case checks nothing")
    if diffs:
        print("FAIL %s: %d difference(s) in %d rows" % (name, len(diffs), len(want_rows)))
        for d in diffs[:MAX_DIFFS]:
            print("     | " + d)
        if len(diffs) > MAX_DIFFS:
            print("     | ... %d more" % (len(diffs) - MAX_DIFFS))
        return False
    print("ok   %s: %d rows, %d values" % (name, len(want_rows), values))
    return True


def check_load(name, output):
    """The warehouse holds the generated rows: (table, ds, count) as the last load statement lists them."""
    got = [(r["t"], r["ds"], r["n"]) for r in load(output)]
    want = data.counts()
    if got != want:
        print("FAIL %s: the warehouse's (table, ds, rows) differ from values_data.py's" % name)
        for line in difflib.unified_diff([str(w) for w in want], [str(g) for g in got], "want", "got", lineterm=""):
            print("     | " + line)
        return 1
    print("ok   %s: %d rows in %d partitions" % (name, sum(n for _, _, n in want), len(want)))
    return 0


def main(argv):
    if argv[:1] == ["load"]:
        return check_load(argv[1], argv[2])
    mode, name, conf_path, start, end, output = argv[:6]
    with open(conf_path) as f:
        conf = json.load(f)
    got = load(output)
    if mode == "groupby":
        want = oracle.group_by(conf, start, end)
        ok = compare(name, got, want, conf["keyColumns"] + ["ds"])
    elif mode == "join":
        want = oracle.join(conf, start, end)
        left = set(conf["left"]["events"]["query"]["selects"]) | {"ts", "ds"}
        prefix = argv[6] if len(argv) > 6 else None
        columns = None if prefix is None else (lambda c: c in left or c.startswith(prefix))
        ok = compare(name, got, want, sorted(left), columns)
    else:
        sys.exit("usage: values_check.py groupby|join NAME CONFIG START END OUTPUT.jsonl [COLUMN-PREFIX]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
