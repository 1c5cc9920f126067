a = lambda: 1
b = lambda x: x + 1
c = lambda x, y=2: x * y
d = lambda *args, **kwargs: args
e = lambda x, *, key=None: key
f = lambda x: lambda y: x + y
g = sorted(xs, key=lambda t: t[1])
h = lambda x: "yes" if x else "no"
i = lambda x,: x
