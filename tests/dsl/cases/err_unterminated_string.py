name = "group_by
table = 'unclosed
call = f("abc)
ok = "fine"
after = 1 +
