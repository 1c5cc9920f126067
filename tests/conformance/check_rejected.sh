#!/usr/bin/env bash
# Check that compile.py still rejects every file in tests/conformance/rejected/
# the way the file's header says.
#
#   tests/conformance/check_rejected.sh [FILE_FILTER]
#
# For each .py file under rejected/{group_bys,joins,staging_queries}/ (or only
# those whose path contains FILE_FILTER), copies rejected/ to a fresh temporary
# folder, runs
#
#   compile.py --chronon_root <root> --input_path <file> -y --force-overwrite
#
# there (cwd = root, PYTHONPATH = root, stdin /dev/null) and compares with the
# file's header:
#   # expect-exit: N          compile.py's exit status
#   # expect-written: none    or the files under production/ it leaves, a
#                             trailing " (empty)" meaning a 0-byte file
#   # error: TEXT             one line each: they must appear as whole lines
#                             of the output, in this order (other lines, such
#                             as a traceback, may come between), once ANSI
#                             colour codes are removed, each line is stripped
#                             of surrounding blanks and the root path is
#                             replaced by <root>
# Prints one line per file and "N passed, N failed"; exits 1 on any failure.
# The main repo (repo/) is checked by oracle.sh, not here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "${PYTHON:-python3}" - "$here/rejected" "${1:-}" <<'PY'
import os, re, shutil, subprocess, sys, tempfile

src, flt = sys.argv[1], sys.argv[2]
python = os.environ.get("PYTHON", "python3")
ansi = re.compile(r"\x1b\[[0-9;]*m")
files = []
for kind in ("group_bys", "joins", "staging_queries"):
    for dirpath, dirnames, filenames in os.walk(os.path.join(src, kind)):
        dirnames.sort()
        files += [os.path.relpath(os.path.join(dirpath, f), src) for f in sorted(filenames) if f.endswith(".py")]
files = [f for f in files if flt in f]

passed = failed = 0
for rel in files:
    text = open(os.path.join(src, rel), encoding="utf-8").read()
    exp_exit = exp_written = None
    exp_errors = []
    for line in text.splitlines():
        if line.startswith("# expect-exit: "):
            exp_exit = int(line.split(": ", 1)[1])
        elif line.startswith("# expect-written: "):
            exp_written = line.split(": ", 1)[1].strip()
        elif line.startswith("# error: "):
            exp_errors.append(line[len("# error: "):].strip())
    problems = []
    if exp_exit is None or exp_written is None or not exp_errors:
        problems.append("header lacks expect-exit, expect-written or error lines")
    work = tempfile.mkdtemp(prefix="chronon-rejected.")
    try:
        root = os.path.join(work, "repo")
        shutil.copytree(src, root, ignore=shutil.ignore_patterns("__pycache__", "production"))
        env = dict(os.environ, PYTHONPATH=root, PYTHONDONTWRITEBYTECODE="1")
        p = subprocess.run(
            [python, "-m", "ai.chronon.repo.compile", "--chronon_root", root,
             "--input_path", rel, "-y", "--force-overwrite"],
            cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        out = [ansi.sub("", l).replace(root, "<root>").strip() for l in p.stdout.splitlines()]
        if exp_exit is not None and p.returncode != exp_exit:
            problems.append(f"exit {p.returncode}, expected {exp_exit}")
        written = []
        prod = os.path.join(root, "production")
        for dirpath, _, filenames in os.walk(prod):
            for f in filenames:
                path = os.path.join(dirpath, f)
                rp = os.path.relpath(path, prod)
                written.append(rp + (" (empty)" if os.path.getsize(path) == 0 else ""))
        got_written = ", ".join(sorted(written)) or "none"
        if exp_written is not None and got_written != exp_written:
            problems.append(f"wrote {got_written}, expected {exp_written}")
        pos = 0
        for want in exp_errors:
            try:
                pos = out.index(want, pos) + 1
            except ValueError:
                problems.append(f"error line not found (in order): {want}\n"
                                + "\n".join("    | " + l for l in out[-25:]))
                break
    finally:
        shutil.rmtree(work)
    if problems:
        failed += 1
        print(f"FAIL {rel}")
        for pr in problems:
            print("    " + pr)
    else:
        passed += 1
        print(f"ok   {rel}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
