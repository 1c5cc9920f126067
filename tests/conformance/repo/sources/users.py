"""User, session and signup sources for the growth team."""

from ai.chronon.api import ttypes
from ai.chronon.query import Query, select
from sources import helpers

users = ttypes.EntitySource(
    snapshotTable="data.users",
    query=Query(
        selects=select(
            "user_id",
            "account_created_ds",
            "email_verified",
            country="UPPER(country_code)",
            age_bucket="CASE WHEN age < 25 THEN 'young' WHEN age < 45 THEN 'middle' ELSE 'senior' END",
        ),
        wheres=["user_id IS NOT NULL", "is_test_account = false"],
    ),
)

sessions_web = helpers.event_source(
    "data.sessions_web",
    "user_id",
    "device_id",
    "session_length",
    "pages",
    expressions={"platform": "'web'"},
    topic=helpers.topic("events.sessions.web"),
)

sessions_app = helpers.event_source(
    "data.sessions_app",
    "user_id",
    "device_id",
    "session_length",
    "pages",
    expressions=dict(platform="os_name"),
)

signups = ttypes.Source(
    entities=ttypes.EntitySource(
        snapshotTable="data.signups_daily",
        query=Query(
            selects=select("user_id", "referrer_id", "channel", "campaign", "signup_score"),
            start_partition="2021-06-01",
            end_partition="2030-12-31",
        ),
    )
)
