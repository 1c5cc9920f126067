# REJECTED by compile.py (chronon-ai 0.0.115): staging_queries/rejects/view_with_date_templates.py.
# createView=True with {{ start_date }}/{{ end_date }} in the query. Repo
# validator: printed, skipped, exit 0.
#
# compile.py --input_path staging_queries/rejects/view_with_date_templates.py -y --force-overwrite
# prints these lines (colours removed, indentation stripped) and exits as below;
# tests/conformance/check_rejected.sh checks them.
# expect-exit: 0
# expect-written: none
# error: Could not write StagingQuery view_with_date_templates.v1 - StagingQuery 'rejects.view_with_date_templates.v1' with createView=True cannot contain date templates: start_date, end_date. Views should contain all data and use partition pushdown for filtering.

from ai.chronon.api.ttypes import MetaData, StagingQuery

v1 = StagingQuery(
    query="SELECT user_id, ds FROM data.users WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'",
    startPartition="2024-01-01",
    createView=True,
    metaData=MetaData(dependencies=["data.users/ds={{ ds }}"]),
)
