plain = ["single", 'double', "", '']
escapes = "tab\there\nnew \\ back \' quote \" dq \x41\u00e9\U0001F600 \101\0 \a\b\f\v\r"
raw = r"\d+\.\w" + R'\n' + u"unicode prefix" + U"upper"
joined = "abc" 'def' """ghi"""
continued = "line one \
line two"
triple = """first
  second 'quoted' "double"
third"""
triple_single = '''it's "here"'''
empty_triple = """"""
quote_edge = """a""" + '''b''''c'
