if ready
    x = 1
y = = 2
z = f(a b)
w = 1 2
def g(1): pass
import
from pkg
from pkg import
print "hello"
d = {"a" 1}
l = [1 2]
t = x[1 2]
lam = lambda x y: 0
cond = a if b
ok = 1
else:
    pass
after_else = 2
