def f():
return 1
if x:
y = 2
def g(): pass
if last:
