with open("f") as fh:
    data = fh.read()
try:
    value = compute()
except ValueError as e:
    value = None
except (KeyError, IndexError):
    pass
else:
    value += 1
finally:
    cleanup()
raise RuntimeError("no")
assert value, "message"
y = 1
