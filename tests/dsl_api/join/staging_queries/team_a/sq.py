import ai.chronon.api.ttypes as ttypes

v1 = ttypes.StagingQuery(
    metaData=ttypes.MetaData(name="ignored", team="ignored_team"),
    query="SELECT * FROM ns.x WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}'",
    startPartition="2020-01-01",
    setups=["ADD JAR s3://x.jar"],
    createView=True,
)
with_ns = ttypes.StagingQuery(metaData=ttypes.MetaData(name="custom.name", outputNamespace="sq_ns"), query="SELECT 1")
