total = (1 +
         2 +
    3)
items = [
    # a comment inside brackets

    "a",   # trailing comment
        "b",
]
mapping = {
"k":
    "v"}
call = f(a,
  b)
long = 1 + \
    2 + \
        3
if a and \
   b:
    pass
