"""Evaluate definition files with chronon-ai, as `chrononc eval` does with ours.

usage: py_eval.py ROOT OUTDIR FILE...

Each FILE (relative to ROOT) is imported as compile.py imports it: module name
from its path relative to ROOT, ROOT on sys.path, utils.chronon_root_path set.
For each file, OUTDIR/<name>.out receives, for every module-level Thrift
object in definition order, "# <variable> (<Type>)" and its
thrift_simple_json; OUTDIR/<name>.err receives "<ExcType>: <message>" when
the import or a serialization raises, and nothing otherwise.
"""
import importlib
import os
import sys
import traceback


def main():
    root, outdir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    root = os.path.abspath(root)
    sys.path.insert(0, root)
    import ai.chronon.utils as utils
    from ai.chronon.repo.serializer import thrift_simple_json

    utils.chronon_root_path = root
    for rel in files:
        base = os.path.splitext(os.path.basename(rel))[0]
        mod_name = rel[:-3].replace("/", ".")
        out, err = [], ""
        try:
            mod = importlib.import_module(mod_name)
            for name, obj in list(mod.__dict__.items()):
                if isinstance(obj, type) or not hasattr(type(obj), "thrift_spec"):
                    continue
                out.append("# %s (%s)\n%s\n" % (name, type(obj).__name__, thrift_simple_json(obj)))
        except Exception as e:  # the message our diagnostic must contain
            err = "%s: %s" % (type(e).__name__, e)
            traceback.print_exc()
        with open(os.path.join(outdir, base + ".out"), "w") as f:
            f.write("".join(out))
        with open(os.path.join(outdir, base + ".err"), "w") as f:
            f.write(err)


if __name__ == "__main__":
    main()
