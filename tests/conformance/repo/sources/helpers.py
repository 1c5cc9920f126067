"""
Pure helper functions shared by the definition modules.

Every helper is a single `return` of an expression: no loops, no branches.
"""

from ai.chronon.api import ttypes
from ai.chronon.query import Query, select

KAFKA_CLUSTER = "kafka-main"


def topic(name, *, cluster=KAFKA_CLUSTER, serde="avro"):
    """A Kafka topic spec string: `kafka://<cluster>/<name>/serde=<serde>`."""
    return f"kafka://{cluster}/{name}/serde={serde}"


def event_source(table, *columns, topic=None, time_column="ts", wheres=None, start_partition=None, expressions={}):
    """An EventSource selecting plain `columns` plus the `expressions` dict (alias -> SQL)."""
    return ttypes.EventSource(
        table=table,
        topic=topic,
        query=Query(
            selects=select(*columns, **expressions),
            wheres=wheres,
            start_partition=start_partition,
            time_column=time_column,
        ),
    )


def snapshot_source(table, *columns, mutation_table=None, mutation_topic=None, time_column=None, expressions={}):
    """An EntitySource over a daily snapshot, optionally with mutations."""
    return ttypes.EntitySource(
        snapshotTable=table,
        mutationTable=mutation_table,
        mutationTopic=mutation_topic,
        query=Query(
            selects=select(*columns, **expressions),
            time_column=time_column,
            mutation_time_column="mutation_ts" if mutation_table else None,
            reversal_column="is_before" if mutation_table else None,
        ),
    )


def cents_to_dollars(column):
    """Spark SQL that turns an integer cents column into dollars."""
    return "CAST({col} AS DOUBLE) / 100.0".format(col=column)


def not_null(*columns):
    """One `IS NOT NULL` where-clause per column."""
    return [f"{c} IS NOT NULL" for c in columns]
