from ai.chronon.api.ttypes import EventSource, EntitySource, Source, JoinSource
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import *
from ai.chronon.query import Query, select

gb = ttypes.GroupBy(sources=[Source(joinSource=JoinSource(query=Query(selects={"k": "k"})))], keyColumns=["k"])
validate_group_by(gb)
