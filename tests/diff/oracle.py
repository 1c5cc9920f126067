"""The chronon-ai half of the differential test.

usage: python3 oracle.py DIR TYPE N

For i in 0..N-1, reads DIR/<i>.spec.json (the typed dump that `difftest gen`
writes with jansson; format in tests/diff/difftest.c), builds the
ai.chronon.api.ttypes object it describes by walking the classes' thrift_spec
(no per-struct code), serializes it with ai.chronon.repo.serializer's
thrift_simple_json (what Chronon's compile.py writes), stores the text as
DIR/<i>.py.json, and compares its bytes with DIR/<i>.c.json (our C writer).
Prints every mismatch (index, first differing byte, context on both sides) and
"N passed, N failed"; exits 1 on any failure.
"""
import json
import os
import sys

from thrift.Thrift import TType

import ai.chronon.api.ttypes as ttypes
from ai.chronon.repo.serializer import thrift_simple_json


class SpecError(Exception):
    pass


def build(value, ttype, info, path):
    """The Python value of one spec value of Thrift type `ttype` (thrift_spec's
    type-info `info`)."""
    if ttype == TType.STRUCT:
        cls, spec = info
        return build_struct(value, cls, spec, path)
    if ttype == TType.BOOL:
        if not isinstance(value, bool):
            raise SpecError(f"{path}: expected a bool, got {value!r}")
        return value
    if ttype in (TType.BYTE, TType.I16, TType.I32):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SpecError(f"{path}: expected an integer, got {value!r}")
        return value
    if ttype == TType.I64:
        return int(value)
    if ttype == TType.DOUBLE:
        return float.fromhex(value)
    if ttype == TType.STRING:
        raw = bytes.fromhex(value)
        return raw if info == "BINARY" else raw.decode("utf-8")
    if ttype in (TType.LIST, TType.SET):
        # A set is handed over as a list too: chronon-ai writes a container in
        # iteration order, and a Python set's order is not the spec's.
        # (Chronon's IDL has no sets.)
        etype, einfo = info[0], info[1]
        return [build(v, etype, einfo, f"{path}[{i}]") for i, v in enumerate(value)]
    if ttype == TType.MAP:
        ktype, kinfo, vtype, vinfo = info[0], info[1], info[2], info[3]
        out = {}
        for i, (k, v) in enumerate(value):
            key = build(k, ktype, kinfo, f"{path}{{key {i}}}")
            if key in out:
                raise SpecError(f"{path}: duplicate map key {key!r}")
            out[key] = build(v, vtype, vinfo, f"{path}{{value {i}}}")
        return out
    raise SpecError(f"{path}: unsupported Thrift type {ttype}")


def build_struct(fields, cls, spec, path):
    obj = cls()
    known = set()
    for entry in spec:
        if entry is None:
            continue
        fid, ftype, name, info, _default = entry
        known.add(str(fid))
        key = str(fid)
        if key in fields:
            setattr(obj, name, build(fields[key], ftype, info, f"{path}.{name}"))
        else:
            # Unset, also where the constructor put a default (Query.setups=[]).
            setattr(obj, name, None)
    unknown = sorted(set(fields) - known, key=int)
    if unknown:
        raise SpecError(f"{path}: field ids {unknown} are not in {cls.__name__}.thrift_spec")
    return obj


def context(data, off):
    lo, hi = max(0, off - 40), min(len(data), off + 40)
    text = data[lo:off].decode("latin-1") + ">>>" + data[off:hi].decode("latin-1")
    if off >= len(data):
        text += "(end)"
    return text.encode("unicode_escape").decode("ascii")


def first_difference(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n if len(a) != len(b) else None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    folder, type_name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cls = getattr(ttypes, type_name, None)
    if cls is None or not hasattr(cls, "thrift_spec"):
        sys.exit(f"oracle: no struct {type_name} in ai.chronon.api.ttypes")
    passed = failed = 0
    for i in range(count):
        base = os.path.join(folder, str(i))
        try:
            with open(base + ".spec.json", "rb") as f:
                spec = json.load(f)
            obj = build_struct(spec, cls, cls.thrift_spec, "$")
            py = thrift_simple_json(obj).encode("utf-8")
        except Exception as e:  # noqa: BLE001 - any failure here is a test failure
            print(f"#{i}: chronon-ai could not build/serialize the object: "
                  f"{type(e).__name__}: {e}", file=sys.stderr)
            failed += 1
            continue
        with open(base + ".py.json", "wb") as f:
            f.write(py)
        try:
            with open(base + ".c.json", "rb") as f:
                c = f.read()
        except OSError as e:
            print(f"#{i}: {e}", file=sys.stderr)
            failed += 1
            continue
        off = first_difference(c, py)
        if off is None:
            passed += 1
            continue
        failed += 1
        print(f"#{i}: C writer vs chronon-ai: first difference at byte {off} "
              f"(lengths {len(c)} and {len(py)})", file=sys.stderr)
        print(f"    ours       {context(c, off)}", file=sys.stderr)
        print(f"    chronon-ai {context(py, off)}", file=sys.stderr)
    print(f"oracle {type_name}: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
