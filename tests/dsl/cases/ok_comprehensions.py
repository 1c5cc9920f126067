squares = [x * x for x in range(10)]
evens = [x for x in xs if x % 2 == 0]
pairs = [(a, b) for a in xs for b in ys if a != b]
filtered = [x for x in xs if x if x > 1]
unpack = [k + v for k, v in d.items()]
paren_target = [a for (a, b) in pairs]
trailing_target = [a for a, in singles]
nested = [[c for c in row] for row in grid]
by_key = {k: v for k, v in pairs}
index = {name: i for i, name in enumerate(names) if name}
windows = [Window(length=n, timeUnit=unit) for n in [1, 7, 30] for unit in units]
cond_elem = [a if a else b for a in xs]
