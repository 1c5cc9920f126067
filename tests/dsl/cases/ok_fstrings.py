name = f"group_by_{team}_{version}"
conv = f"{x!r} {y!s} {z!a}"
spec = f"{value:>10} {ratio:.2%} {when:%Y-%m-%d}"
nested_spec = f"{value:{align}{width}.{precision}f}"
braces = f"{{literal}} {{{inside}}}"
debug = f"{x=} {y = } {z=!s} {w=:>4}"
mixed = "plain " f"{a}" ' more ' F"{b}"
raw = rf"\d{count}\w" + fR"{x}\n"
quotes = f"{'single'} {d['key']}" + f'{"double"}'
calls = f"{', '.join(cols)} {fn(a, b=1)[0]:x}"
tuple_field = f"{a, b}"
comparisons = f"{a != b} {a >= b} {a <= b} {a == b} {a < b} {a > b}"
ternary = f"{'on' if enabled else 'off'}"
empty = f""
escapes = f"tab\t{x}\n"
triple = f"""select {cols}
from {table}
where {cond!r}"""
multiline_field = f"""{
    compute(
        a,
        b,
    )
}"""
