def a(x=1, y): pass
def b(x, x): pass
def c(*): pass
def d(*, **kw): pass
def e(**kw, x): pass
def f(*a, *b): pass
def g(a, /, b): pass
def h(*args=1): pass
k = lambda x=1, y: 0
m = lambda *: 0
