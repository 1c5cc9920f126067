a = not x and y < z or w and not v
b = x or y or z and w and u
c = not -a * b < c + d // e and f
d = a * -b ** -c ** d - e % f if a or b else h
e = [x for x in xs if not a or b and c in d]
f = a + b * c ** d.e(f)[g] - h / i
g = -a.b - -c * +d
h = lambda p, q=1 + 2 * 3: p or q and not p
i = {k: v + 1 for k, v in d.items() if k or v} or {**m}
j = (a, *b + c, d - e * f)
k = f(a or b, c=d and e, *g + h, **i)
l = x < y == z > w != v <= u >= t in s not in r is q is not p
