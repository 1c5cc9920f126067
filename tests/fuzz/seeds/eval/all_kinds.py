"""One of each config kind, built with the language's features, for the eval harness."""
from ai.chronon.api import ttypes
from ai.chronon.group_by import Accuracy, Aggregation, GroupBy, Operation, TimeUnit, Window
from ai.chronon.join import Join, JoinPart, Derivation
from ai.chronon.query import Query, select
from ai.chronon.api.ttypes import MetaData, StagingQuery
from group_bys.quickstart import purchases
from sources import quickstart

DAYS = {"short": 3, "long": 30}


def windows(*lengths, unit=TimeUnit.DAYS):
    return [Window(length=n, timeUnit=unit) for n in lengths if n > 0]


label = f"{'spend':>8}_{len(DAYS)}"
v1 = GroupBy(
    sources=[quickstart.purchases],
    keys=["user_id"],
    online=True,
    accuracy=Accuracy.TEMPORAL,
    aggregations=[
        Aggregation(input_column="purchase_price", operation=op, windows=windows(*sorted(DAYS.values())))
        for op in (Operation.SUM, Operation.APPROX_PERCENTILE([0.5, 0.99]), Operation.LAST_K(3))
    ],
)

training = Join(
    left=ttypes.Source(events=ttypes.EventSource(
        table="data.checkouts", query=Query(selects=select("user_id", ds="ds"), time_column="ts"))),
    right_parts=[JoinPart(group_by=purchases.v1, prefix=label.strip())],
    derivations=[Derivation(name="*", expression="*")],
    online=True,
)

rollup = StagingQuery(
    query="SELECT user_id, SUM(purchase_price) FROM data.purchases WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'",
    startPartition="2023-01-01",
    setups=["CREATE TEMPORARY FUNCTION f AS 'x.Y'"],
    metaData=MetaData(dependencies=["data.purchases/ds={{ ds }}"], tableProperties={"source": label}),
)
