"""A view (createView=True) of weekly signup cohorts, with most MetaData fields set."""

from ai.chronon.api import ttypes

v1 = ttypes.StagingQuery(
    query="SELECT user_id, date_trunc('week', account_created_ds) AS cohort_week, country, ds FROM data.users",
    startPartition="2020-01-01",
    createView=True,
    metaData=ttypes.MetaData(
        name="ignored_user_cohorts_name",
        online=False,
        production=True,
        customJson='{"cohort_unit": "week", "owners": ["growth-ml"]}',
        dependencies=["data.users/ds={{ ds }}"],
        tableProperties={"format": "view", "owner": "growth-analytics"},
        outputNamespace="growth_views",
        team="not_growth",
        modeToEnvMap={"backfill": {"EXECUTOR_CORES": "1"}},
        consistencyCheck=False,
        samplePercent=0.5,
        offlineSchedule="@daily",
        consistencySamplePercent=1.25,
        historicalBackfill=False,
        deprecationDate="2027-01-01",
        description="Weekly cohorts; a view, so no {{ start_date }}-style templates.",
    ),
)
