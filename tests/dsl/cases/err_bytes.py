a = b"raw bytes"
b = rb'\d' + Br"x"
c = "text" b"mixed"
d = 1
