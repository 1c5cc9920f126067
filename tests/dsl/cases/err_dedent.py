def f():
        x = 1
    y = 2
    return y
z = 1 1
