a = (1, 2]
b = [1, 2)
c = )
d = {"a": 1
e = 5
f = [1,
     2
g = 3
h = call(x
    , y
i = 4 4
