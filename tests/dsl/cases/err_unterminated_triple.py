x = 1
query = """
SELECT *
FROM t
