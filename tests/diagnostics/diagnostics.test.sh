#!/usr/bin/env bash
# Invalid definition repos: what `chrononc check` says about each.
#
#   tests/diagnostics/diagnostics.test.sh [FILTER...]
#
# Every case is a small repo, tests/diagnostics/cases/NAME/repo/ (teams.json
# plus definition files), listed in tests/diagnostics/manifest with the
# --input_path to check ("-" for the whole repo), the expected exit status and
# an optional "xfail" flag. For each case (or those whose name contains one of
# the FILTERs) the test copies the repo to a scratch folder and runs, there,
#
#   $RUNNER $BUILD/chrononc check --chronon_root . [--input_path PATH]
#
# so that paths print relative to the repo (group_bys/team/file.py:L:C: ...).
# It then requires:
#   * stderr to be byte for byte cases/NAME/expected.txt, summary line
#     ("chrononc check: N errors") included, so the error count is checked too;
#   * the exit status from the manifest;
#   * nothing on stdout, and no file created or changed in the repo (check
#     writes nothing).
# Every mismatch is printed with a unified diff.
#
# xfail marks a known gap: expected.txt holds the diagnostic a Chronon user
# should get, which chrononc does not give yet (the manifest's comment says
# why). A mismatch is then reported as "xfail" and does not fail the test; a
# match is "XPASS" and does fail it, so that the flag gets removed. A crash
# (exit status other than 0/1, or a sanitizer/valgrind report) fails the test
# even for an xfail case.
#
# The oracle. A case with cases/NAME/oracle.txt is also compiled by
# chronon-ai's own compile.py (python -m ai.chronon.repo.compile, i.e.
# compile.py --chronon_root ROOT --input_path PATH -y --force-overwrite, on
# another copy, cwd = PYTHONPATH = ROOT, stdin /dev/null; for "-" the passes
# group_bys, joins, staging_queries in that order), to prove that Chronon
# rejects the definition too, and with which words. oracle.txt lines:
#   both: TEXT    compile.py prints TEXT (a substring of one of its output
#                 lines, ANSI colours removed, ROOT replaced by <root>), and
#                 expected.txt contains TEXT: our diagnostic carries the same
#                 message text as Chronon's
#   oracle: TEXT  compile.py prints TEXT (our wording differs on purpose, or
#                 the text is a traceback detail)
#   file: PATH: TEXT   compile.py wrote PATH (relative to ROOT) containing TEXT
# An oracle mismatch always fails, xfail or not: it is a fact about Chronon,
# not about chrononc. DIAG_ORACLE=0 skips the oracle, DIAG_ORACLE=1 forces it;
# by default it runs unless RUNNER is set (the valgrind pass: compile.py's
# answers do not depend on how chrononc is built, the plain pass checks them).
#
# UPDATE=1 rewrites expected.txt of the selected non-xfail cases from the
# current output. Read every changed file before keeping it: the location must
# point at the offending token and the message must make sense to a user.
#
# Run by tests/run.sh from the repo root with BUILD, RUNNER, PYTHON set.
# Prints one line per case and "N passed, N failed, N xfail"; exit 1 on any
# failure.
set -uo pipefail
BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$BUILD/chrononc" ] || { echo "missing $BUILD/chrononc (run make first)"; exit 1; }
bin=$(cd "$BUILD" && pwd)/chrononc
if [ -z "${DIAG_ORACLE:-}" ]; then
    if [ -n "$RUNNER" ]; then DIAG_ORACLE=0; else DIAG_ORACLE=1; fi
fi
mkdir -p "$BUILD"
work=$(mktemp -d "$(cd "$BUILD" && pwd)/diagnostics.XXXXXX")
trap 'rm -rf "$work"' EXIT
RUNNER=$RUNNER DIAG_ORACLE=$DIAG_ORACLE "$PYTHON" - "$here" "$bin" "$work" "$@" <<'PY'
import concurrent.futures, difflib, os, re, shlex, shutil, subprocess, sys

here, binary, work, filters = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runner = shlex.split(os.environ.get("RUNNER", ""))
python = os.environ.get("PYTHON", "python3")
use_oracle = os.environ.get("DIAG_ORACLE", "1") == "1"
update = os.environ.get("UPDATE", "") == "1"
cases_dir = os.path.join(here, "cases")
# no terminal, and none of the settings that change text output: a long line
# is shown 200 columns wide (DIAG_DEFAULT_WIDTH), without colors
plain_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "TERM")}
ansi = re.compile(r"\x1b\[[0-9;]*m")
crash = re.compile(r"runtime error|Sanitizer|^==\d+==", re.M)

# ---- manifest ---------------------------------------------------------------
manifest, problems = [], []
with open(os.path.join(here, "manifest"), encoding="utf-8") as f:
    for lineno, line in enumerate(f, 1):
        body = line.split("#", 1)[0].split()
        if not body:
            continue
        if len(body) not in (3, 4) or not body[2].isdigit() or (len(body) == 4 and body[3] != "xfail"):
            problems.append(f"manifest:{lineno}: expected NAME INPUT_PATH EXIT [xfail]")
            continue
        manifest.append((body[0], body[1], int(body[2]), len(body) == 4))
names = [m[0] for m in manifest]
dirs = sorted(d for d in os.listdir(cases_dir) if os.path.isdir(os.path.join(cases_dir, d)))
problems += [f"manifest: {n} listed twice" for n in sorted({n for n in names if names.count(n) > 1})]
problems += [f"manifest: {n} has no folder cases/{n}/repo" for n in names
             if not os.path.isdir(os.path.join(cases_dir, n, "repo"))]
problems += [f"cases/{d}: not in the manifest" for d in dirs if d not in names]
if filters:
    manifest = [m for m in manifest if any(f in m[0] for f in filters)]


def tree(root):
    """path -> bytes of every file under root"""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, root)] = fh.read()
    return out


def diff(want, got, a, b):
    lines = difflib.unified_diff(want.splitlines(True), got.splitlines(True), a, b)
    return "".join(l if l.endswith("\n") else l + "\\ (no newline)\n" for l in lines)


def run_chrononc(name, input_path, want_rc, xfail):
    """-> (status, [detail lines], actual stderr)"""
    src = os.path.join(cases_dir, name, "repo")
    root = os.path.join(work, name, "chrononc")
    shutil.copytree(src, root)
    before = tree(root)
    cmd = runner + [binary, "check", "--chronon_root", "."]
    if input_path != "-":
        cmd += ["--input_path", input_path]
    try:
        p = subprocess.run(cmd, cwd=root, stdin=subprocess.DEVNULL, capture_output=True, timeout=600, env=plain_env)
    except subprocess.TimeoutExpired:
        return "FAIL", ["timed out after 600 s"], ""
    err = p.stderr.decode("utf-8", "replace")
    out = p.stdout.decode("utf-8", "replace")
    notes, broken = [], False
    if p.returncode not in (0, 1) or crash.search(err):
        broken = True
        notes.append(f"crashed or leaked: exit {p.returncode}")
    if p.returncode != want_rc:
        notes.append(f"exit {p.returncode}, expected {want_rc}")
    if out:
        notes.append("wrote to stdout:\n" + "".join("    | " + l + "\n" for l in out.splitlines()))
    after = tree(root)
    touched = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if touched:
        notes.append("created or changed files: " + ", ".join(touched))
    exp_path = os.path.join(cases_dir, name, "expected.txt")
    if update and not xfail and not broken:
        with open(exp_path, "w", encoding="utf-8") as fh:
            fh.write(err)
    if not os.path.exists(exp_path):
        notes.append(f"no cases/{name}/expected.txt (UPDATE=1 writes it; then review it)")
    else:
        with open(exp_path, encoding="utf-8") as fh:
            want = fh.read()
        if want != err:
            notes.append("stderr differs from expected.txt:\n"
                         + diff(want, err, f"cases/{name}/expected.txt", "chrononc check stderr"))
    if broken:
        return "FAIL", notes, err
    if xfail:
        return ("xfail", notes, err) if notes else ("XPASS", ["matches expected.txt: drop xfail from the manifest"], err)
    return ("FAIL", notes, err) if notes else ("ok", [], err)


def run_oracle(name, input_path):
    """-> [problem lines]"""
    spec_path = os.path.join(cases_dir, name, "oracle.txt")
    specs = []
    with open(spec_path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            kind, sep, text = line.partition(": ")
            if not sep or kind not in ("both", "oracle", "file") or not text:
                return [f"oracle.txt:{lineno}: expected 'both: TEXT', 'oracle: TEXT' or 'file: PATH: TEXT'"]
            specs.append((kind, text))
    root = os.path.join(work, name, "oracle")
    shutil.copytree(os.path.join(cases_dir, name, "repo"), root)
    env = dict(os.environ, PYTHONPATH=root, PYTHONDONTWRITEBYTECODE="1")
    env.pop("CHRONON_ROOT", None)
    passes = ["group_bys", "joins", "staging_queries"] if input_path == "-" else [input_path]
    log = []
    for rel in passes:
        if not os.path.exists(os.path.join(root, rel)):
            continue
        try:
            p = subprocess.run([python, "-m", "ai.chronon.repo.compile", "--chronon_root", root,
                                "--input_path", rel, "-y", "--force-overwrite"],
                               cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=300)
        except subprocess.TimeoutExpired:
            return [f"compile.py --input_path {rel}: timed out"]
        text = p.stdout.decode("utf-8", "replace")
        log += [ansi.sub("", l).replace(root, "<root>").strip() for l in text.splitlines()]
        log.append(f"[compile.py --input_path {rel}: exit {p.returncode}]")
    with open(os.path.join(cases_dir, name, "expected.txt"), encoding="utf-8") as fh:
        expected = fh.read()
    bad = []
    for kind, text in specs:
        if kind == "file":
            path, _, want = text.partition(": ")
            full = os.path.join(root, path)
            if not os.path.isfile(full):
                bad.append(f"compile.py did not write {path}")
            elif want not in open(full, encoding="utf-8").read():
                bad.append(f"compile.py's {path} lacks: {want}")
            continue
        if not any(text in l for l in log):
            bad.append(f"compile.py does not print: {text}")
        if kind == "both" and text not in expected:
            bad.append(f"expected.txt does not carry compile.py's text: {text}")
    if any(b.startswith("compile.py does not print") for b in bad):
        bad.append("compile.py's output (last 25 lines):\n" + "".join("    | " + l + "\n" for l in log[-25:]))
    return bad


def one(case):
    name, input_path, want_rc, xfail = case
    status, notes, _ = run_chrononc(name, input_path, want_rc, xfail)
    oracle_notes = []
    if use_oracle and os.path.exists(os.path.join(cases_dir, name, "oracle.txt")) \
            and os.path.exists(os.path.join(cases_dir, name, "expected.txt")):
        oracle_notes = run_oracle(name, input_path)
    if oracle_notes:
        status = "FAIL"
        notes = notes + ["oracle (compile.py): " + n for n in oracle_notes]
    return name, status, notes


if use_oracle:
    probe = subprocess.run([python, "-c", "import ai.chronon.repo.compile"], capture_output=True, text=True)
    if probe.returncode != 0:
        problems.append(f"oracle: {python} cannot import ai.chronon.repo.compile (chronon-ai 0.0.115); "
                        "DIAG_ORACLE=0 skips the oracle\n" + probe.stderr.strip()[-400:])
        use_oracle = False

counts = {"ok": 0, "FAIL": 0, "xfail": 0, "XPASS": 0}
oracle_cases = sum(1 for m in manifest if os.path.exists(os.path.join(cases_dir, m[0], "oracle.txt")))
with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
    for name, status, notes in pool.map(one, manifest):
        counts[status] += 1
        print(f"{status:<5} {name}")
        if status != "ok":
            for n in notes:
                print("".join("      " + l + "\n" for l in n.rstrip("\n").splitlines()), end="")
for p in problems:
    print("FAIL  " + p)
failed = counts["FAIL"] + counts["XPASS"] + len(problems)
print(f"\ncases: {len(manifest)}; compile.py oracle: "
      + (f"{oracle_cases} cases" if use_oracle else "skipped (DIAG_ORACLE=0)"))
print(f"{counts['ok']} passed, {failed} failed, {counts['xfail']} xfail (known gaps, see the manifest)")
sys.exit(1 if failed else 0)
PY
