"""
Daily device fingerprint snapshot. Its MetaData sets name and outputNamespace,
so StagingQueryEntitySource reads `risk_staging.device_fingerprints_daily`
(compile.py still renames the StagingQuery itself to risk.device_fingerprints.v1).
"""

from ai.chronon.api.ttypes import MetaData, StagingQuery

v1 = StagingQuery(
    query=(
        "SELECT device_id, user_id, os_family, "
        "emulator_score, first_seen_ds, ds "
        "FROM data.device_events "
        "WHERE ds = '{{ end_date }}'"
    ),
    startPartition="2024-01-01",
    setups=[
        "ADD JAR hdfs:///jars/device-udfs-2.0.jar",
        "CREATE TEMPORARY FUNCTION emulator_score AS 'com.example.udf.EmulatorScore'",
    ],
    metaData=MetaData(
        name="device_fingerprints_daily",
        outputNamespace="risk_staging",
        dependencies=["data.device_events/ds={{ ds }}"],
        tableProperties={"retention_days": "30"},
    ),
)
