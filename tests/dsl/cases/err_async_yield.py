async def fetch():
    return 1
def gen():
    yield 1
    x = yield
    yield from other()
    return (yield)
value = await fetch()
items = [x async for x in stream]
ok = 1
