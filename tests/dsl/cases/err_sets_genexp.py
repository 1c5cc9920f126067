tags = {"a", "b"}
single = {x}
unique = {x for x in xs}
gen = (x * 2 for x in xs)
both = f(x for x in xs)
bad = f(x for x in xs, 1)
total = sum(x for x in xs)
