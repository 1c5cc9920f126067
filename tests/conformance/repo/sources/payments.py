"""Payment, card and chargeback sources shared by risk and payments."""

from ai.chronon.api import ttypes
from ai.chronon.query import Query, select
from sources import helpers

transactions = ttypes.EventSource(
    table="data.payment_transactions",
    topic=helpers.topic("events.transactions", cluster="kafka-payments"),
    query=Query(
        selects=select(
            "transaction_id",
            "user_id",
            "merchant_id",
            "card_id",
            "currency",
            "status",
            amount=helpers.cents_to_dollars("amount_cents"),
            is_declined="status = 'DECLINED'",
            hour_of_day="hour(from_unixtime(ts / 1000))",
            amounts_by_leg="array(leg1_cents, leg2_cents, leg3_cents)",
        ),
        wheres=["currency IN ('USD', 'EUR', 'GBP')"],
        time_column="ts",
        setups=[
            "ADD JAR hdfs:///jars/payments-udfs-1.4.jar",
            "CREATE TEMPORARY FUNCTION risk_bucket AS 'com.example.udf.RiskBucket'",
        ],
    ),
)

cards = ttypes.EntitySource(
    snapshotTable="data.cards_snapshot",
    mutationTopic=helpers.topic("cdc.cards"),
    mutationTable="data.cards_mutations",
    query=Query(
        selects=select("card_id", "user_id", "card_type", "issuer_country", credit_limit="credit_limit_cents / 100"),
        time_column="updated_at",
        mutation_time_column="mutation_ts",
        reversal_column="is_before",
    ),
)

chargebacks = helpers.snapshot_source(
    "data.chargebacks",
    "transaction_id",
    "user_id",
    "merchant_id",
    expressions={
        "is_fraud": "reason_code IN ('10.4', '4837')",
        "chargeback_amount": "amount_cents / 100.0",
    },
    time_column="filed_ts",
)

merchants = ttypes.EntitySource(
    snapshotTable="data.merchants",
    query=Query(
        selects=select("merchant_id", "mcc", "onboarded_ds", "country", risk_tier="COALESCE(risk_tier, 'unrated')"),
    ),
)
