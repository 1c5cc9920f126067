"""Device profile lookup over a staging query table (StagingQueryEntitySource)."""

from ai.chronon.group_by import GroupBy
from ai.chronon.query import Query, select
from ai.chronon.staging_query import StagingQueryEntitySource, get_staging_query_dependencies
from staging_queries.risk import device_fingerprints

v1 = GroupBy(
    sources=[
        StagingQueryEntitySource(
            device_fingerprints.v1,
            Query(selects=select("device_id", "os_family", "emulator_score", "first_seen_ds")),
        )
    ],
    keys=["device_id"],
    aggregations=None,
    online=True,
    dependencies=get_staging_query_dependencies(device_fingerprints.v1),
)
