x = 1; del x; y = 2
global counter
nonlocal other
def f():
    if x:
        break
    continue
assert x > 0; z = 3
