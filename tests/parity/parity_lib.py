"""What tests/parity/parity.test.sh compares, and how our executables'
differences on purpose (runtime/exe/README.md; commit a7e183f) turn the
interface's results into the ones expected of ours. Imported by
pyspark_run.py (the dump); run by the test:

    parity_lib.py dump-sql COLUMNS TABLES         the dump statement for TABLES
                                                  (a file, one db.table a line),
                                                  columns from COLUMNS (JSON,
                                                  label -> columns)
    parity_lib.py jsonl-dump FILE.jsonl           chrononc sql's JSON lines of it
                                                  as dump lines (sorted)
    parity_lib.py expect-config ORIGINAL PARSED [NAME_PREFIX NAMESPACE]
    parity_lib.py expect-dump DUMP                (prints the expected lines)
    parity_lib.py expect-tables TABLES
    parity_lib.py chained OUR_DUMP INTERFACE_DUMP START END

expect-config: ORIGINAL is the compiled config, PARSED the configs the
interface handed to PySparkUtils.parse* in that run (JSON lines, in order;
the last one is the run's own); prints the config our executable is expected
to send, byte for byte:
  - lifetime aggregations (README difference 2): a GroupBy with an
    aggregation without windows (its own, or a join part's) keeps its
    sources' start partition as the config gives it, where the interface
    (its TypeError worked around) shifts it by the longest window;
  - join sources: a GroupBy's joinSource.join is the upstream step's config
    as it was sent (its left range and shifted part sources), so Chronon's
    semantic hash matches the upstream table's and the GroupBy reads it; the
    interface sends the join without those dates, and Chronon archives the
    upstream table and recomputes the join (commit a7e183f);
  - upstream joins under a name prefix or namespace (README difference 3):
    with NAME_PREFIX/NAMESPACE given (a run with --name-prefix and
    --output-namespace), the upstream join, and so the join source, is named
    with our prefix and namespace (its join parts too), where the interface
    keeps the user-name prefix and the join's own namespace.

expect-dump / expect-tables: the interface's dump and table list as ours are
expected to be: where Chronon archived a table on the interface's side
(<table>_<yyyyMMddHHmmss>, the join sources above), our table holds what the
archived one holds (the upstream step's rows), and there is no archive.
expect-dump leaves out the rows (not the schema) of the GroupBy over the join
source, which `chained` checks:

    parity_lib.py chained OUR_DUMP INTERFACE_DUMP START END

verified_checkouts.v1 (SUM and COUNT of CAST(email_verified AS INT) over 7
days, per user) reads the join source differently on the two sides, so its
rows differ, each side in a way computed here from the upstream join's rows
(our checkout_users table, which expect-dump has checked to be the
interface's archived one):
  - ours: Chronon finds the upstream table up to date (the semantic hash
    matches) and the GroupBy reads it as it is: a row for day D aggregates the
    join rows with ts in [D + 1 - 7 days, D + 1), the whole of day D, as every
    GroupBy snapshot does;
  - the interface: Chronon backfills the GroupBy in steps, one per run of
    consecutive days that have join rows (a day without checkouts splits
    them), and inside each step rematerializes the join only up to the day
    before the step's last day (GroupBy.replaceJoinSource: the "pre-shifted"
    end of a temporal events GroupBy). So a row for day D sees the join rows
    with ts in [D + 1 - 7 days, min(D + 1, L)), L the last day of D's step:
    the last day's own checkouts are missing.
A user has a row for D when the window holds a verified value (Chronon's
aggregations skip nulls: a user unknown to the snapshot has none); both sides
have rows for the same days.
"""
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone

# Chronon archives a join's tables when its semantic hash changes by renaming
# them to <table>_<yyyyMMddHHmmss of the run>: in dumps and table lists such a
# table is labelled by its name with the time left out.
ARCHIVED = re.compile(r"_[0-9]{14}$")
ARCHIVED_LABEL = "_<archived>"


def label(table):
    return ARCHIVED.sub(ARCHIVED_LABEL, table)


def dump_statement(tables, columns):
    """One query over every table: per table a schema row (k = 0: each
    column's name and Spark type, from a LEFT JOIN so that an empty table has
    one too) and a row per table row (k = 1: the row as Spark's to_json, nulls
    kept, arrays as JSON lists), labelled by label(table)."""
    parts = []
    for t in tables:
        types = ", ".join(f"'{c} ' || typeof(t.`{c}`)" for c in columns[label(t)])
        parts.append(f"SELECT '{label(t)}' AS tbl, 0 AS k, concat_ws(', ', {types}) AS v "
                     f"FROM (SELECT 1 AS one) o LEFT JOIN (SELECT * FROM {t} LIMIT 1) t ON true")
        parts.append(f"SELECT '{label(t)}' AS tbl, 1 AS k, "
                     f"to_json(struct(*), map('ignoreNullFields', 'false')) AS v FROM {t}")
    return " UNION ALL ".join(parts) + " ORDER BY tbl, k, v"


def dump_lines(rows):
    """(tbl, k, v) rows as the sorted lines both sides' dump.txt hold."""
    return sorted(f"{t}\t{k}\t{v}\n" for t, k, v in rows)


# ---- configs ---------------------------------------------------------------------

def sources(group_by):
    for s in group_by.get("sources", []):
        for kind in ("events", "entities"):
            if kind in s and "query" in s[kind]:
                yield s[kind]["query"]


def has_lifetime(group_by):
    return any(a.get("windows") is None for a in group_by.get("aggregations") or [])


def keep_lifetime_starts(edited, original):
    """Difference 2 on one GroupBy: the original's start partitions back."""
    if not has_lifetime(original):
        return
    for q, q0 in zip(sources(edited), sources(original)):
        if "startPartition" in q0:
            q["startPartition"] = q0["startPartition"]
        else:
            q.pop("startPartition", None)


def expect_config(original, parsed, name_prefix=None, namespace=None):
    conf = parsed[-1]
    upstream = {c["metaData"]["name"]: c for c in parsed[:-1] if "left" in c}
    if "joinParts" in conf:
        for jp, jp0 in zip(conf["joinParts"], original["joinParts"]):
            keep_lifetime_starts(jp["groupBy"], jp0["groupBy"])
    elif "keyColumns" in conf:
        keep_lifetime_starts(conf, original)
        for s in conf["sources"]:
            if "joinSource" in s:
                join = upstream[s["joinSource"]["join"]["metaData"]["name"]]
                s["joinSource"]["join"] = json.loads(json.dumps(join))
                if name_prefix:
                    # the interface named it with the user name (LOGNAME here)
                    md = s["joinSource"]["join"]["metaData"]
                    md["name"] = name_prefix + "_" + md["name"].removeprefix(os.environ["LOGNAME"] + "_")
                if namespace:
                    s["joinSource"]["join"]["metaData"]["outputNamespace"] = namespace
                    for jp in s["joinSource"]["join"]["joinParts"]:
                        jp["groupBy"]["metaData"]["outputNamespace"] = namespace
    return json.dumps(conf, indent=2) + "\n"


# ---- tables ----------------------------------------------------------------------

CHAINED = "quickstart.parity_quickstart_verified_checkouts_v1"
UPSTREAM = "quickstart.parity_quickstart_checkout_users_v1"


def expect_dump(lines):
    """The interface's dump lines as ours are expected to be (see the module
    comment): an archived table's rows under the table's own label, and no
    rows of CHAINED."""
    archived = {ln.split("\t", 1)[0] for ln in lines if ln.split("\t", 1)[0].endswith(ARCHIVED_LABEL)}
    live = {a[: -len(ARCHIVED_LABEL)] for a in archived}
    out = []
    for ln in lines:
        t, rest = ln.split("\t", 1)
        if t in live or (t == CHAINED and rest.startswith("1\t")):
            continue
        if t in archived:
            t = t[: -len(ARCHIVED_LABEL)]
        out.append(f"{t}\t{rest}")
    return sorted(out)


def dumped_rows(lines, table):
    return [json.loads(ln.rstrip("\n").split("\t", 2)[2]) for ln in lines if ln.startswith(table + "\t1\t")]


def millis(ds, days_after=0):
    d = datetime.strptime(ds, "%Y%m%d").replace(tzinfo=timezone.utc) + timedelta(days=days_after)
    return int(d.timestamp()) * 1000


def chained_rows(join_rows, days, cutoff):
    """CHAINED's rows for days from its join source's rows, the window of day D
    ending at cutoff(D) (epoch millis), as the module comment says."""
    rows = []
    for ds in days:
        for user in sorted({r["user_id"] for r in join_rows}):
            lo, hi = millis(ds, 1 - 7), cutoff(ds)
            verified = [int(r["quickstart_users_v1_email_verified"]) for r in join_rows
                        if r["user_id"] == user and lo <= r["ts"] < hi
                        and r["quickstart_users_v1_email_verified"] is not None]
            if verified:
                rows.append({"user_id": user, "verified_sum_7d": sum(verified),
                             "verified_count_7d": len(verified), "ds": ds})
    return rows


def step_last_days(days):
    """Each day -> the last day of its run of consecutive days."""
    last = {}
    for ds in sorted(days, reverse=True):
        nxt = (datetime.strptime(ds, "%Y%m%d") + timedelta(days=1)).strftime("%Y%m%d")
        last[ds] = last.get(nxt, ds)
    return last


def check_chained(ours_lines, interface_lines, start, end):
    """Prints one line per check; returns the number that failed."""
    join_rows = dumped_rows(ours_lines, UPSTREAM)
    ours, theirs = dumped_rows(ours_lines, CHAINED), dumped_rows(interface_lines, CHAINED)
    days = sorted({r["ds"] for r in join_rows if start <= r["ds"] <= end})
    last = step_last_days(days)
    canon = lambda rows: sorted(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731
    whole_day = chained_rows(join_rows, days, lambda ds: millis(ds, 1))
    before_last = chained_rows(join_rows, days, lambda ds: min(millis(ds, 1), millis(last[ds])))
    steps = sorted({(min(d for d in days if last[d] == l), l) for l in last.values()})
    checks = [
        ("days with rows on both sides: the days with checkouts " + ", ".join(days),
         sorted({r["ds"] for r in ours}) == days == sorted({r["ds"] for r in theirs})),
        (f"ours ({len(ours)} rows): windows ending with day D", canon(ours) == canon(whole_day)),
        (f"the interface's ({len(theirs)} rows): windows ending with day D, or before it on the last day of "
         "its step (" + ", ".join(f"{a}-{b}" for a, b in steps) + ")", canon(theirs) == canon(before_last)),
        (f"the two differ ({len(set(canon(ours)) ^ set(canon(theirs)))} rows in one only)", canon(ours) != canon(theirs)),
    ]
    for what, good in checks:
        print(("ok   " if good else "FAIL ") + f"{CHAINED}: {what}")
    return sum(1 for _, good in checks if not good)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "dump-sql":
        columns = json.load(open(args[0]))
        print(dump_statement(open(args[1]).read().split(), columns))
    elif cmd == "jsonl-dump":
        rows = [json.loads(ln) for ln in open(args[0])]
        sys.stdout.write("".join(dump_lines((r["tbl"], r["k"], r["v"]) for r in rows)))
    elif cmd == "expect-config":
        original = json.load(open(args[0]))
        parsed = [json.loads(ln) for ln in open(args[1])]
        sys.stdout.write(expect_config(original, parsed, *args[2:4]))
    elif cmd == "expect-dump":
        sys.stdout.write("".join(expect_dump(open(args[0]).readlines())))
    elif cmd == "chained":
        sys.exit(1 if check_chained(open(args[0]).readlines(), open(args[1]).readlines(), *args[2:4]) else 0)
    elif cmd == "expect-tables":
        tables = [label(t) for t in open(args[0]).read().split()]
        sys.stdout.write("".join(sorted(t + "\n" for t in tables if not t.endswith(ARCHIVED_LABEL))))
    else:
        sys.exit(f"parity_lib.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
