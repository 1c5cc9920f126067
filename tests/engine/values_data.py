"""The rows of the values test (tests/engine/values.test.sh), made here once,
deterministically, and shared by every case of that test: the SQL that loads
them into the warehouse (`python3 values_data.py sql > load.sql`, then
`chrononc sql -f load.sql`) and the oracle (values_oracle.py imports TABLES).

Tables (all partitioned by ds, 'yyyy-MM-dd', timestamps in epoch millis UTC):
  vt_data.txns       events: user_id, merchant, amount (double), qty (bigint), ts
  vt_data.users      entities snapshot: user_id, tier, credit (double)
  vt_data.checkouts  the join's left events: checkout_id, user_id, ts

What the data holds on purpose:
  * txns has no partition at all for 2024-03-05 and an empty one (created, no
    rows) for 2024-03-07; users has no partition for 2024-03-07. One event is
    much older (2024-02-24), for a 14-day window.
  * u1's events sit on the edges of the temporal join's sawtooth windows
    (5-minute heads, hour and day tails) and on a checkout's exact ts.
  * several events a day per key, nulls in amount, qty and merchant, an event
    whose inputs are all null, a key (u_nulls) whose events are all null, an
    event with a null key, keys on the left with no events (u6, u8) and a key
    with no users row on some days.
"""
import random
import sys
from datetime import datetime, timedelta, timezone

DAY_MS = 86_400_000
FIRST_DAY = "2024-03-01"
LAST_DAY = "2024-03-10"


def day_ms(ds):
    """Epoch millis of ds 00:00 UTC."""
    d = datetime.strptime(ds, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    return int(d.timestamp()) * 1000


def ds_of(ms):
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime("%Y-%m-%d")


def shift(ds, days):
    d = datetime.strptime(ds, "%Y-%m-%d") + timedelta(days=days)
    return d.strftime("%Y-%m-%d")


def at(ds, hms, ms=0):
    """Epoch millis of ds HH:MM:SS(.ms) UTC."""
    h, m, s = (int(x) for x in hms.split(":"))
    return day_ms(ds) + ((h * 60 + m) * 60 + s) * 1000 + ms


def days(first=FIRST_DAY, last=LAST_DAY):
    out, d = [], first
    while d <= last:
        out.append(d)
        d = shift(d, 1)
    return out


# Table schemas: (column, SQL type), the partition column ds comes last.
SCHEMAS = {
    "vt_data.txns": [("user_id", "STRING"), ("merchant", "STRING"), ("amount", "DOUBLE"),
                     ("qty", "BIGINT"), ("ts", "BIGINT")],
    "vt_data.users": [("user_id", "STRING"), ("tier", "STRING"), ("credit", "DOUBLE")],
    "vt_data.checkouts": [("checkout_id", "STRING"), ("user_id", "STRING"), ("ts", "BIGINT")],
}

TXN_MISSING_DAY = "2024-03-05"   # no partition
TXN_EMPTY_DAY = "2024-03-07"     # a partition without rows
USERS_MISSING_DAY = "2024-03-07"


def _txns():
    rows = []

    def ev(user, merchant, amount, qty, ts):
        rows.append({"user_id": user, "merchant": merchant, "amount": amount, "qty": qty, "ts": ts})

    # u1: hand-placed around the checkouts at 2024-03-08 10:07, 2024-03-08 12:00
    # and 2024-03-09 10:07 (see _checkouts), on the tails of their windows.
    # 14 days before 03-09 10:07: in its 14d window (tail hop: a day, so from
    # 02-24 00:00), not in a window with an hour tail (from 02-24 10:00).
    # qty feeds a COUNT without windows, which must count it from any start
    # date (values_oracle.check_scan_start).
    ev("u1", None, 2048.0, 7, at("2024-02-24", "05:00:00"))
    ev("u1", "m1", 1.5, 1, at("2024-03-01", "08:00:00"))
    ev("u1", "m2", 2.25, None, at("2024-03-02", "23:59:59", 999))
    ev("u1", "m1", 4.0, 2, at("2024-03-06", "09:59:59", 999))   # 3d tail of 03-09 10:07: out
    ev("u1", "m3", 8.0, 3, at("2024-03-06", "10:00:00"))        # 3d tail of 03-09 10:07: in
    ev("u1", "m2", 16.0, 4, at("2024-03-08", "04:02:00"))       # 6h tail of 03-08 10:07 (04:05): out
    ev("u1", None, 32.0, 5, at("2024-03-08", "04:06:00"))       # ... in
    ev("u1", "m4", 0.5, None, at("2024-03-08", "09:04:59"))     # 1h tail of 03-08 10:07 (09:05): out
    ev("u1", "m1", 0.25, 6, at("2024-03-08", "09:06:00"))       # in (an exact 1h window would drop it)
    ev("u1", "m2", 1024.0, 7, at("2024-03-08", "09:59:59", 999))  # 1d tail of 03-09 10:07 (10:00): out
    ev("u1", "m3", 64.0, 8, at("2024-03-08", "10:00:00"))       # in
    ev("u1", "m1", 128.0, 9, at("2024-03-08", "10:05:00"))      # head of 03-08 10:07
    ev("u1", "m4", 256.0, 10, at("2024-03-08", "10:06:59", 999))
    ev("u1", "m2", 512.0, 11, at("2024-03-08", "10:07:00"))     # at the checkout's ts: not before it
    ev("u1", "m3", 3.0, None, at("2024-03-08", "10:59:59", 999))  # 1h tail of 03-08 12:00 (11:00): out
    ev("u1", "m3", 5.0, 12, at("2024-03-08", "11:00:00"))       # in
    ev("u1", None, None, None, at("2024-03-08", "11:30:00"))    # all inputs null
    ev("u1", "m4", 7.0, 13, at("2024-03-08", "11:59:59", 999))
    ev("u1", "m1", 9.0, 14, at("2024-03-08", "12:00:00"))       # at the checkout's ts
    ev("u1", "m1", 20.0, 17, at("2024-03-08", "22:02:00"))     # 12h tail of 03-09 10:07 (hour: 22:00): in
    ev("u1", "m2", 10.0, 15, at("2024-03-09", "10:06:00"))
    ev("u1", "m1", 11.0, 18, at("2024-03-10", "01:00:00"))      # after every run's end date

    # u5: a few events, then only an all-null one.
    ev("u5", "m2", 6.5, 2, at("2024-03-02", "12:00:00"))
    ev("u5", "m3", 1.0, 1, at("2024-03-03", "13:30:00"))
    ev("u5", None, None, None, at("2024-03-08", "15:00:00"))
    # u_nulls: every input null, always.
    ev("u_nulls", None, None, None, at("2024-03-04", "06:00:00"))
    ev("u_nulls", None, None, None, at("2024-03-08", "06:00:00"))
    # A null key: dropped by Chronon (no key at all).
    ev(None, "m1", 99.0, 99, at("2024-03-08", "08:00:00"))

    # u2..u4: seeded random events, 0..4 a day, with nulls.
    rnd = random.Random(20240301)
    for user in ["u2", "u3", "u4"]:
        used = set()
        for ds in days():
            if ds in (TXN_MISSING_DAY, TXN_EMPTY_DAY):
                continue
            for _ in range(rnd.randint(0, 4)):
                while True:
                    ts = day_ms(ds) + rnd.randrange(0, DAY_MS // 1000) * 1000
                    if ts not in used:
                        used.add(ts)
                        break
                merchant = None if rnd.random() < 0.15 else "m%d" % rnd.randint(1, 4)
                amount = None if rnd.random() < 0.15 else rnd.randint(0, 200) / 4
                qty = None if rnd.random() < 0.15 else rnd.randint(0, 5)
                ev(user, merchant, amount, qty, ts)
    for r in rows:
        r["ds"] = ds_of(r["ts"])
    return rows


TIERS = ["gold", "silver", "bronze"]


def _users():
    rows = []
    rnd = random.Random(7)
    for ds in days():
        if ds == USERS_MISSING_DAY:
            continue
        for i, user in enumerate(["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u_nulls"]):
            if user == "u5" and ds == "2024-03-05":
                continue  # no users row for u5 that day
            if user == "u3" and ds == "2024-03-05":
                tier, credit = "bronze", None  # bronze that day: only u3, credit null
            elif ds == "2024-03-05" and user != "u3":
                tier, credit = TIERS[i % 2], float(rnd.randint(0, 400)) / 8
            else:
                tier = TIERS[(i + int(ds[-2:])) % 3]
                credit = None if rnd.random() < 0.2 else float(rnd.randint(0, 400)) / 8
            rows.append({"user_id": user, "tier": tier, "credit": credit, "ds": ds})
    return rows


def _checkouts():
    rows = []

    def co(user, ts):
        rows.append({"checkout_id": "c%03d" % (len(rows) + 1), "user_id": user, "ts": ts, "ds": ds_of(ts)})

    co("u1", at("2024-03-05", "12:00:00"))   # before the join's start date
    co("u1", at("2024-03-06", "00:03:00"))
    co("u1", at("2024-03-08", "10:07:00"))
    co("u1", at("2024-03-08", "12:00:00"))   # on a 5-minute boundary
    co("u1", at("2024-03-09", "10:07:00"))
    co("u1", at("2024-03-10", "09:00:00"))   # after the join's end date
    co("u5", at("2024-03-06", "08:00:00"))   # no users row on 03-05
    co("u5", at("2024-03-09", "08:00:00"))
    co("u6", at("2024-03-07", "12:00:00"))   # no events, a users row
    co("u8", at("2024-03-08", "13:00:00"))   # nothing at all
    co("u_nulls", at("2024-03-08", "18:00:00"))
    co("u7", at("2024-03-09", "23:59:59", 999))
    rnd = random.Random(99)
    for ds in days("2024-03-06", "2024-03-09"):
        for user in ["u2", "u3", "u4"]:
            for _ in range(rnd.randint(1, 3)):
                co(user, day_ms(ds) + rnd.randrange(0, DAY_MS // 1000) * 1000)
    # two checkouts of one user at one ts
    t = at("2024-03-08", "16:20:00")
    co("u2", t)
    co("u2", t)
    return rows


TABLES = {
    "vt_data.txns": _txns(),
    "vt_data.users": _users(),
    "vt_data.checkouts": _checkouts(),
}
# Partitions that exist without rows.
EMPTY_PARTITIONS = {"vt_data.txns": [TXN_EMPTY_DAY]}


def partitions(table):
    """The partitions the table has in the warehouse."""
    return sorted({r["ds"] for r in TABLES[table]} | set(EMPTY_PARTITIONS.get(table, [])))


def _literal(v, typ):
    if v is None:
        return "CAST(NULL AS %s)" % typ
    if typ == "STRING":
        assert "'" not in v and "\\" not in v
        return "'%s'" % v
    if typ == "DOUBLE":
        return "CAST(%r AS DOUBLE)" % v
    return "CAST(%d AS %s)" % (v, typ)


def sql_statements():
    out = ["CREATE DATABASE IF NOT EXISTS vt_data", "CREATE DATABASE IF NOT EXISTS vt_out",
           "SET hive.exec.dynamic.partition.mode=nonstrict"]
    for table, schema in SCHEMAS.items():
        cols = ", ".join("%s %s" % c for c in schema)
        out.append("CREATE TABLE %s (%s) PARTITIONED BY (ds STRING)" % (table, cols))
        for ds in EMPTY_PARTITIONS.get(table, []):
            out.append("ALTER TABLE %s ADD PARTITION (ds='%s')" % (table, ds))
        values = ",\n  ".join(
            "(%s, '%s')" % (", ".join(_literal(r[c], t) for c, t in schema), r["ds"]) for r in TABLES[table])
        out.append("INSERT INTO %s PARTITION (ds) VALUES\n  %s" % (table, values))
    # What the warehouse holds, for the test to check against counts().
    out.append(" UNION ALL ".join(
        "SELECT '%s' AS t, ds, COUNT(1) AS n FROM %s GROUP BY ds" % (t, t) for t in SCHEMAS) + " ORDER BY t, ds")
    return out


def counts():
    """(table, ds, rows) for every non-empty partition, as the last load statement lists them."""
    out = {}
    for t in SCHEMAS:
        for r in TABLES[t]:
            out[(t, r["ds"])] = out.get((t, r["ds"]), 0) + 1
    return sorted((t, ds, n) for (t, ds), n in out.items())


if __name__ == "__main__":
    if sys.argv[1:] == ["sql"]:
        print(";\n".join(sql_statements()) + ";")
    else:
        sys.exit("usage: values_data.py sql")
