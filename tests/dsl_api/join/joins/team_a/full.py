# Every Join argument, an event left (ts added to the copy), tags, key mapping.
import ai.chronon.api.ttypes as ttypes
from ai.chronon.join import Derivation, Join, JoinPart
from ai.chronon.query import Query, select
from group_bys.team_a import gbs
from group_bys.team_b.sub import nested

left = ttypes.Source(events=ttypes.EventSource(
    table="ns.requests/x=y", query=Query(selects=select("user", req="request_user"), time_column="left_ts",
                                         start_partition="2021-01-01")))

parts = [
    JoinPart(gbs.v1, tags={"jt": "1"}),
    JoinPart(gbs.v2, key_mapping={"req": "user"}, prefix="p", tags={"a": 1}),
    JoinPart(nested.v1),
]

v1 = Join(
    left,
    parts,
    check_consistency=True,
    additional_args=["--x"],
    additional_env=["E"],
    online=True,
    production=True,
    output_namespace="out_ns",
    table_properties={"k": "v"},
    env={"backfill": {"A": "B"}},
    lag=1,
    skew_keys={"user": ["0", "-1"]},
    sample_percent=50.0,
    consistency_sample_percent=2.5,
    offline_schedule="@weekly",
    historical_backfill=False,
    row_ids=["user", "ts"],
    derivations=[Derivation("d1", "amt * 2", "doubled"), Derivation("*", "*"), Derivation("d2", "amt", "")],
    deprecation_date="2030-01-01",
    tags={"a": "b"},
    description="a join",
    zz_extra=1,
    aa_extra={"n": None, "f": 1.5},
)

# the caller's left is not modified
left_after = left
