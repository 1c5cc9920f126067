flags = a | b
mask = a & ~b
shifted = (x << 2) ^ (y >> 1)
product = m @ n
flags |= 4
mask &= 1
matrix @= other
if (n := len(xs)) > 3:
    pass
