"""
Flattened fraud events, consumed by group_bys/risk/fraud_signals.py through
StagingQueryEventSource. No outputNamespace: the table name is resolved from
the team's namespace in teams.json.
"""

from ai.chronon.api.ttypes import MetaData, StagingQuery

v1 = StagingQuery(
    query="""
SELECT
    e.user_id,
    e.device_id,
    e.event_type,
    e.score AS model_score,
    CAST(e.ts AS BIGINT) AS ts,
    e.ds
FROM data.fraud_model_events e
WHERE e.ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'
  AND e.event_type IN ('login', 'payment', 'password_reset')
""",
    startPartition="2023-06-01",
    metaData=MetaData(
        dependencies=["data.fraud_model_events/ds={{ ds }}"],
    ),
)
