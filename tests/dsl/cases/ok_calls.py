f()
f(1, 2)
f(a, key=1, other="x")
f(*args, **kwargs)
f(1, *rest, k=2, **more, last=3)
f(
    1,
    2,
)
f(a=1,)
obj.method(x).other()[0](y)
GroupBy(sources=[src], keys=["id"], aggregations=None)
total = sum(x for x in values if x)
