"""A list other modules append to while they run: what they append is held by
this module, which outlives them."""

REGISTERED = []


def register(group_by):
    REGISTERED.append(group_by)
    return group_by
