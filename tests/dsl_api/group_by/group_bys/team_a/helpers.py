from ai.chronon.group_by import (
    Aggregation, Operation, TimeUnit, Window, op_to_str, window_to_str_pretty,
    contains_windowed_aggregation, get_output_col_names, DEFAULT_ONLINE, DEFAULT_PRODUCTION,
    UPLOAD_SCHEDULE_KEY, DEFAULT_UPLOAD_SCHEDULE, UPLOAD_SCHEDULES,
)
import ai.chronon.api.ttypes as ttypes

windows = [Window(1, TimeUnit.HOURS), Window(30, TimeUnit.DAYS)]
top = Aggregation("x", Operation.TOP_K(3), windows=windows, buckets=["b", "c"])
plain = Aggregation("amt", Operation.SUM)
pct = Aggregation("p", Operation.APPROX_PERCENTILE([0.5]), windows=[Window(7, TimeUnit.DAYS)])
last = Aggregation("l", Operation.LAST_K(10), buckets=["only"])
hand = ttypes.Aggregation(inputColumn="h", operation=ttypes.Operation.FIRST_K, argMap={})

names = ttypes.MetaData(
    name=",".join(get_output_col_names(top) + get_output_col_names(plain) + get_output_col_names(pct)
                  + get_output_col_names(last) + get_output_col_names(hand)),
    description=" / ".join([op_to_str(Operation.APPROX_UNIQUE_COUNT), op_to_str(ttypes.Operation.LAST_K),
                            op_to_str(True), window_to_str_pretty(Window(3, TimeUnit.HOURS)),
                            window_to_str_pretty(windows[1])]),
    team=str([contains_windowed_aggregation(None), contains_windowed_aggregation([]),
              contains_windowed_aggregation([plain]), contains_windowed_aggregation([plain, top])]),
    outputNamespace=str([DEFAULT_ONLINE, DEFAULT_PRODUCTION, UPLOAD_SCHEDULE_KEY, DEFAULT_UPLOAD_SCHEDULE, UPLOAD_SCHEDULES]),
)
