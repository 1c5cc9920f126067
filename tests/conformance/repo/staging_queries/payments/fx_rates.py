"""
Two staging queries in one file. The second reads a join's output table,
named with ai.chronon.utils helpers.
"""

from ai.chronon import utils
from ai.chronon.api.ttypes import MetaData, StagingQuery
from joins.payments import txn_features


def rate_column(currency):
    """One pivoted rate column."""
    return f"MAX(IF(quote = '{currency}', rate, NULL)) AS usd_{currency}"


daily = StagingQuery(
    query="SELECT ds, "
    + rate_column("EUR") + ", " + rate_column("GBP") + ", " + rate_column("CAD")
    + " FROM data.fx_quotes WHERE base = 'USD' AND ds BETWEEN '{{ start_date }}' AND '{{ end_date }}' GROUP BY ds",
    startPartition="2020-01-01",
    metaData=MetaData(
        dependencies=["data.fx_quotes/ds={{ ds }}"],
        tableProperties={"source": "fx", "refresh": "daily"},
    ),
)

TXN_TABLE = utils.get_join_output_table_name(txn_features.v1, True)
TXN_LOG_TABLE = utils.log_table_name(txn_features.v1, True)

txn_usd = StagingQuery(
    query=f"""
SELECT t.*, t.amount * COALESCE(fx.usd_EUR, 1.0) AS amount_usd_eur
FROM {TXN_TABLE} t
LEFT JOIN {{{{ db }}}}.fx_daily fx ON t.ds = fx.ds
WHERE t.ds BETWEEN '{{{{ start_date }}}}' AND '{{{{ end_date }}}}'
-- logged rows live in {TXN_LOG_TABLE}
""",
    startPartition="2024-01-01",
    setups=[],
    metaData=MetaData(
        dependencies=utils.dedupe_in_order(
            [
                TXN_TABLE + "/ds={{ ds }}",
                "data.fx_quotes/ds={{ ds }}",
                TXN_TABLE + "/ds={{ ds }}",
            ]
        ),
        customJson='{"wait_for": "' + utils.wait_for_name(TXN_TABLE + "/ds={{ ds }}") + '"}',
        description="Join rows with amounts converted at the daily rate; sanitized name: " + utils.sanitize("payments.txn-features v1"),
    ),
)
