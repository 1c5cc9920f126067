"""The parity test's source data, as Spark SQL statements (one per line,
each ending in ';'), printed to stdout:

    data.py FIRST_DS LAST_DS

Both sides load the same file: `chrononc sql -f` for our executables'
warehouse, spark.sql() per statement in pyspark_run.py for chronon-ai's.

Tables (ds partitions in yyyyMMdd, the format chronon-ai's PySpark interface
takes): data.purchases, data.returns, data.checkouts (events; ts in epoch
milliseconds, UTC) and data.users (a daily snapshot). The rows are drawn
from a seeded generator, so every run loads the same rows.

Chosen so that results cannot depend on evaluation order:
  - prices and refunds are multiples of 0.25 (sums of them are exact in
    binary floating point, in any order, so SUM/AVERAGE are the same whatever
    way Spark partitions the rows);
  - no two events of a table share a timestamp (LAST_K's order is total).
"""
import random
import sys
from datetime import date, datetime, timedelta, timezone

USERS = [f"u{i}" for i in range(1, 7)]


def days(first, last):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def ds(d):
    return d.strftime("%Y%m%d")


def millis(d, second_of_day):
    start = datetime(d.year, d.month, d.day, tzinfo=timezone.utc)
    return int(start.timestamp()) * 1000 + second_of_day * 1000


def sql_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return "'" + v + "'"
    return repr(v)


def insert(table, rows):
    values = ", ".join("(" + ", ".join(sql_value(v) for v in row) + ")" for row in rows)
    return f"INSERT INTO {table} VALUES {values};"


def events(rng, first, last, per_day, value):
    """Up to per_day events a day: (user, [value,] ts, ds); each event's second
    of the day is distinct within the day (a sample without replacement)."""
    rows = []
    for d in days(first, last):
        n = rng.randint(0, per_day)
        for sec in sorted(rng.sample(range(0, 86400, 7), n)):
            row = [rng.choice(USERS)]
            if value:
                row.append(rng.randint(1, 400) * 0.25)
            rows.append(row + [millis(d, sec), ds(d)])
    return rows


def main():
    first = datetime.strptime(sys.argv[1], "%Y%m%d").date()
    last = datetime.strptime(sys.argv[2], "%Y%m%d").date()
    rng = random.Random(20240105)
    out = ["CREATE DATABASE IF NOT EXISTS data;", "CREATE DATABASE IF NOT EXISTS quickstart;"]
    out.append("CREATE TABLE data.purchases (user_id STRING, purchase_price DOUBLE, ts BIGINT, ds STRING)"
               " USING parquet PARTITIONED BY (ds);")
    out.append(insert("data.purchases", events(rng, first, last, 3, True)))
    out.append("CREATE TABLE data.returns (user_id STRING, refund_amt DOUBLE, ts BIGINT, ds STRING)"
               " USING parquet PARTITIONED BY (ds);")
    out.append(insert("data.returns", events(rng, first, last, 2, True)))
    out.append("CREATE TABLE data.checkouts (user_id STRING, ts BIGINT, ds STRING)"
               " USING parquet PARTITIONED BY (ds);")
    out.append(insert("data.checkouts", events(rng, first, last, 3, False)))
    # Users appear on their creation day; some verify their email later.
    created = {u: first + timedelta(days=rng.randint(-10, 12)) for u in USERS}
    verified = {u: created[u] + timedelta(days=rng.randint(0, 10)) for u in USERS}
    snapshot = []
    for d in days(first, last):
        for u in USERS:
            if created[u] <= d:
                snapshot.append([u, ds(created[u]), verified[u] <= d, ds(d)])
    out.append("CREATE TABLE data.users (user_id STRING, account_created_ds STRING, email_verified BOOLEAN,"
               " ds STRING) USING parquet PARTITIONED BY (ds);")
    out.append(insert("data.users", snapshot))
    print("\n".join(out))


main()
