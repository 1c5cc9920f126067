"""Checks docs/man against the programs' --help (run by man.test.sh).

usage: man_options.py MANDIR CHRONONC EXE...

For each command listed by `chrononc --help`: docs/man/chrononc-COMMAND.1
exists (a `.so` line is followed), chrononc.1 names the command, every
option its --help mentions appears in the page, and every option the page
documents (the tag line of a .TP in OPTIONS; not for a `.so` page) is one
its --help mentions.
The executables' options (EXE... --help) are checked the same way against
chrononc-build.1's EXECUTABLES section. Prints one line per page checked;
exits 1 listing what is missing.
"""
import os
import re
import subprocess
import sys

# An option starts a word: after a blank, a bracket or parenthesis, '|' or ','
# (not "':'-separated" or "YYYY-MM-DD").
OPTION = re.compile(r"(?:^|(?<=[\s\[\](|,]))(--?[A-Za-z][A-Za-z0-9_-]*)", re.M)


def help_text(argv):
    run = subprocess.run(argv, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {run.returncode}: {run.stderr}")
    return run.stdout


def options(text):
    return set(OPTION.findall(text))


def read_page(mandir, name):
    path = os.path.join(mandir, name)
    text = open(path, encoding="utf-8").read()
    so = re.match(r"\.so\s+man1/(\S+)\s*$", text)
    return read_page(mandir, so.group(1)) if so else text


def plain(roff):
    """The page's words with roff's font changes and escapes taken out."""
    text = re.sub(r"\\f[BIRP]|\\&", "", roff)
    return text.replace("\\-", "-").replace('"', " ")


def sections(roff):
    """{section name: its lines}"""
    out, name = {}, ""
    for line in roff.splitlines():
        m = re.match(r"\.SH\s+\"?([^\"]+)\"?", line)
        if m:
            name = m.group(1).strip()
            continue
        out.setdefault(name, []).append(line)
    return out


def documented(lines):
    """Options in the tag line of each .TP (the option list entries)."""
    found = set()
    for prev, line in zip(lines, lines[1:]):
        if prev.strip() == ".TP":
            found |= options(plain(line))
    return found


def mentioned(opt, text):
    return re.search(r"(?<![\w-])" + re.escape(opt) + r"(?![\w-])", text) is not None


def main():
    mandir, chrononc, exes = sys.argv[1], sys.argv[2], sys.argv[3:]
    problems = []
    top = help_text([chrononc, "--help"])
    commands = re.findall(r"^  (\w+)\s", top.split("commands:", 1)[1], re.M)
    if not commands:
        sys.exit("no commands in chrononc --help")
    overview = plain(read_page(mandir, "chrononc.1"))
    for opt in sorted(options(top)):
        if not mentioned(opt, overview):
            problems.append(f"chrononc.1: chrononc's option {opt} is not documented")
    for cmd in commands:
        if not re.search(r"^\.B " + cmd + r"$", read_page(mandir, "chrononc.1"), re.M):
            problems.append(f"chrononc.1: command {cmd} is not in COMMANDS")
        page = f"chrononc-{cmd}.1"
        if not os.path.exists(os.path.join(mandir, page)):
            problems.append(f"{page}: missing")
            continue
        roff = read_page(mandir, page)
        text = plain(roff)
        helped = options(help_text([chrononc, cmd, "--help"]))
        missing = sorted(o for o in helped if not mentioned(o, text))
        # A page that is a `.so` of another (check's of compile's) shares its
        # option list, checked against its own command.
        alias = open(os.path.join(mandir, page), encoding="utf-8").read().startswith(".so ")
        stale = [] if alias else sorted(documented(sections(roff).get("OPTIONS", [])) - helped)
        problems += [f"{page}: `chrononc {cmd} --help` has {o}, the page does not" for o in missing]
        problems += [f"{page}: documents {o}, which `chrononc {cmd} --help` does not have" for o in stale]
        print(f"{page}: {len(helped)} options of chrononc {cmd} --help documented")
    if exes:
        roff = read_page(mandir, "chrononc-build.1")
        exe_section = sections(roff).get("EXECUTABLES", [])
        text = plain("\n".join(exe_section))
        helped = set()
        for exe in exes:
            helped |= options(help_text([exe, "--help"]))
        missing = sorted(o for o in helped if not mentioned(o, text))
        stale = sorted(documented(exe_section) - helped)
        problems += [f"chrononc-build.1 EXECUTABLES: the executables' --help has {o}, the page does not"
                     for o in missing]
        problems += [f"chrononc-build.1 EXECUTABLES: documents {o}, which no executable's --help has"
                     for o in stale]
        print(f"chrononc-build.1: {len(helped)} options of the executables' --help documented")
    for p in problems:
        print("FAIL " + p)
    sys.exit(1 if problems else 0)


main()
