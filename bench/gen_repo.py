#!/usr/bin/env python3
"""Generate a synthetic Chronon definitions repo for benchmarking.

usage: bench/gen_repo.py [--seed S] [--shape SHAPE] [--force] CONFIGS OUT_DIR

Writes OUT_DIR/teams.json, OUT_DIR/sources/*.py, OUT_DIR/group_bys/<team>/*.py,
OUT_DIR/joins/<team>/*.py and OUT_DIR/staging_queries/<team>/*.py holding
exactly CONFIGS module-level definitions (GroupBys + Joins + StagingQueries),
each of which compile.py writes to production/ (GroupBys are online or have a
backfill_start_date). The same CONFIGS and seed always give the same bytes.

The mix (roughly what a feature repo looks like):
  * 6 teams, teams.json with a default section and per-team overrides
    (namespace, table_properties, env sections that compile.py ignores).
  * shared source modules per team (sources/<team>_<k>.py, up to 25 event or
    entity sources each) plus sources/common.py with window constants and
    pure helper functions (aggregation builders, a request-log left source).
  * ~80% GroupBys, 1-3 per file, each with 3-8 aggregations over windows
    (day windows; hour windows with TEMPORAL accuracy), some with buckets,
    derivations, tags, lag; some built by a helper defined in the file.
  * ~12% Joins, 1-2 per file, each with 3-6 join parts imported from group_bys
    modules of any team (prefixes, some online/production, derivations).
  * ~8% StagingQueries, 1-2 per file; some read a Join's output table
    through ai.chronon.utils.

--shape picks the repo's shape (the mix above is "join-heavy", the default);
the others hold GroupBys only (no Joins or StagingQueries), to isolate one
cost each:
  * one-per-file: one GroupBy per file (the most files to parse and import);
  * many-per-file: 25 GroupBys per file (few, long files);
  * sources-heavy: three GroupBys per file, every source of every team in one
    big module (sources/catalog.py, one source per three GroupBys) that every
    GroupBy file imports (issue 9's hard shape: one shared sources module).

Every file stays inside the Python subset `chrononc` accepts
(tests/conformance/check_subset.py passes on the output), and no source's
selects are mutated by GroupBy() (every key/column used is already
selected), so compile.py's output does not depend on file order.
"""
import argparse
import json
import math
import os
import random
import shutil
import sys

TEAMS = ["ads", "commerce", "fraud", "growth", "payments", "search"]
KEYS = ["user_id", "merchant_id", "item_id", "device_id", "account_id", "region_id"]
NUMERIC = [
    "amount", "price", "quantity", "duration_ms", "score", "clicks", "views",
    "latency_ms", "discount", "rating", "distance_km", "balance",
]
CATEGORICAL = ["category", "country", "channel", "platform", "status"]
NOUNS = [
    "events", "clicks", "orders", "sessions", "payments", "visits", "searches",
    "impressions", "reviews", "transfers", "logins", "refunds", "listings", "messages",
]
GB_FILE_NOUNS = [
    "activity", "spend", "engagement", "velocity", "profile", "history", "trends",
    "counts", "stats", "signals", "aggregates", "usage", "behavior", "risk",
]
JOIN_FILE_NOUNS = ["model", "training_set", "scoring", "ranking", "labels", "features", "serving"]
SQ_FILE_NOUNS = ["rollup", "export", "snapshot", "cohorts", "daily", "summary"]
SOURCES_PER_MODULE = 25
SHAPES = ["join-heavy", "one-per-file", "many-per-file", "sources-heavy"]
# GroupBys per file (lo, hi) by shape
GB_PER_FILE = {"join-heavy": (1, 3), "one-per-file": (1, 1), "many-per-file": (25, 25), "sources-heavy": (3, 3)}


def q(s):
    """A Python string literal (double quotes) for s."""
    return json.dumps(s)


def pylist(items):
    return "[" + ", ".join(items) + "]"


class Source:
    def __init__(self, team, module, name, kind, table, keys, numeric, categorical, time_column, topic, wheres):
        self.team = team
        self.module = module  # e.g. "ads_0"
        self.name = name
        self.kind = kind  # "events" / "entities"
        self.table = table
        self.keys = keys
        self.numeric = numeric
        self.categorical = categorical
        self.time_column = time_column
        self.topic = topic
        self.wheres = wheres


class GroupByDef:
    def __init__(self, team, file, var, keys, online, source):
        self.team = team
        self.file = file
        self.var = var
        self.keys = keys
        self.online = online
        self.source = source


class Gen:
    def __init__(self, configs, seed, shape="join-heavy"):
        self.configs = configs
        self.shape = shape
        self.r = random.Random(seed)
        n_join = round(configs * 0.12) if shape == "join-heavy" else 0
        n_sq = round(configs * 0.08) if shape == "join-heavy" else 0
        self.n_join = n_join
        self.n_sq = n_sq
        self.n_gb = configs - n_join - n_sq
        self.files = {}  # relative path -> text
        self.sources = {t: [] for t in TEAMS}
        self.group_bys = []  # GroupByDef
        self.joins = []  # (team, file, var)

    # ---- teams.json ---------------------------------------------------------
    def teams_json(self):
        teams = {
            "default": {
                "description": "Defaults every team inherits unless it overrides a key.",
                "namespace": "chronon_default",
                "table_properties": {"source": "chronon", "retention_days": "90"},
                "common_env": {"VERSION": "latest", "JOB_MODE": "yarn"},
                "production": {"backfill": {"EXECUTOR_CORES": "2", "EXECUTOR_MEMORY": "8G"}},
            }
        }
        for i, t in enumerate(TEAMS):
            entry = {"description": f"The {t} team.", "user": f"svc_chronon_{t}"}
            if i % 3 != 2:
                entry["namespace"] = f"{t}_features"
            if i % 2 == 0:
                entry["table_properties"] = {"source": "chronon", "owner": f"{t}-ml", "retention_days": str(30 * (i + 1))}
            if i % 3 == 0:
                entry["production"] = {"backfill": {"EXECUTOR_MEMORY": f"{8 + 2 * i}G"}}
            teams[t] = entry
        self.files["teams.json"] = json.dumps(teams, indent=4) + "\n"

    # ---- sources --------------------------------------------------------------
    def gen_sources(self):
        r = self.r
        one_module = self.shape == "sources-heavy"
        per_team = max(4, math.ceil(self.n_gb / (len(TEAMS) * (3 if one_module else 10))))
        for t in TEAMS:
            for i in range(per_team):
                module = "catalog" if one_module else f"{t}_{i // SOURCES_PER_MODULE}"
                noun = NOUNS[(i + TEAMS.index(t)) % len(NOUNS)]
                name = f"{t}_{noun}_{i}" if one_module else f"{noun}_{i}"
                kind = "entities" if r.random() < 0.2 else "events"
                nkeys = r.choice([1, 1, 2, 2, 3])
                keys = ["user_id"] if r.random() < 0.6 else []
                for k in r.sample(KEYS, len(KEYS)):
                    if len(keys) >= nkeys:
                        break
                    if k not in keys:
                        keys.append(k)
                numeric = sorted(r.sample(NUMERIC, r.randint(3, 6)), key=NUMERIC.index)
                categorical = sorted(r.sample(CATEGORICAL, r.randint(1, 2)), key=CATEGORICAL.index)
                table = f"data.{t}_{noun}_{i}"
                time_column = r.choice(["ts", "event_ts", "created_at"]) if kind == "events" else "updated_at"
                topic = f"kafka://kafka-main/{t}.{noun}.{i}/serde=avro" if kind == "events" and r.random() < 0.4 else None
                wheres = [f"{keys[0]} IS NOT NULL"] if r.random() < 0.5 else None
                self.sources[t].append(
                    Source(t, module, name, kind, table, keys, numeric, categorical, time_column, topic, wheres)
                )
        self.files["sources/common.py"] = COMMON_PY
        for t in ([None] if one_module else TEAMS):
            by_module = {}
            for s in (sum((self.sources[x] for x in TEAMS), []) if t is None else self.sources[t]):
                by_module.setdefault(s.module, []).append(s)
            for module, srcs in by_module.items():
                what = "every team's" if t is None else t
                out = [f'"""Raw {what} data sources (module {module})."""', "", "from ai.chronon.api import ttypes",
                       "from ai.chronon.query import Query, select", "from sources import common", ""]
                for s in srcs:
                    out.append("")
                    out.extend(self.source_text(s))
                self.files[f"sources/{module}.py"] = "\n".join(out) + "\n"

    def source_text(self, s):
        r = self.r
        cols = [q(c) for c in s.keys + s.categorical]
        exprs = []
        for c in s.numeric:
            if r.random() < 0.3:
                exprs.append(f"{c}=common.to_double({q(c + '_raw')})")
            else:
                cols.append(q(c))
        sel = "select(" + ", ".join(cols + exprs) + ")"
        if s.kind == "events":
            if r.random() < 0.5:
                # through the shared helper
                args = [q(s.table), sel, f"time_column={q(s.time_column)}"]
                if s.topic:
                    args.append(f"topic={q(s.topic)}")
                if s.wheres:
                    args.append(f"wheres={pylist(q(w) for w in s.wheres)}")
                return [f"{s.name} = common.event_source(" + ", ".join(args) + ")"]
            lines = [f"{s.name} = ttypes.EventSource(", f"    table={q(s.table)},"]
            if s.topic:
                lines.append(f"    topic={q(s.topic)},")
            lines += ["    query=Query(", f"        selects={sel},"]
            if s.wheres:
                lines.append(f"        wheres={pylist(q(w) for w in s.wheres)},")
            lines += [f"        time_column={q(s.time_column)},", "    ),", ")"]
            return lines
        lines = [f"{s.name} = ttypes.EntitySource(", f"    snapshotTable={q(s.table + '_snapshot')},",
                 "    query=Query(", f"        selects={sel},"]
        if s.wheres:
            lines.append(f"        wheres={pylist(q(w) for w in s.wheres)},")
        lines += [f"        time_column={q(s.time_column)},", "    ),", ")"]
        return lines

    # ---- group_bys -------------------------------------------------------------
    def split(self, total, lo, hi):
        """Split total objects into files of lo..hi objects."""
        sizes = []
        while total > 0:
            n = min(total, self.r.randint(lo, hi))
            sizes.append(n)
            total -= n
        return sizes

    def pick_windows(self, events):
        r = self.r
        x = r.random()
        if events and x < 0.2:
            return "common.SHORT_WINDOWS", True
        if x < 0.55:
            return "common.STANDARD_WINDOWS", False
        if x < 0.7:
            return "common.LONG_WINDOWS", False
        if x < 0.8:
            return "None", False
        days = sorted(r.sample([1, 3, 7, 14, 28, 60, 90], r.randint(1, 3)))
        return "common.days(" + ", ".join(str(d) for d in days) + ")", False

    def aggregation(self, s, events):
        """One Aggregation(...) expression; returns (text, uses_hour_windows)."""
        r = self.r
        col = r.choice(s.numeric)
        ops = ["SUM", "COUNT", "AVERAGE", "MAX", "MIN", "LAST", "FIRST", "VARIANCE", "APPROX_UNIQUE_COUNT",
               "LAST_K", "TOP_K", "APPROX_PERCENTILE", "UNIQUE_COUNT_APPROX"]
        op = r.choice(ops)
        if op == "LAST_K":
            opx = f"Operation.LAST_K({r.choice([3, 5, 10])})"
        elif op == "TOP_K":
            opx = f"Operation.TOP_K({r.choice([3, 5])})"
        elif op == "APPROX_PERCENTILE":
            opx = "Operation.APPROX_PERCENTILE([0.5, 0.9, 0.99])"
        elif op == "UNIQUE_COUNT_APPROX":
            opx = "Operation.APPROX_UNIQUE_COUNT"
        else:
            opx = f"Operation.{op}"
        windows, hourly = self.pick_windows(events)
        args = [f"input_column={q(col)}", f"operation={opx}"]
        if windows != "None":
            args.append(f"windows={windows}")
        if r.random() < 0.15:
            args.append(f"buckets=[{q(r.choice(s.categorical))}]")
        if r.random() < 0.1:
            args.append(f"tags={{{q('unit')}: {q(r.choice(['usd', 'count', 'ms']))}}}")
        return "Aggregation(" + ", ".join(args) + ")", hourly

    def gen_group_bys(self):
        r = self.r
        sizes = self.split(self.n_gb, *GB_PER_FILE[self.shape])
        var_names = [f"v{i + 1}" for i in range(max(GB_PER_FILE[self.shape]))]
        counters = {t: 0 for t in TEAMS}
        for fi, n in enumerate(sizes):
            team = TEAMS[fi % len(TEAMS)]
            counters[team] += 1
            file = f"{GB_FILE_NOUNS[(counters[team] + fi) % len(GB_FILE_NOUNS)]}_{counters[team]}"
            # mostly the team's own sources, sometimes another team's
            src_team = team if r.random() < 0.85 else r.choice(TEAMS)
            src = r.choice(self.sources[src_team])
            modules = {src.module}
            use_helper = n > 1 and r.random() < 0.5
            body = []
            imports = {"Aggregation", "GroupBy", "Operation"}
            if use_helper:
                body += [
                    "",
                    "def features(*keys, windows=common.STANDARD_WINDOWS, online=True, backfill_start_date=None):",
                    f'    """Shared aggregations of {src.name}, grouped by `keys`."""',
                    "    return GroupBy(",
                    f"        sources=[{src.module}.{src.name}],",
                    "        keys=list(keys),",
                    f"        aggregations=common.sum_count_avg({q(src.numeric[0])}, windows=windows)",
                    f"        + [Aggregation(input_column={q(src.numeric[-1])}, operation=Operation.MAX, windows=windows)]",
                    f"        + common.op_over(Operation.LAST, None, "
                    + ", ".join(q(c) for c in src.numeric[1:3]) + "),",
                    "        online=online,",
                    "        backfill_start_date=backfill_start_date,",
                    "    )",
                    "",
                ]
            for vi in range(n):
                var = var_names[vi]
                s = src if (vi == 0 or r.random() < 0.7) else r.choice(self.sources[src_team])
                modules.add(s.module)
                nk = 1 if len(s.keys) == 1 or r.random() < 0.6 else 2
                keys = s.keys[:nk]
                online = r.random() < 0.6
                events = s.kind == "events"
                body.append("")
                if use_helper and s is src and events:
                    args = [q(k) for k in keys]
                    windows, hourly = self.pick_windows(True)
                    if windows != "None" and not hourly:
                        args.append(f"windows={windows}")
                    if not online:
                        args += ["online=False", f"backfill_start_date={q('2023-0' + str(r.randint(1, 9)) + '-01')}"]
                    body.append(f"{var} = features(" + ", ".join(args) + ")")
                    self.group_bys.append(GroupByDef(team, file, var, keys, online, s))
                    continue
                aggs = []
                hourly_any = False
                if events or r.random() < 0.7:
                    for _ in range(r.randint(3, 8)):
                        a, hourly = self.aggregation(s, events)
                        hourly_any |= hourly
                        aggs.append(a)
                lines = [f"{var} = GroupBy(", f"    sources=[{s.module}.{s.name}],", f"    keys={pylist(q(k) for k in keys)},"]
                if aggs:
                    if r.random() < 0.3:
                        lines.append(f"    aggregations=common.sum_count_avg({q(s.numeric[0])}, windows=common.STANDARD_WINDOWS)")
                        lines.append("    + [")
                    else:
                        lines.append("    aggregations=[")
                    for a in aggs:
                        lines.append(f"        {a},")
                    lines.append("    ],")
                else:
                    lines.append("    aggregations=None,")
                if hourly_any:
                    # hour windows need TEMPORAL accuracy and no backfill_start_date
                    imports.add("Accuracy")
                    lines.append("    accuracy=Accuracy.TEMPORAL,")
                    online = True
                if online:
                    lines.append("    online=True,")
                else:
                    lines.append(f"    backfill_start_date={q('2023-0' + str(r.randint(1, 9)) + '-01')},")
                if r.random() < 0.2:
                    lines.append("    production=True,")
                if aggs and r.random() < 0.2:
                    imports.add("Derivation")
                    c = s.numeric[0]
                    lines += [
                        "    derivations=[",
                        '        Derivation("*", "*"),',
                        f"        Derivation({q(c + '_doubled')}, {q('COALESCE(' + c + '_sum_7d, 0) * 2')}),",
                        "    ],",
                    ]
                if r.random() < 0.25:
                    lines.append(f"    tags={{{q('owner')}: {q(team + '-ml')}, {q('tier')}: {q(r.choice(['gold', 'silver']))}}},")
                if r.random() < 0.1:
                    lines.append(f"    lag={r.randint(1, 2)},")
                if r.random() < 0.3:
                    lines.append(f"    description={q(f'{s.name} features per ' + ', '.join(keys) + '.')},")
                lines.append(")")
                body += lines
                self.group_bys.append(GroupByDef(team, file, var, keys, online, s))
            head = [f'"""{team} GroupBys: {file}."""', "",
                    "from ai.chronon.group_by import " + ", ".join(sorted(imports)),
                    "from sources import common"]
            head += [f"from sources import {m}" for m in sorted(modules)]
            head.append("")
            self.files[f"group_bys/{team}/{file}.py"] = "\n".join(head + body) + "\n"

    # ---- joins -------------------------------------------------------------------
    def gen_joins(self):
        r = self.r
        sizes = self.split(self.n_join, 1, 2)
        counters = {t: 0 for t in TEAMS}
        for fi, n in enumerate(sizes):
            team = TEAMS[fi % len(TEAMS)]
            counters[team] += 1
            file = f"{JOIN_FILE_NOUNS[(counters[team] + fi) % len(JOIN_FILE_NOUNS)]}_{counters[team]}"
            imports = {}  # "group_bys.team.file" -> alias
            body = []
            for vi in range(n):
                var = ["v1", "v2"][vi]
                nk = r.choice([2, 3, 3])
                left_keys = ["user_id"] + [k for k in r.sample(KEYS[1:], nk - 1)]
                online = r.random() < 0.3
                cands = [g for g in self.group_bys if set(g.keys) <= set(left_keys) and (g.online or not online)]
                # prefer the team's own GroupBys
                own = [g for g in cands if g.team == team]
                nparts = min(len(cands), r.randint(3, 6))
                parts = []
                seen = set()
                while len(parts) < nparts:
                    pool = own if own and r.random() < 0.7 else cands
                    g = r.choice(pool)
                    if id(g) in seen:
                        continue
                    seen.add(id(g))
                    parts.append(g)
                left_table = f"data.{team}_{file}_{var}_requests"
                left_cols = ", ".join(q(k) for k in left_keys) + ", " + q("request_id")
                lines = [
                    f"{var} = Join(",
                    f"    left=common.request_source({q(left_table)}, {left_cols}),",
                    "    right_parts=[",
                ]
                for pi, g in enumerate(parts):
                    mod = f"group_bys.{g.team}.{g.file}"
                    alias = imports.setdefault(mod, f"{g.team}_{g.file}")
                    args = [f"{alias}.{g.var}"]
                    if r.random() < 0.3:
                        args.append(f"prefix={q('p' + str(pi))}")
                    lines.append("        JoinPart(" + ", ".join(args) + "),")
                lines.append("    ],")
                if online:
                    lines.append("    online=True,")
                if r.random() < 0.3:
                    lines.append("    production=True,")
                if r.random() < 0.3:
                    lines += ["    derivations=[",
                              '        Derivation("*", "*"),',
                              f"        Derivation({q('request_hour')}, {q('HOUR(from_unixtime(ts / 1000))')}),",
                              "    ],"]
                if r.random() < 0.3:
                    lines.append(f"    offline_schedule={q(r.choice(['@daily', '@weekly']))},")
                if r.random() < 0.4:
                    lines.append(f"    tags={{{q('model')}: {q(file + '_' + var)}}},")
                lines.append(f"    description={q(f'{team} {file} {var}: {len(parts)} join parts.')},")
                lines.append(")")
                body += [""] + lines
                self.joins.append((team, file, var))
            uses_deriv = any("Derivation(" in line for line in body)
            head = [f'"""{team} Joins: {file}."""', "",
                    "from ai.chronon.join import " + ("Derivation, " if uses_deriv else "") + "Join, JoinPart"]
            for mod in sorted(imports):
                pkg, _, leaf = mod.rpartition(".")
                head.append(f"from {pkg} import {leaf} as {imports[mod]}")
            head.append("from sources import common")
            head.append("")
            self.files[f"joins/{team}/{file}.py"] = "\n".join(head + body) + "\n"

    # ---- staging queries ---------------------------------------------------------
    def gen_staging_queries(self):
        r = self.r
        sizes = self.split(self.n_sq, 1, 2)
        counters = {t: 0 for t in TEAMS}
        for fi, n in enumerate(sizes):
            team = TEAMS[fi % len(TEAMS)]
            counters[team] += 1
            file = f"{SQ_FILE_NOUNS[(counters[team] + fi) % len(SQ_FILE_NOUNS)]}_{counters[team]}"
            body = []
            join_imports = {}
            uses_utils = False
            for vi in range(n):
                var = ["v1", "v2"][vi]
                s = r.choice(self.sources[team])
                lines = []
                if self.joins and r.random() < 0.3:
                    jt, jf, jv = r.choice(self.joins)
                    alias = join_imports.setdefault(f"joins.{jt}.{jf}", f"{jt}_{jf}")
                    uses_utils = True
                    tbl = f"{var.upper()}_INPUT"
                    body += ["", f"{tbl} = utils.get_join_output_table_name({alias}.{jv}, True)"]
                    src_expr = "{" + tbl + "}"
                    deps = f"[{tbl} + {q('/ds={{ ds }}')}]"
                else:
                    src_expr = s.table
                    deps = pylist([q(s.table + "/ds={{ ds }}")])
                key = s.keys[0]
                c = s.numeric[0]
                sql = (
                    f"SELECT {key}, COUNT(*) AS n, SUM({c}) AS {c}_total, ds "
                    f"FROM {src_expr} WHERE ds BETWEEN '{{{{{{{{ start_date }}}}}}}}' AND '{{{{{{{{ end_date }}}}}}}}' "
                    f"GROUP BY {key}, ds"
                )
                if src_expr.startswith("{"):
                    query = "f" + q(sql)
                else:
                    query = q(sql.replace("{{{{", "{{").replace("}}}}", "}}"))
                lines += [
                    f"{var} = ttypes.StagingQuery(",
                    f"    query={query},",
                    f"    startPartition={q('2022-0' + str(r.randint(1, 9)) + '-01')},",
                ]
                if r.random() < 0.4:
                    lines.append(f"    setups=[{q('SET spark.sql.shuffle.partitions=' + str(r.choice([200, 800, 2000])))}],")
                lines += ["    metaData=ttypes.MetaData(", f"        dependencies={deps},"]
                if r.random() < 0.4:
                    lines.append(f"        tableProperties={{{q('format')}: {q('parquet')}}},")
                lines += [f"        description={q(f'Daily {c} totals per {key}.')},", "    ),", ")"]
                body += [""] + lines
            head = [f'"""{team} StagingQueries: {file}."""', ""]
            if uses_utils:
                head.append("from ai.chronon import utils")
            head.append("from ai.chronon.api import ttypes")
            for mod in sorted(join_imports):
                pkg, _, leaf = mod.rpartition(".")
                head.append(f"from {pkg} import {leaf} as {join_imports[mod]}")
            head.append("")
            self.files[f"staging_queries/{team}/{file}.py"] = "\n".join(head + body) + "\n"

    def run(self):
        self.teams_json()
        self.gen_sources()
        self.gen_group_bys()
        self.gen_joins()
        self.gen_staging_queries()
        return self.files


COMMON_PY = '''"""Window constants and builders shared by every team's definitions."""

from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, Operation, TimeUnit, Window
from ai.chronon.query import Query, select


def days(*lengths):
    """Day windows, one per length."""
    return [Window(length, TimeUnit.DAYS) for length in lengths]


def hours(*lengths):
    """Hour windows, one per length."""
    return [Window(length=n, timeUnit=TimeUnit.HOURS) for n in lengths]


SHORT_WINDOWS = hours(1, 6) + days(1)
STANDARD_WINDOWS = days(1, 7, 30, 90)
LONG_WINDOWS = days(180, 365)


def to_double(column):
    """Spark SQL casting a raw column to double."""
    return f"CAST({column} AS DOUBLE)"


def event_source(table, selects, time_column="ts", topic=None, wheres=None):
    """An EventSource over `table` with the given selects."""
    return ttypes.EventSource(
        table=table,
        topic=topic,
        query=Query(selects=selects, wheres=wheres, time_column=time_column),
    )


def request_source(table, *columns):
    """A request log used as the left side of a Join."""
    return ttypes.Source(
        events=ttypes.EventSource(
            table=table,
            query=Query(selects=select(*columns), time_column="ts"),
        )
    )


def sum_count_avg(column, windows=None):
    """SUM, COUNT and AVERAGE of one column over the same windows."""
    return [
        Aggregation(input_column=column, operation=op, windows=windows)
        for op in [Operation.SUM, Operation.COUNT, Operation.AVERAGE]
    ]


def op_over(operation, windows, *columns):
    """The same operation on several columns."""
    return [Aggregation(input_column=c, operation=operation, windows=windows) for c in columns]
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("configs", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    ap.add_argument("--shape", choices=SHAPES, default="join-heavy")
    a = ap.parse_args()
    if a.configs < 10:
        sys.exit("gen_repo: need at least 10 configs")
    if os.path.exists(a.out):
        if not a.force:
            sys.exit(f"gen_repo: {a.out} exists (use --force)")
        shutil.rmtree(a.out)
    g = Gen(a.configs, a.seed, a.shape)
    files = g.run()
    for rel in sorted(files):
        path = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(files[rel])
    print(
        f"gen_repo: {a.out}: {a.configs} configs = {g.n_gb} group_bys + {g.n_join} joins + {g.n_sq} staging_queries "
        f"in {sum(1 for p in files if p.endswith('.py'))} .py files",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
