"""Compare thrift/api.thrift with the API that chronon-ai publishes.

The IDL is compiled with `thrift --gen py` into a temporary folder; every struct's
thrift_spec (ids, names, types, nested types, defaults) and every enum's
name/value table must equal chronon-ai's ai.chronon.api.ttypes. Any drift fails.

usage: python3 drift_test.py THRIFT_IDL
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import ai.chronon.api.ttypes as published


def load_generated(idl):
    out = tempfile.mkdtemp(prefix="drift-")
    subprocess.run(["thrift", "--gen", "py", "-out", out, idl], check=True)
    path = os.path.join(out, "ai", "chronon", "api", "ttypes.py")
    spec = importlib.util.spec_from_file_location("ours_ttypes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def normalize(spec_entry):
    """thrift_spec entries name struct classes as [Class, Class.thrift_spec]
    (fix_spec fills in the spec, which may be recursive); compare by name."""
    if isinstance(spec_entry, type):
        return spec_entry.__name__
    if isinstance(spec_entry, list) and spec_entry and isinstance(spec_entry[0], type):
        return spec_entry[0].__name__
    if isinstance(spec_entry, (tuple, list)) and not isinstance(spec_entry, str):
        return type(spec_entry)(normalize(x) for x in spec_entry)
    return spec_entry


def kinds(mod):
    structs, enums = {}, {}
    for name in dir(mod):
        obj = getattr(mod, name)
        if not isinstance(obj, type) or obj.__module__ != mod.__name__:
            continue
        if hasattr(obj, "thrift_spec"):
            structs[name] = obj
        elif hasattr(obj, "_VALUES_TO_NAMES"):
            enums[name] = obj
    return structs, enums


def main():
    ours = load_generated(sys.argv[1])
    p_structs, p_enums = kinds(published)
    o_structs, o_enums = kinds(ours)
    problems = []
    for missing in sorted(set(p_structs) - set(o_structs)):
        problems.append(f"struct {missing}: in chronon-ai, missing from the IDL")
    for extra in sorted(set(o_structs) - set(p_structs)):
        problems.append(f"struct {extra}: in the IDL, not in chronon-ai")
    for missing in sorted(set(p_enums) - set(o_enums)):
        problems.append(f"enum {missing}: in chronon-ai, missing from the IDL")
    for extra in sorted(set(o_enums) - set(p_enums)):
        problems.append(f"enum {extra}: in the IDL, not in chronon-ai")
    checked_fields = 0
    for name in sorted(set(p_structs) & set(o_structs)):
        p_spec = normalize(p_structs[name].thrift_spec)
        o_spec = normalize(o_structs[name].thrift_spec)
        for fid in range(max(len(p_spec), len(o_spec))):
            p = p_spec[fid] if fid < len(p_spec) else None
            o = o_spec[fid] if fid < len(o_spec) else None
            if p != o:
                problems.append(f"{name} field {fid}: chronon-ai {p!r}, IDL {o!r}")
            elif p is not None:
                checked_fields += 1
        # constructor defaults (what an unset-by-user field holds)
        if repr(p_structs[name]().__dict__) != repr(o_structs[name]().__dict__):
            problems.append(f"{name} defaults: chronon-ai {p_structs[name]().__dict__!r}, "
                            f"IDL {o_structs[name]().__dict__!r}")
    for name in sorted(set(p_enums) & set(o_enums)):
        if p_enums[name]._VALUES_TO_NAMES != o_enums[name]._VALUES_TO_NAMES:
            problems.append(f"enum {name}: chronon-ai {p_enums[name]._VALUES_TO_NAMES}, "
                            f"IDL {o_enums[name]._VALUES_TO_NAMES}")
    for p in problems:
        print("drift:", p)
    print(f"drift: {len(p_structs)} structs, {checked_fields} fields, {len(p_enums)} enums compared")
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
