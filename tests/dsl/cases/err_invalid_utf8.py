a = 1
b = "café"
c = 2 +
