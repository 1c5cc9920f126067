"""
Notification engagement. The source selects `ts`: GroupBy moves it out of the
selects into the query's time column. Uses the `import a.b.c as x` form.
"""

import ai.chronon.api.ttypes as api
import ai.chronon.group_by as gb
import ai.chronon.query as q
import sources.common as common

notification_events = api.EventSource(
    table="data.notifications_sent",
    topic="kafka://kafka-main/events.notifications/serde=json",
    query=q.Query(
        selects=q.select("user_id", "channel", "template_id", opened="opened_at IS NOT NULL", ts="sent_at_ms"),
    ),
)

v1 = gb.GroupBy(
    sources=[notification_events],
    keys=["user_id"],
    aggregations=[
        gb.Aggregation(input_column="opened", operation=gb.Operation.AVERAGE, windows=common.days(7, 30)),
        gb.Aggregation(input_column="channel", operation=gb.Operation.HISTOGRAM_K(4), windows=common.days(30)),
        gb.Aggregation(input_column="template_id", operation=gb.Operation.LAST_K(3)),
        gb.Aggregation(input_column="opened", operation=gb.Operation.COUNT, windows=common.hours(6)),
    ],
    accuracy=gb.Accuracy.TEMPORAL,
    online=True,
    upload_schedule="@daily",
    description="Open rate "
    + gb.window_to_str_pretty(gb.Window(7, gb.TimeUnit.DAYS))
    + " and "
    + gb.window_to_str_pretty(gb.Window(6, gb.TimeUnit.HOURS))
    + "; operations: "
    + gb.op_to_str(gb.Operation.AVERAGE)
    + ", "
    + gb.op_to_str(gb.Operation.HISTOGRAM),
)
