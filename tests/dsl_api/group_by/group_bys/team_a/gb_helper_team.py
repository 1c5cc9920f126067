from group_bys.team_b.helpers import make_group_by

v1 = make_group_by("ns.helper")
