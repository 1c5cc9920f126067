from ai.chronon.group_by import Window

windows = []
for days in [1, 7, 30]:
    windows.append(Window(days))
    while True:
        break
else:
    pass
after = windows +
ok = 1
