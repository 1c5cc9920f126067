"""Helper functions in the style definition repos use."""

KAFKA_CLUSTER = "kafka-main"


def topic(name, *, cluster=KAFKA_CLUSTER, serde="avro"):
    """A Kafka topic spec."""
    return f"kafka://{cluster}/{name}/serde={serde}"


def not_null(*columns):
    return [f"{c} IS NOT NULL" for c in columns]


def cents_to_dollars(column):
    return "CAST({col} AS DOUBLE) / 100.0".format(col=column)


def choose(mutation_table=None):
    return {
        "mutation_time_column": "mutation_ts" if mutation_table else None,
        "reversal_column": "is_before" if mutation_table else None,
    }


WINDOWS = {name: days for name, days in [("week", 7), ("month", 30)]}
DEFAULT = WINDOWS.get("week", 1) * 24
