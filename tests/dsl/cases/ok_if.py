if a:
    x = 1
elif b:
    x = 2
elif c:
    x = 3
else:
    x = 4

if online: serving = True
else: serving = False


def pick(env):
    if env == "prod":
        if region:
            return "p-" + region
        return "prod"
    else:
        pass
    return None
