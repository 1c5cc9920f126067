#!/usr/bin/env python3
"""Test vectors for runtime/pyjson.c, with Python itself as the oracle.

usage: vectors.py SEED NDOUBLES [NSTRINGS [NBINARIES]] > FILE

NSTRINGS defaults to NDOUBLES/10 and NBINARIES to NDOUBLES/100. Besides
NDOUBLES random doubles, a fixed set of edge doubles (every power of two and
its neighbours, powers of ten and theirs) is always written. The same seed
always gives the same file.

One vector per line, fields separated by exactly one space:

    TAG SP INPUT SP EXPECTED LF

INPUT is lowercase hex and may be empty; EXPECTED runs to the end of the line
(json.dumps output may contain spaces but never a newline or a raw byte
outside ASCII). EXPECTED "!" means the input must be rejected; it can never be
real output, since JSON strings start with '"' and hex/base64 never use '!'.

    d BITS JSON   BITS: the 16 hex digits of the double's IEEE bits (big-endian);
                  JSON: json.dumps(x)
    s UTF8 JSON   UTF8: the bytes; JSON: json.dumps(bytes.decode()), or "!" if
                  Python's strict UTF-8 decoder refuses the bytes
    b DATA B64    base64.b64encode(DATA); decoding B64 must give DATA back
    B TEXT DATA   TEXT: hex of an ASCII candidate for base64; DATA: hex of
                  what it decodes to, or "!" if it must be rejected
The B oracle is binascii.a2b_base64(TEXT, strict_mode=True) narrowed by the two
rules of pyjson.h that Python's strict mode does not enforce: the length is a
multiple of 4, and '=' only completes the last group (Python accepts "QUJD="
and "QUJD====" as "ABC"; b64encode never writes them).
"""
import base64
import binascii
import json
import math
import random
import struct
import sys


def bits_to_double(bits):
    return struct.unpack(">d", struct.pack(">Q", bits))[0]


def double_to_bits(x):
    return struct.unpack(">Q", struct.pack(">d", x))[0]


def double_line(x):
    return "d %016x %s" % (double_to_bits(x), json.dumps(x))


def edge_doubles():
    # Powers of two are where the shortest-digits search is hardest (the gap
    # below is half the gap above); powers of ten sit on the fixed/scientific
    # boundary.
    out = []
    for exp in range(0, 2047):
        for mant in (0, 1, 2, (1 << 52) - 1):
            out.append(bits_to_double((exp << 52) | mant))
    for k in range(-325, 309):
        x = float("1e%d" % k)
        out.append(x)
        out.append(math.nextafter(x, 0.0))
        out.append(math.nextafter(x, math.inf))
    out += [0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
            0.1 + 0.2, 1 / 3, 2 / 3, 9007199254740992.0, 9007199254740993.0]
    good = [x for x in out if math.isfinite(x)]
    return good + [-x for x in good]


def random_double(rng):
    kind = rng.randrange(4)
    if kind == 0:
        while True:
            x = bits_to_double(rng.getrandbits(64))
            if math.isfinite(x):
                return x
    if kind == 1:
        # A short decimal at any magnitude: the round-trip search stops early.
        ndig = rng.randint(1, 17)
        digits = str(rng.randrange(10 ** (ndig - 1), 10 ** ndig))
        x = float("%s.%se%d" % (digits[0], digits[1:] or "0", rng.randint(-330, 310)))
    elif kind == 2:
        # Magnitudes around the fixed/scientific switch at 1e-4 and 1e16.
        ndig = rng.randint(1, 17)
        digits = str(rng.randrange(10 ** (ndig - 1), 10 ** ndig))
        x = float("%s.%se%d" % (digits[0], digits[1:] or "0", rng.randint(-7, 19)))
    else:
        # Integers and simple fractions, the values configs actually hold.
        x = rng.randrange(-10 ** rng.randint(1, 20), 10 ** 20) / rng.choice((1, 2, 4, 10, 100, 1000, 3))
    if not math.isfinite(x):
        return 0.0
    return -x if rng.random() < 0.5 else x


# Code point pools; surrogates are left out because a str holding one cannot
# be encoded as UTF-8.
SPECIAL = [0, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x20, 0x22, 0x2f, 0x5c, 0x7e,
           0x7f, 0x80, 0x9f, 0xa0, 0xff, 0x100, 0x7ff, 0x800, 0x2028, 0x2029,
           0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x1f600,
           0x10fffd, 0x10ffff]


def random_codepoint(rng):
    kind = rng.randrange(8)
    if kind <= 1:
        return rng.randint(0x20, 0x7e)
    if kind == 2:
        return rng.randint(0, 0x1f)
    if kind == 3:
        return rng.choice(SPECIAL)
    if kind == 4:
        return rng.randint(0x80, 0x7ff)
    if kind == 5:
        while True:
            c = rng.randint(0x800, 0xffff)
            if not 0xd800 <= c <= 0xdfff:
                return c
    return rng.randint(0x10000, 0x10ffff)


def encode_any(v, nbytes):
    """UTF-8's bit layout for v in nbytes bytes, whether or not that is legal:
    overlongs, surrogates and values past U+10FFFF."""
    if nbytes == 1:
        return bytes([v & 0x7f])
    lead = {2: 0xc0, 3: 0xe0, 4: 0xf0}[nbytes]
    out = [0x80 | ((v >> (6 * i)) & 0x3f) for i in range(nbytes - 1)]
    out.append(lead | (v >> (6 * (nbytes - 1))) & (0x3f >> (nbytes - 1)))
    return bytes(reversed(out))


def random_utf8(rng):
    s = "".join(chr(random_codepoint(rng)) for _ in range(rng.randint(0, 24)))
    data = s.encode("utf-8")
    kind = rng.randrange(10)
    if kind < 6 or not data and kind < 8:
        return data
    data = bytearray(data)
    if kind == 6 and data:
        # Corrupt a byte: stray continuation, bad lead, broken sequence.
        data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 7 and data:
        del data[rng.randrange(len(data)):]  # truncation, often mid-sequence
    elif kind == 8:
        # A code point in an illegal or borderline form.
        v = rng.choice([rng.randrange(0x80), rng.randrange(0x800), rng.randrange(0x10000),
                        rng.randint(0xd800, 0xdfff), rng.randint(0x10ffff, 0x1fffff),
                        rng.randint(0x80, 0x10ffff)])
        pos = rng.randrange(len(data) + 1)
        data[pos:pos] = encode_any(v, rng.randint(2, 4))
    else:
        pos = rng.randrange(len(data) + 1)
        data[pos:pos] = bytes([rng.choice([0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff,
                                           0xe0, 0xed, 0xf0, 0xf4, rng.randrange(256)])])
    return bytes(data)


def string_line(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "s %s !" % data.hex()
    return "s %s %s" % (data.hex(), json.dumps(text))


B64CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def mangled_base64(rng, data):
    text = bytearray(base64.b64encode(data))
    kind = rng.randrange(6)
    if kind == 0 and text:
        text[rng.randrange(len(text))] = rng.choice(b"=-_ \n.*A")
    elif kind == 1 and text:
        del text[rng.randrange(len(text))]
    elif kind == 2:
        text.insert(rng.randrange(len(text) + 1), rng.choice(b"=A/+ "))
    elif kind == 3:
        text += rng.choice([b"=", b"==", b"===", b"====", b"QQ==", b"A"])
    elif kind == 4 and text:
        # Stays valid: the unused low bits of the last character are not
        # checked, by Python nor by the header's rules.
        text[-1 - text.count(b"=")] = rng.choice(B64CHARS)
    else:
        text = bytearray(rng.choice(B64CHARS + b"=") for _ in range(rng.choice((0, 4, 8, 12))))
    return bytes(text)


def base64_decode_line(text):
    try:
        out = binascii.a2b_base64(text, strict_mode=True).hex()
    except binascii.Error:
        out = "!"
    if len(text) % 4 or text.endswith(b"==="):
        out = "!"
    return "B %s %s" % (text.hex(), out)


def main(argv):
    if not 3 <= len(argv) <= 5:
        sys.exit(__doc__)
    seed, ndoubles = int(argv[1]), int(argv[2])
    nstrings = int(argv[3]) if len(argv) > 3 else ndoubles // 10
    nbinaries = int(argv[4]) if len(argv) > 4 else ndoubles // 100
    rng = random.Random(seed)
    out = sys.stdout
    for x in edge_doubles():
        out.write(double_line(x) + "\n")
    for _ in range(ndoubles):
        out.write(double_line(random_double(rng)) + "\n")
    for _ in range(nstrings):
        out.write(string_line(random_utf8(rng)) + "\n")
    for _ in range(nbinaries):
        data = bytes(rng.randrange(256) for _ in range(rng.choice((0, 1, 2, 3, rng.randint(0, 300)))))
        out.write("b %s %s\n" % (data.hex(), base64.b64encode(data).decode("ascii")))
        out.write(base64_decode_line(mangled_base64(rng, data)) + "\n")


if __name__ == "__main__":
    main(sys.argv)
