from ai.chronon.api.ttypes import EventSource, EntitySource, Source, JoinSource
import ai.chronon.api.ttypes as ttypes
from ai.chronon.group_by import *
from ai.chronon.query import Query, select

v1 = GroupBy(sources=[], keys=["k"], aggregations=None)
