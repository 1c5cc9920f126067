"""Expected output of Chronon's engine for the values test, computed from the
rows of values_data.py without Spark.

The aggregations come from the compiled configs (production/..., Thrift JSON),
so the oracle follows the definitions; the semantics are Chronon's, as read in
its source (paths relative to the Chronon repository):

Aggregations (aggregator/.../row/ColumnAggregator.scala, DirectColumnAggregator,
base/SimpleAggregators.scala, base/TimedAggregators.scala, base/MinHeap.scala):
  * a null input is skipped by every operation (DirectColumnAggregator.update);
    an aggregation that saw no non-null input is null -- COUNT and UNIQUE_COUNT
    included (null, not 0).
  * COUNT counts non-null inputs; AVERAGE = sum / count as a double; SUM of an
    integer column is a long, of a double a double; MIN / MAX keep the type.
  * LAST_K: the k latest by ts, latest first; FIRST_K: the k earliest, earliest
    first (MinHeap ordered by TimeTuple, sorted at finalize).
  * UNIQUE_COUNT: the number of distinct non-null values.
  * NaN / infinite doubles become null (numberSanityCheck); the data has none.

Windows (aggregator/.../windowing/SawtoothAggregator.scala, Resolution.scala,
HopsAggregator.scala):
  * a window of W over the end time E covers [round(E - W, tailHop), E) where
    round(x, h) = floor(x / h) * h (TsUtils.round); an aggregation without
    windows covers everything before E.
  * GroupBy backfills and SNAPSHOT join parts use DailyResolution (tail hop 1
    day; hour windows are refused there) with E = the end of day ds, i.e.
    (ds + 1) 00:00 (GroupBy.snapshotEventsBase shifts the end times by a day).
  * TEMPORAL join parts use FiveMinuteResolution: tail hop 1 day for W >= 12
    days, 1 hour for W >= 12 hours, else 5 minutes. The hops are built up to
    the query's 5-minute head start and the raw events of the head are added
    one by one (GroupBy.temporalEvents + SawtoothAggregator.cumulate), so a
    left row at ts t sees the events with
        round(round(t, 5 min) - W, tailHop) <= ts < t
    (an event at exactly t is not included). As W is a multiple of its tail
    hop, the tail is round(t, tailHop) - W: up to a tail hop longer than W.

GroupBy backfill (GroupBy.computeBackfill, TableUtils.unfilledRanges):
  * an output partition is made for each day of [start, end] on which a source
    table has a partition (an empty partition counts, a missing one does not);
  * an events GroupBy's row for (key, ds) is left out when every aggregation
    is null (snapshotEventsBase); an entities GroupBy aggregates each day's
    snapshot rows per key (snapshotEntitiesBase) and keeps every group;
  * rows whose keys are all null are dropped (GroupBy.from).

Joins with an events left side (JoinBase.computeJoinPart / joinWithLeft):
  * the output has one row per left row of the partitions [start, end];
  * SNAPSHOT events part: the part's daily snapshot of the day before the
    left row's ts day (ts_ds), i.e. E = ts_ds 00:00; a key without a snapshot
    row gets nulls in every column;
  * TEMPORAL events part: point in time per left ts, as above;
  * entities part without aggregations: the snapshot row of partition
    ts_ds - 1 for the key, nulls when there is none;
  * columns are named <part GroupBy name, sanitized>_<column>.
"""
import re

import values_data as data

HOUR_MS = 3_600_000
DAY_MS = data.DAY_MS
FIVE_MIN_MS = 300_000

MIN, MAX, UNIQUE_COUNT, COUNT, SUM, AVERAGE, LAST_K, FIRST_K = 0, 1, 4, 6, 7, 8, 13, 14
HOURS, DAYS = 0, 1
TEMPORAL = 0
OP_NAMES = {MIN: "min", MAX: "max", UNIQUE_COUNT: "unique_count", COUNT: "count", SUM: "sum",
            AVERAGE: "average"}


def sanitize(name):
    """Chronon's metaData.cleanName."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


class Part:
    """One aggregation over one window (Chronon's AggregationPart)."""

    def __init__(self, agg, window):
        self.column = agg["inputColumn"]
        self.op = agg["operation"]
        self.k = int(agg.get("argMap", {}).get("k", 0))
        if window is None:
            self.millis, suffix = None, ""
        else:
            unit = window.get("timeUnit", DAYS)
            self.millis = window["length"] * (HOUR_MS if unit == HOURS else DAY_MS)
            suffix = "_%d%s" % (window["length"], "h" if unit == HOURS else "d")
        if self.op in (LAST_K, FIRST_K):
            opname = ("last%d" if self.op == LAST_K else "first%d") % self.k
        elif self.op in OP_NAMES:
            opname = OP_NAMES[self.op]
        else:
            raise ValueError("the oracle has no operation %d" % self.op)
        self.name = "%s_%s%s" % (self.column, opname, suffix)

    def aggregate(self, rows):
        """rows: the input rows in the window (dicts with ts)."""
        vals = [(r["ts"], r[self.column]) for r in rows if r[self.column] is not None]
        if not vals:
            return None
        xs = [v for _, v in vals]
        if self.op == SUM:
            return sum(xs)
        if self.op == COUNT:
            return len(xs)
        if self.op == AVERAGE:
            return float(sum(xs)) / len(xs)
        if self.op == MIN:
            return min(xs)
        if self.op == MAX:
            return max(xs)
        if self.op == UNIQUE_COUNT:
            return len(set(xs))
        ts = [t for t, _ in vals]
        assert len(set(ts)) == len(ts), "the data must not tie on ts for %s" % self.name
        vals.sort(key=lambda p: p[0], reverse=(self.op == LAST_K))
        return [v for _, v in vals[: self.k]]

    def snapshot_tail(self, end):
        """Window start for the daily snapshot ending at end (DailyResolution)."""
        if self.millis is None:
            return None
        assert self.millis % DAY_MS == 0, "%s: DailyResolution takes day windows only" % self.name
        return end - self.millis

    def temporal_tail(self, ts):
        """Window start for a left row at ts (FiveMinuteResolution sawtooth)."""
        if self.millis is None:
            return None
        if self.millis >= 12 * DAY_MS:
            hop = DAY_MS
        elif self.millis >= 12 * HOUR_MS:
            hop = HOUR_MS
        else:
            hop = FIVE_MIN_MS
        head = ts // FIVE_MIN_MS * FIVE_MIN_MS
        return (head - self.millis) // hop * hop


def parts(conf):
    out = []
    for agg in conf.get("aggregations") or []:
        for w in agg.get("windows") or [None]:
            out.append(Part(agg, w))
    return out


def source(conf):
    (src,) = conf["sources"]
    if "events" in src:
        return src["events"]["table"], src["events"]["query"], "events"
    return src["entities"]["snapshotTable"], src["entities"]["query"], "entities"


def input_rows(conf, last_partition):
    """The GroupBy's input: its source's selected columns (plain column
    selects only), ts and ds, rows with every key null dropped, partitions up
    to last_partition. All of the source's history, as Chronon reads it for a
    window longer than the data or no window (see check_scan_start)."""
    table, query, _ = source(conf)
    for alias, expr in query["selects"].items():
        assert alias == expr, "the oracle takes plain column selects only (%s)" % alias
    cols = list(query["selects"]) + ["ts", "ds"]
    keys = conf["keyColumns"]
    out = []
    for r in data.TABLES[table]:
        if r["ds"] > last_partition or all(r[k] is None for k in keys):
            continue
        out.append({c: r.get(c) for c in cols})
    return out


def max_window_days(conf):
    """What the executables shift an events source's start by
    (runtime/exe/README.md: longest window in days, hours rounded up, at least
    1; an aggregation without windows does not count)."""
    days = 1
    for agg in conf.get("aggregations") or []:
        for w in agg.get("windows") or []:
            n = w["length"]
            days = max(days, -(-n // 24) if w.get("timeUnit", DAYS) == HOURS else n)
    return days


def check_scan_start(conf, start):
    """The executables set an events source's startPartition to start minus
    the longest window, except for a GroupBy with an aggregation without
    windows, whose sources keep the config's start (runtime/exe/README.md), so
    the engine reads the whole history, as the oracle and Chronon's own
    backfill do. This check keeps the data a regression test of that rule: a
    GroupBy run (not a join part, whose windows reach back far enough here)
    with a lifetime aggregation must have an event older than the windowed
    scan start that the lifetime aggregation counts."""
    table, _, kind = source(conf)
    if kind != "events":
        return
    unwindowed = {p.column for p in parts(conf) if p.millis is None}
    if not unwindowed:
        return
    scan_start = data.shift(start, -max_window_days(conf))
    older = [r for r in data.TABLES[table]
             if r["ds"] < scan_start and any(r.get(c) is not None for c in unwindowed)]
    assert older, ("%s run from %s: no event before %s feeds its aggregations without windows, so the data "
                   "no longer tests that they read the whole history" % (conf["metaData"]["name"], start, scan_start))


def key_of(conf, row):
    return tuple(row[k] for k in conf["keyColumns"])


def snapshot_values(conf, rows, ds):
    """Every key's values as of the end of ds (DailyResolution), all-null rows left out."""
    end = data.day_ms(ds) + DAY_MS
    by_key = {}
    for r in rows:
        by_key.setdefault(key_of(conf, r), []).append(r)
    out = {}
    for key, krows in by_key.items():
        values = {}
        for p in parts(conf):
            tail = p.snapshot_tail(end)
            values[p.name] = p.aggregate([r for r in krows if r["ts"] < end and (tail is None or r["ts"] >= tail)])
        if any(v is not None for v in values.values()):
            out[key] = values
    return out


def group_by(conf, start, end):
    """Rows of a GroupBy's backfill over [start, end], as dicts with the keys and ds."""
    table, _, kind = source(conf)
    check_scan_start(conf, start)
    rows = input_rows(conf, end)
    out = []
    for ds in data.days(start, end):
        if ds not in data.partitions(table):
            continue
        if kind == "events":
            for key, values in snapshot_values(conf, rows, ds).items():
                out.append(dict(zip(conf["keyColumns"], key), **values, ds=ds))
        else:
            groups = {}
            for r in rows:
                if r["ds"] == ds:
                    groups.setdefault(key_of(conf, r), []).append(r)
            for key, grows in groups.items():
                values = {p.name: p.aggregate(grows) for p in parts(conf)}
                out.append(dict(zip(conf["keyColumns"], key), **values, ds=ds))
    return out


def join(conf, start, end):
    """Rows of an events-left Join over [start, end]."""
    table = conf["left"]["events"]["table"]
    left_cols = list(conf["left"]["events"]["query"]["selects"]) + ["ts", "ds"]
    lefts = [{c: r[c] for c in left_cols} for r in data.TABLES[table] if start <= r["ds"] <= end]
    out = [dict(r) for r in lefts]
    for jp in conf["joinParts"]:
        gb = jp["groupBy"]
        assert not jp.get("keyMapping") and not jp.get("prefix"), "the oracle takes plain join parts"
        prefix = sanitize(gb["metaData"]["name"]) + "_"
        keys = gb["keyColumns"]
        _, query, kind = source(gb)
        if kind == "events":
            rows = input_rows(gb, end)
        temporal = gb.get("accuracy") == TEMPORAL
        snapshots = {}
        for row in out:
            key = tuple(row[k] for k in keys)
            ts_ds = data.ds_of(row["ts"])
            if kind == "entities":
                assert not gb.get("aggregations"), "the oracle takes entities parts without aggregations"
                before = data.shift(ts_ds, -1)
                match = [r for r in data.TABLES[source(gb)[0]]
                         if r["ds"] == before and tuple(r[k] for k in keys) == key]
                assert len(match) <= 1
                for c in query["selects"]:
                    if c not in keys:
                        row[prefix + c] = match[0][c] if match else None
            elif temporal:
                krows = [r for r in rows if key_of(gb, r) == key and r["ts"] < row["ts"]]
                for p in parts(gb):
                    tail = p.temporal_tail(row["ts"])
                    row[prefix + p.name] = p.aggregate([r for r in krows if tail is None or r["ts"] >= tail])
            else:
                before = data.shift(ts_ds, -1)
                if before not in snapshots:
                    snapshots[before] = snapshot_values(gb, rows, before)
                values = snapshots[before].get(key) or {p.name: None for p in parts(gb)}
                for name, v in values.items():
                    row[prefix + name] = v
    return out
