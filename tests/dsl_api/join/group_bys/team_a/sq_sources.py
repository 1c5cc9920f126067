# Staging-query sources and dependencies: naming, teams.json namespaces.
import ai.chronon.api.ttypes as ttypes
import ai.chronon.utils as utils
from ai.chronon.group_by import Aggregation, GroupBy, Operation
from ai.chronon.query import Query, select
from ai.chronon.staging_query import (StagingQueryEntitySource, StagingQueryEventSource,
                                      get_staging_query_dependencies, get_staging_query_output_table_name)
from staging_queries.team_a import sq
from staging_queries.team_x import sq as sqx

ent = StagingQueryEntitySource(sq.with_ns, Query(selects=select("user", "v")))
ev = StagingQueryEventSource(sq.v1, Query(selects=select("user", "v"), time_column="ts"))
ev_cum = StagingQueryEventSource(staging_query=sqx.v1, query=Query(), is_cumulative=True)
deps = ttypes.MetaData(dependencies=get_staging_query_dependencies(sq.v1) +
                       get_staging_query_dependencies(sq.with_ns, lag=3) +
                       get_staging_query_dependencies(sqx.v1))
names = ttypes.MetaData(dependencies=[
    get_staging_query_output_table_name(sq.v1),
    get_staging_query_output_table_name(sq.v1, full_name=True),
    utils.get_staging_query_output_table_name(sqx.v1, True),
])
gb = GroupBy(sources=[ev], keys=["user"], aggregations=[Aggregation("v", Operation.SUM)],
             dependencies=get_staging_query_dependencies(sq.v1))
sq_v1 = sq.v1
sq_with_ns = sq.with_ns
sqx_v1 = sqx.v1
