match = re.match(pattern, text)
match command:
    case "go":
        pass
    case _:
        pass
match(x):
    case 1: pass
result = match.group(1)
