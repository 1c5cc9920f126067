#!/usr/bin/env bash
# Every diagnostic the compiler can print is in docs/diagnostics.md.
#
#   tests/docs/diagnostics_documented.test.sh [--list]
#
# The test reads the C sources that report diagnostics and extracts the
# message format of every call that reports one:
#
#   codegen/dsl/*.c, parser.y, lexer.l   eval_error, deps_error, diag_error,
#                                        diag_note, diag_add (the format after
#                                        the level), lex_error, note_call_site
#                                        (a note's text); in parser.y also err
#                                        and fs_error (f-string errors); the
#                                        refusal texts of builtins.c's
#                                        b_refused table
#   codegen/chrononc/*.c                 the same, fprintf(stderr, ...) (the
#                                        command lines' own errors), and
#                                        tj_buf_printf(errors, ...) (the
#                                        validator's reasons, joined after
#                                        "Could not write ...: ")
#   runtime/tjson_read.c, tjson_write.c  tj_fail and fail: the JSON reader's and
#                                        writer's messages (chrononc json and
#                                        import; compile's "%s %s: %s: %s")
#   and in all of them snprintf(msg, ...) and snprintf(err, ...): a message
#   built in a buffer and reported later (parser.y's "expected ..." list and
#   f-string errors, the JSON writer's, chrononc build's reasons).
#
# A format is the concatenation of the adjacent string literals of the format
# argument (both branches of `cond ? "a" : "b"`; string macros #defined in the
# same file are expanded). It is normalized: C escapes decoded, terminal
# control sequences dropped, every printf conversion (%s, %d, %zu, %lld, %.*s,
# %c, %04X, ...) replaced by "…" ("%%" is "%"), runs of "…" collapsed to one,
# runs of blanks and newlines to one space, the ends trimmed. A buffer that is
# appended to later (snprintf into msg, tj_buf_printf into errors) is a
# prefix: a trailing blank becomes " …", and the leading "%s" of
# tj_buf_printf(errors, "%s...", sep) (the ", " between two reasons) is
# dropped. Formats that are nothing but placeholders and punctuation ("%s",
# "%s: %s") only pass on a message made elsewhere and are skipped.
#
# docs/diagnostics.md is read the same way: every inline code span (`...`, or
# ``...`` when the message holds a backtick), normalized alike. For the
# comparison, a "%d"-like sequence left in either side (a literal "%d" of a
# message, written "%%d" in C) is made "…" too, so that the doc may spell a
# placeholder "…" or "%s". Each format of the code must equal a code span of
# the doc; the missing ones are printed and the test fails. Catalogue entries
# (list items that start with a code span) that match no format of the code
# are listed as a warning: they may be stale.
#
# The extractor skips strings, chars and comments to find calls; a quote in a
# Flex or Bison pattern could make it skip real code, so each file's count of
# reporting calls is checked against a plain text search, and a mismatch fails
# the test with a message saying so.
#
# --list prints the extracted formats (file:line: format) and exits.
#
# Run by tests/run.sh from the repo root with BUILD, RUNNER, PYTHON set (only
# PYTHON is used: nothing is built or run).
set -uo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
exec "$PYTHON" - "$@" <<'PY'
import glob
import re
import sys

DOC = "docs/diagnostics.md"

# name -> index of the format argument (0-based)
REPORTERS = {
    "eval_error": 2,
    "deps_error": 2,
    "diag_error": 2,
    "diag_note": 2,
    "diag_add": 3,
    "lex_error": 3,
    "note_call_site": 3,
}
PER_FILE = {
    "codegen/dsl/parser.y": {"err": 2, "fs_error": 3},
    "runtime/tjson_read.c": {"tj_fail": 3},
    "runtime/tjson_write.c": {"tj_fail": 3, "fail": 2},
}
# buffers filled first and reported later: (function, first argument) -> index
BUFFERS = {
    ("snprintf", "msg"): 2,
    ("snprintf", "err"): 2,
    ("tj_buf_printf", "errors"): 1,
    ("tj_buf_printf", "&errors"): 1,
}

FILES = sorted(glob.glob("codegen/dsl/*.c")) + ["codegen/dsl/parser.y", "codegen/dsl/lexer.l"] + \
    sorted(glob.glob("codegen/chrononc/*.c")) + ["runtime/tjson_read.c", "runtime/tjson_write.c"]

STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CONV = re.compile(r"%[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcsp]")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0", "a": "\a",
           "b": "\b", "f": "\f", "v": "\v", "?": "?"}


def decode(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            e = s[i + 1]
            if e == "x":
                m = re.match(r"[0-9a-fA-F]+", s[i + 2:])
                out.append(chr(int(m.group(0), 16)))
                i += 2 + len(m.group(0))
                continue
            m = re.match(r"[0-7]{1,3}", s[i + 1:])
            if m:
                out.append(chr(int(m.group(0), 8)))
                i += 1 + len(m.group(0))
                continue
            out.append(ESCAPES.get(e, e))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def normalize(text):
    """A format as the user reads it: conversions as "…", "%%" as "%"."""
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)   # terminal controls (the progress line)
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)
    text = text.replace("%%", "\x01")
    text = CONV.sub("…", text)
    text = text.replace("\x01", "%")
    text = re.sub(r"…+", "…", text)
    return re.sub(r"\s+", " ", text).strip()


def key(text):
    """What is compared: a normalized text with any "%d"-like sequence left in it
    (a literal "%d" of a message, or a placeholder the doc spelled "%s") made "…"
    too, so that both sides may spell a placeholder either way."""
    return re.sub(r"…+", "…", CONV.sub("…", text))


CHAR_LIT = re.compile(r"'(?:\\.[^'\n]{0,3}|[^\\'\n])'")
STR_LIT = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def skip_literal(src, i):
    """src[i] opens a string or char literal, or a comment: the index after it.
    A quote that opens no literal on its line (a quote in a Flex pattern, an
    apostrophe in a Bison comment) is skipped alone."""
    if src.startswith("//", i):
        j = src.find("\n", i)
        return len(src) if j < 0 else j
    if src.startswith("/*", i):
        j = src.find("*/", i + 2)
        return len(src) if j < 0 else j + 2
    m = (CHAR_LIT if src[i] == "'" else STR_LIT).match(src, i)
    return m.end() if m else i + 1


def call_args(src, open_paren):
    """Top-level arguments of the call whose '(' is at open_paren: [(text, offset)]."""
    args, depth, start, i = [], 0, open_paren + 1, open_paren
    while i < len(src):
        c = src[i]
        if c in "\"'" or src.startswith("//", i) or src.startswith("/*", i):
            i = skip_literal(src, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append((src[start:i], start))
                return args
        elif c == "," and depth == 1:
            args.append((src[start:i], start))
            start = i + 1
        i += 1
    return args


def string_runs(arg, macros):
    """The formats an argument can be: each run of adjacent string literals."""
    runs, cur, i = [], None, 0
    while i < len(arg):
        c = arg[i]
        if c.isspace():
            i += 1
            continue
        m = STRING.match(arg, i)
        if m:
            cur = (cur or "") + m.group(1)
            i = m.end()
            continue
        m = IDENT.match(arg, i)
        if m and m.group(0) in macros:
            cur = (cur or "") + macros[m.group(0)]
            i = m.end()
            continue
        if cur is not None:
            runs.append(cur)
            cur = None
        i = m.end() if m else i + 1
    if cur is not None:
        runs.append(cur)
    return runs


def extract(path):
    src = open(path, encoding="utf-8").read()
    macros = {m.group(1): "".join(STRING.findall(m.group(2)))
              for m in re.finditer(r'^#define\s+(\w+)\s+((?:"(?:[^"\\\n]|\\.)*"\s*)+)$', src, re.M)}
    reporters = dict(REPORTERS, **PER_FILE.get(path, {}))
    names = set(reporters) | {f for f, _ in BUFFERS}
    found = []
    seen_calls = 0
    i = 0
    while i < len(src):
        c = src[i]
        if c in "\"'" or src.startswith("//", i) or src.startswith("/*", i):
            i = skip_literal(src, i)
            continue
        m = IDENT.match(src, i)
        if not m:
            i += 1
            continue
        name, end = m.group(0), m.end()
        i = end
        if name not in names or (m.start() > 0 and (src[m.start() - 1].isalnum() or src[m.start() - 1] in "_.>")):
            continue
        j = end
        while j < len(src) and src[j] in " \t":
            j += 1
        if j >= len(src) or src[j] != "(":
            continue
        args = call_args(src, j)
        if not args:
            continue
        buffer = False
        if name in reporters:
            idx = reporters[name]
        else:
            idx = BUFFERS.get((name, args[0][0].strip()))
            buffer = True
            if idx is None:
                continue
        if idx >= len(args):
            continue
        if name in reporters and STRING.search(args[idx][0]):
            seen_calls += 1
        line = src.count("\n", 0, args[idx][1]) + 1
        for raw in string_runs(args[idx][0], macros):
            text = decode(raw)
            if buffer and name == "tj_buf_printf" and text.startswith("%s"):
                text = text[2:]
            msg = normalize(text)
            if buffer and text.endswith(" "):
                msg += " …"
            found.append((path, line, msg))
    # b_refused's texts are data of the builtins table
    for m in re.finditer(r'\{\s*"[^"]*"\s*,\s*b_refused\s*,\s*((?:"(?:[^"\\\n]|\\.)*"\s*)+)\}', src):
        line = src.count("\n", 0, m.start()) + 1
        found.append((path, line, normalize(decode("".join(STRING.findall(m.group(1)))))))
    # fprintf(stderr, ...): the command line's own errors
    for m in re.finditer(r"\bfprintf\s*\(\s*stderr\s*,", src):
        args = call_args(src, src.index("(", m.start()))
        if len(args) > 1:
            line = src.count("\n", 0, args[1][1]) + 1
            for raw in string_runs(args[1][0], macros):
                found.append((path, line, normalize(decode(raw))))
    # A cross-check of the scanner above, which skips strings, chars and
    # comments: in Flex and Bison sources a quote in a pattern could make it
    # skip real code. Count the reporting calls with a string literal before
    # the next ';' by a plain search, which needs no skipping.
    plain = 0
    for m in re.finditer(r"(?<![A-Za-z0-9_.>])(" + "|".join(map(re.escape, reporters)) + r")\s*\(", src):
        before = src[src.rfind("\n", 0, m.start()) + 1:m.start()]
        typed = re.search(r"([A-Za-z_][A-Za-z0-9_]*)[\s*]*$", before)
        if typed and typed.group(1) != "return":
            continue   # "static void err(...)": a definition, not a call
        end = src.find(";", m.end())
        if '"' in src[m.end():end if end >= 0 else len(src)]:
            plain += 1
    if plain != seen_calls:
        sys.exit(f"{path}: the scanner found {seen_calls} reporting calls with a literal format, "
                 f"a plain search {plain}: fix the scanner of this test")
    return [f for f in found if re.search(r"[A-Za-z]", f[2])]


def doc_spans(text):
    """Every inline code span of a Markdown text (CommonMark: a run of n
    backticks up to the next run of exactly n, within a paragraph), and the
    catalogue entries: the spans that start a list item."""
    text = re.sub(r"^ *```.*?^ *```[^\n]*$", "", text, flags=re.M | re.S)   # fenced blocks
    spans, entries = [], []
    i = 0
    while True:
        m = re.compile(r"`+").search(text, i)
        if not m:
            break
        ticks = m.group(0)
        close = re.compile(r"(?<!`)" + ticks + r"(?!`)")
        c = close.search(text, m.end())
        if not c or "\n\n" in text[m.end():c.start()]:
            i = m.end()
            continue
        content = text[m.end():c.start()].replace("\n", " ")
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        span = key(normalize(content.replace("%%", "%")))
        spans.append(span)
        line_start = text.rfind("\n", 0, m.start()) + 1
        if re.fullmatch(r"\s*[-*] ", text[line_start:m.start()]):
            entries.append(span)
        i = c.end()
    return set(spans), entries


formats = []
for path in FILES:
    formats.extend(extract(path))

if sys.argv[1:] == ["--list"]:
    for path, line, msg in formats:
        print(f"{path}:{line}: {msg}")
    sys.exit(0)

try:
    documented, entries = doc_spans(open(DOC, encoding="utf-8").read())
except OSError as e:
    print(f"cannot read {DOC}: {e}")
    sys.exit(1)

missing = {}
for path, line, msg in formats:
    if key(msg) not in documented:
        missing.setdefault(msg, []).append(f"{path}:{line}")
known = {key(msg) for _, _, msg in formats}
stale = [e for e in entries if e not in known]

print(f"{len(known)} distinct diagnostic formats in {len(FILES)} files; {len(documented)} code spans in {DOC}")
if stale:
    print(f"warning: {len(stale)} catalogue entries match no format of the code (stale, or made outside these files?):")
    for e in stale:
        print(f"  `{e}`")
if missing:
    print(f"FAIL: {len(missing)} diagnostic formats are not in {DOC}:")
    for msg, where in sorted(missing.items(), key=lambda kv: kv[1][0]):
        print(f"  `{msg}`    ({', '.join(where)})")
    sys.exit(1)
print("ok: every diagnostic format is documented")
PY
