def nothing():
    pass


def window(length, unit="d"):
    """A window spec."""
    return f"{length}{unit}"


def everything(a, b=1, *args, c, d=2, **kwargs):
    return


def keyword_only(table, *, topic=None, time_column="ts",):
    def inner(x):
        return x + 1
    return inner(table)


@decorator
@module.decorator(arg=1)
def decorated(x):
    return x
