from ai.chronon.api.ttypes import MetaData, StagingQuery

v1 = StagingQuery(
    query="SELECT user_id, SUM(price) AS total, ds FROM data.purchases WHERE ds BETWEEN '{{ start_date }}' AND '{{ end_date }}' GROUP BY user_id, ds",
    startPartition="2024-01-01",
    metaData=MetaData(dependencies=["data.purchases/ds={{ ds }}"]),
    setup=["CREATE TEMPORARY FUNCTION f AS 'F'"],
)
