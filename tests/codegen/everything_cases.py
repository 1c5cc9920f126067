"""Write the Python side of the differential test of everything.thrift.

usage: PYTHONPATH=<thrift --gen py output> python3 everything_cases.py OUTDIR

OUTDIR/manifest.txt gets one check per line, for everything_roundtrip.c:
  roundtrip STRUCT FILE      the C code must read FILE and write it back byte for byte
  default STRUCT FILE        STRUCT's C _init value must serialize to FILE's bytes
  default-fails STRUCT FIELD STRUCT() leaves required FIELD unset: C must refuse to write
FILE holds exactly what chronon-ai's thrift_simple_json writes for a Python
object: json.dumps(json.loads(TSimpleJSONProtocol bytes), indent=2).

Set fields are given as lists so the order of their elements is fixed (the
Python writer iterates whatever it is handed); a Python set would iterate in
hash order.
"""
import json
import os
import re
import sys

from thrift.protocol.TJSONProtocol import TSimpleJSONProtocolFactory
from thrift.protocol.TProtocol import TProtocolException
from thrift.TSerialization import serialize

from everything import ttypes as T


def simple_json(obj):
    raw = serialize(obj, protocol_factory=TSimpleJSONProtocolFactory())
    return json.dumps(json.loads(raw), indent=2)


def leaf(name=None, weight=None):
    return T.Leaf(name=name, weight=weight)


DOUBLES = [0.0, -0.0, 1.0, -2.5, 100.0, 0.1, 0.30000000000000004, 1e16, 1e15, 123456789.123456789,
           1e-4, 1e-5, 1.5e-7, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e22,
           12345678901234567890.0, 3.141592653589793, -1e-300]

# No control characters but \b \f \n \r \t: Python's writer leaves the others
# raw, and its own json.loads then refuses them.
STRINGS = ["", "plain", "quote \" backslash \\ slash /", "tab\t newline\n return\r bs\b ff\f",
           "h\u00e9llo \u2603 snowman", "emoji \U0001f389 and \U0010ffff", "del \x7f",
           "{\"looks\": [\"like json\"]}", "??= trigraph-ish ??/"]


def cases():
    """(struct name, object) pairs to round-trip."""
    out = []
    add = lambda obj: out.append((type(obj).__name__, obj))

    # ---- scalars
    add(T.Scalars())
    add(T.Scalars(flag=True, b=-128, tiny=127, small=-32768, medium=2147483647,
                  large=-9223372036854775808, real=0.1, text="h\u00e9llo \"q\" \\ \n\t \u2603 \U0001f389",
                  blob=bytes(range(256)), color=T.Color.BLUE, sign=T.Sign.LOWEST, stamp=1700000000123,
                  paint=T.Color.GREEN, leaf=leaf("", 0)))
    add(T.Scalars(flag=False, b=0, tiny=-1, small=32767, medium=-2147483648, large=9223372036854775807,
                  real=-0.0, text="", blob=b"", color=T.Color.RED, sign=T.Sign.HIGHEST, stamp=0,
                  leaf=leaf()))
    for x in DOUBLES:
        add(T.Scalars(real=x))
    for s in STRINGS:
        add(T.Scalars(text=s, leaf=leaf(name=s)))
    for n in range(1, 7):
        add(T.Scalars(blob=bytes([255 - i for i in range(n)])))
    for v in (-2147483648, -1, 0, 1, 2147483647):
        add(T.Scalars(sign=v))

    # ---- requiredness
    add(T.Requiredness(id="r1", count=0, tags=[], must=leaf()))
    add(T.Requiredness(id="", count=-5, note="n", plain=42, tags=["a", "b"], leaf=leaf("l", 1),
                       must=leaf("m"), maybe=T.Color.GREEN))

    # ---- defaults: the default object itself, and every field changed
    add(T.Defaults())
    add(T.Defaults(on=False, off=True, b=1, tiny=-1, small=2, medium=3, large=-4, lowest=5, real=0.25,
                   whole=-3.0, tiny_d=2e-9, huge=1e300, greeting="hi", empty="x", blob=b"\x00\xff",
                   color=T.Color.GREEN, sign=T.Sign.PLUS, names=[], primes=[3, 5, 7], counts={},
                   colors=[], nested={"z": [], "a": [9223372036854775807]}, leaves=[leaf("a", 1), leaf()],
                   aliased=[], must=-5, byId={-1: "minus", 0: ""}, byFlag={False: "no", True: "yes"},
                   signs={T.Color.BLUE: T.Sign.LOWEST, T.Color.RED: T.Sign.HIGHEST},
                   scaled={-9223372036854775808: 1e-7, 0: 100.0}, deep=[], paint=T.Color.BLUE,
                   one=[], blobs=[b"\x01\x02\x03", b"\xfb\xff"], unset="now set"))

    # ---- map keys of every kind
    add(T.Keys(byI32={2147483647: "max", -2147483648: "min", 0: "zero"},
               byI64={9223372036854775807: "max", -9223372036854775808: "min", 10000000000: "big"},
               byString={"": "empty", "b": "", "a": "ordered by insertion", "\u00e9\U0001f389": "\n",
                         "with \"quotes\"": "\\"},
               byBool={True: "t", False: "f"},
               byColor={T.Color.GREEN: "g", T.Color.RED: "r", T.Color.BLUE: "b"},
               both={T.Color.BLUE: T.Sign.MINUS},
               leaves={-32768: leaf("min", -1), 32767: leaf()},
               bytes={-128: True, 127: False, 0: True}))
    add(T.Keys(byI32={}, byI64={}, byString={}, byBool={}, byColor={}, both={}, leaves={}, bytes={}))

    # ---- containers three deep
    add(T.Nested(lms=[{"a": [1, 2], "b": []}, {}, {"c": [-2147483648]}],
                 mlm={"x": [{1: "one", -1: "minus one"}, {}], "y": []},
                 sl=[["a", "b"], [], ["c"]],
                 lll=[[[leaf("deep", 3), leaf()], []], [], [[leaf(weight=-1)]]],
                 mmm={"a": {"b": {"c": 0.5, "d": -1e-10}, "e": {}}, "f": {}},
                 index={"k": ["v1", "v2"], "empty": []},
                 colorSets=[[T.Color.RED, T.Color.BLUE], [], [T.Color.GREEN]],
                 blobs=[b"", b"a", b"ab", b"abc"],
                 enums={T.Color.RED: [{T.Color.GREEN: T.Sign.ZERO}, {}], T.Color.BLUE: []},
                 scalars=[T.Scalars(real=1.5, text="in a list"), T.Scalars()]))
    add(T.Nested(lms=[], mlm={}, sl=[], lll=[], mmm={}, index={}, colorSets=[], blobs=[], enums={},
                 scalars=[]))

    # ---- unions, one member at a time
    add(T.Choice())
    add(T.Choice(number=0))
    add(T.Choice(number=-7))
    add(T.Choice(word=""))
    add(T.Choice(word="w\u00f6rd"))
    add(T.Choice(leaf=leaf("in a union", 2)))
    add(T.Choice(words=["a", "b"]))
    add(T.Choice(words=[]))
    add(T.Choice(color=T.Color.BLUE))
    add(T.Choice(again=T.Choice(again=T.Choice(word="nested"))))

    # ---- recursion
    tree = T.Tree(
        label="root",
        children=[T.Tree(label="a", children=[T.Tree(label="a1"), T.Tree()]), T.Tree(label="b")],
        left=T.Tree(label="left", left=T.Tree(label="left.left")),
        byName={"x": T.Tree(label="x", byName={"y": T.Tree(label="y")}), "e": T.Tree()},
        forest=T.Forest(trees=[T.Tree(label="t1"), T.Tree(choice=T.Choice(number=1))],
                        biggest=T.Tree(label="big", forest=T.Forest(trees=[]))),
        choice=T.Choice(leaf=leaf("chosen")))
    add(tree)
    add(T.Tree())
    add(T.Forest(trees=[tree, tree], biggest=tree))

    # ---- field order, C keywords, empty struct, exception
    add(T.OutOfOrder(third="3", first=1, auto=True, second=2.0, signed=["s"], int="i"))
    add(T.OutOfOrder(auto=False))
    add(T.Empty())
    add(T.Failure(message="boom", code=500))
    add(T.Failure())
    add(T.Leaf(name="just a leaf", weight=-2147483648))
    return out


def struct_classes():
    """Every struct, union and exception of the IDL, in definition order."""
    found = []
    for name, obj in vars(T).items():
        if isinstance(obj, type) and hasattr(obj, "thrift_spec") and obj.__module__ == T.__name__:
            found.append(obj)
    return found


def first_unset_required(obj):
    """The first required field obj leaves unset, as the generated validate()
    names it ("Required field X is unset!"), or None."""
    try:
        obj.validate()
    except TProtocolException as e:
        m = re.match(r"Required field (\w+) is unset!", e.message or "")
        if not m:
            raise
        return m.group(1)
    return None


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    lines = []
    for i, (name, obj) in enumerate(cases()):
        path = os.path.join(outdir, "%03d_%s.json" % (i, name))
        with open(path, "w") as f:
            f.write(simple_json(obj))
        lines.append("roundtrip %s %s" % (name, path))
    covered = {name for name, _ in cases()}
    for cls in struct_classes():
        name = cls.__name__
        if name not in covered:
            sys.exit("everything_cases.py: no round-trip case for %s" % name)
        obj = cls()
        missing = first_unset_required(obj)
        if missing:
            lines.append("default-fails %s %s" % (name, missing))
        else:
            path = os.path.join(outdir, "default_%s.json" % name)
            with open(path, "w") as f:
                f.write(simple_json(obj))
            lines.append("default %s %s" % (name, path))
    with open(os.path.join(outdir, "manifest.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("%d checks written to %s" % (len(lines), outdir))


if __name__ == "__main__":
    main()
