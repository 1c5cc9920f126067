from ai.chronon.query import Query, select

q1 = Query(selects=select("a", "b", a="x", c="y"))
q2 = Query(selects=select("b", "a", "b"))
q3 = Query(selects=select(z="1", a="2"))
q4 = Query(selects=select(*["p", "q"], **{"r": "s", "p": "P"}))
q5 = Query(selects=select())
sel = select("m")
q6 = Query(selects=sel)
sel["n"] = "n_expr"
