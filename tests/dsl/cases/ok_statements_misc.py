"""Module docstring."""
pass
42
x
"string statement"
f(x); g(y)
return_value = None


def early():
    return


def tuples():
    return 1, 2


def starred_return(xs):
    return *xs, 0
