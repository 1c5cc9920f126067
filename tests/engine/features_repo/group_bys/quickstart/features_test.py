"""GroupBys for tests/engine/features.test.sh, beyond the quickstart's own.

chained: its source is a JoinSource, the output of joins/quickstart/features_test.py, so a run first
runs that join (upstream) and then reads the table the join wrote.
reversed: its query's setups register a Hive UDF (hive-exec's UDFReverse,
shipped in pyspark's jars) that its selects then call; the keys come out
reversed ('u1' -> '1u'), which only the UDF can do.
"""
from ai.chronon.api import ttypes
from ai.chronon.group_by import Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.query import Query, select
from joins.quickstart import features_test as joins

chained = GroupBy(
    sources=[ttypes.Source(joinSource=ttypes.JoinSource(
        join=joins.checkout_spend,
        query=Query(
            selects=select("user_id", spend="quickstart_purchases_v1_purchase_price_sum_3d"),
            time_column="ts",
        ),
    ))],
    keys=["user_id"],
    online=True,
    aggregations=[Aggregation(input_column="spend", operation=Operation.SUM,
                              windows=[Window(length=7, timeUnit=TimeUnit.DAYS)])],
)

reversed = GroupBy(
    sources=[ttypes.Source(events=ttypes.EventSource(
        table="data.purchases",
        query=Query(
            selects=select(user_id="ft_reverse(user_id)", purchase_price="purchase_price"),
            time_column="ts",
            setups=["CREATE TEMPORARY FUNCTION ft_reverse AS 'org.apache.hadoop.hive.ql.udf.UDFReverse'"],
        ),
    ))],
    keys=["user_id"],
    online=True,
    aggregations=[Aggregation(input_column="purchase_price", operation=Operation.COUNT,
                              windows=[Window(length=3, timeUnit=TimeUnit.DAYS)])],
)
