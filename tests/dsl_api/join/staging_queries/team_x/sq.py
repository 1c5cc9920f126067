import ai.chronon.api.ttypes as ttypes

v1 = ttypes.StagingQuery(metaData=ttypes.MetaData(), query="SELECT 2")
