from ai.chronon.api.ttypes import EntitySource, Source
from ai.chronon.group_by import Accuracy, Derivation, GroupBy
from ai.chronon.query import Query

v1 = GroupBy(
    sources=[Source(entities=EntitySource(snapshotTable="ns.snap", query=Query(
        selects={"k": "k", "v": "v"}, partition_column="dt", start_partition="2020-01-01")))],
    keys=["k"],
    aggregations=None,
    upload_schedule="@weekly",
    accuracy=Accuracy.SNAPSHOT,
    backfill_start_date="2021-01-01",
    historical_backfill=False,
    deprecation_date="2030-01-01",
    description="d",
    name="explicit.name",
    env={"backfill": {"A": "B"}},
    table_properties={"p": "q"},
    output_namespace="outns",
    offline_schedule="@never",
    production=False,
    online=False,
    derivations=[Derivation("x", "k")],
    is_incremental=False,
)
