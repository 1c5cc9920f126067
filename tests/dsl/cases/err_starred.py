*a
x = *a
y = (*a)
z = [*a for a in b]
d = {**a for a in b}
s = x[*idx]
return *a
ok = [*a], (*a,), {**a}
