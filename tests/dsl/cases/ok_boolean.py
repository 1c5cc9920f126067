a = x and y or z
b = x or y and z
c = not x and not y
d = not not x
e = a < b < c
f = a == b != c
g = x in xs and y not in ys
h = x is None or y is not None
i = a if b else c if d else e
j = (a if b else c) if d else e
k = (a < b) < c
l = not a == b
