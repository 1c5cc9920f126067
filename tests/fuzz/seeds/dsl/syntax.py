"""Every form of the subset the parser knows, and a few it refuses."""
import ai.chronon.group_by as gb
x = [i * 2 for i in range(3) if i % 2 == 0]
y = {k: v for k, v in zip("ab", (1, 2))}
z = lambda a, *b, c=1, **d: (a, b, c, d)
s = "a" "b" r"\d" b"x" f"{x!r:>10}" '''multi
line'''
n = 0x1F + 1_000 + 1e-3 + 3j if not x else -1
t = x[1:2:3], y.get("a"), (*x,), {**y}
def f(a, /, b=2, *, c, **kw):
    """doc"""
    if a:
        return b
    elif c:
        pass
    else:
        return None
@decorator
class C: pass
for i in x: pass
while False: break
