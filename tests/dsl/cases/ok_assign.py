a = 1
a = b = c = "x"
x, y = 1, 2
(x, y) = [y, x]
[first, second] = pair
z, = singleton
obj.attr = 3
obj.a.b = 4
table["key"] = 5
grid[1][2] = 6
m = 1; n = 2; o = 3;
