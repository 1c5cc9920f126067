def typed(a: int, b: str = "x", *args: int, **kw: dict) -> bool:
    return True
count: int = 0
declared: str
ok = 1
