a = x | y ^ z & w << v >> u + t * s
b = x + y | z & ~w
c = x @ y + z @ w
d = await x ** await y
e = not x | y and z ^ w
f = x + * y
g = x or and y
h = (a + b) * (c -
