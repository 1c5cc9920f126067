from ai.chronon.api import ttypes
from ai.chronon.query import Query, select

purchase_events = ttypes.EventSource(table="data.purchases", query=Query(selects=select("user_id", "price"), time_colum="ts"))
