/* runtime/pyjson.c against hand-checked Python output, or, with
 * `--vectors FILE`, against lines written by tests/pyjson/vectors.py (whose
 * docstring describes the format). Ends with "N passed, N failed". */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyjson.h"
#include "tj_buf.h"

typedef struct {
    long passed, failed;
    int shown; /* mismatches printed so far */
} tally;

#define MAX_SHOWN 10

static void result(tally *t, bool ok, const char *what, const char *input, const char *got,
                   const char *want)
{
    if (ok) {
        t->passed++;
        return;
    }
    t->failed++;
    if (t->shown++ < MAX_SHOWN)
        printf("FAIL %s %s\n     got:  %s\n     want: %s\n", what, input, got, want);
    else if (t->shown == MAX_SHOWN + 1)
        printf("(further mismatches not shown)\n");
}

static void hexify(char *dst, size_t cap, const uint8_t *p, size_t n)
{
    size_t o = 0;
    dst[0] = '\0';
    for (size_t i = 0; i < n && o + 3 < cap; i++)
        o += (size_t)snprintf(dst + o, cap - o, "%02x", p[i]);
    if (o + 3 >= cap && cap > 4)
        strcpy(dst + cap - 4, "...");
}

/* ---- the three checks, shared by both modes ---------------------------------- */

static void check_double(tally *t, double x, const char *want)
{
    char got[32];
    memset(got, 'X', sizeof got);
    size_t n = pyjson_format_double(x, got);
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    char input[64];
    snprintf(input, sizeof input, "%016llx (%.17g)", (unsigned long long)bits, x);
    bool ok = n < 32 && got[n] == '\0' && strlen(got) == n && strcmp(got, want) == 0;
    result(t, ok, "double", input, n < 32 && memchr(got, '\0', 32) ? got : "(unterminated)",
           want);
}

/* want == NULL: s must be rejected. The buffer starts with a prefix to show
 * that output is appended and that a rejection appends nothing. */
static void check_string(tally *t, const char *s, size_t n, const char *want)
{
    tj_buf b = {0};
    tj_buf_puts(&b, "<>");
    bool ok = pyjson_put_string(&b, s, n);
    bool valid = pyjson_utf8_valid(s, n);
    char input[160];
    hexify(input, sizeof input, (const uint8_t *)s, n);
    if (n == 0)
        strcpy(input, "(empty)");
    const char *got = b.failed ? "(buffer failed)" : b.data + (ok ? 2 : 0);
    if (want) {
        bool same = ok && valid && !b.failed && b.len == 2 + strlen(want) &&
                    memcmp(b.data, "<>", 2) == 0 && strcmp(b.data + 2, want) == 0;
        result(t, same, "string", input, ok ? got : "(rejected)", want);
    } else {
        bool same = !ok && !valid && !b.failed && b.len == 2 && strcmp(b.data, "<>") == 0;
        result(t, same, "bad-utf8", input, ok ? got : valid ? "(valid says yes)" : got,
               "(rejected, buffer still \"<>\")");
    }
    tj_buf_free(&b);
}

static void check_base64(tally *t, const uint8_t *data, size_t n, const char *want)
{
    char input[160];
    hexify(input, sizeof input, data, n);
    tj_buf b = {0};
    tj_buf_puts(&b, "<>");
    pyjson_base64_encode(&b, data, n);
    bool ok = !b.failed && b.len == 2 + strlen(want) && strcmp(b.data + 2, want) == 0;
    result(t, ok, "b64encode", input, b.failed ? "(buffer failed)" : b.data + 2, want);
    tj_buf_free(&b);

    uint8_t *out = NULL;
    size_t out_len = 0;
    ok = pyjson_base64_decode(want, strlen(want), &out, &out_len);
    char got[160];
    if (ok)
        hexify(got, sizeof got, out, out_len);
    ok = ok && out != NULL && out_len == n && memcmp(out, data, n) == 0;
    result(t, ok, "b64decode", want, out ? got : "(rejected)", input);
    free(out);
}

/* want == NULL: s must be rejected and *out left alone. */
static void check_base64_decode(tally *t, const char *s, size_t n, const uint8_t *want,
                                size_t want_len)
{
    char input[160], wanthex[160], got[160];
    snprintf(input, sizeof input, "\"%.*s\"", (int)(n < 100 ? n : 100), s);
    uint8_t sentinel = 0;
    uint8_t *out = &sentinel;
    size_t out_len = 12345;
    bool ok = pyjson_base64_decode(s, n, &out, &out_len);
    if (ok)
        hexify(got, sizeof got, out, out_len);
    else
        strcpy(got, out == &sentinel && out_len == 12345 ? "(rejected)" : "(rejected, out changed)");
    if (want) {
        hexify(wanthex, sizeof wanthex, want, want_len);
        result(t, ok && out && out_len == want_len && memcmp(out, want, want_len) == 0,
               "b64decode", input, got, wanthex);
    } else {
        result(t, !ok && out == &sentinel && out_len == 12345, "b64decode", input, got,
               "(rejected)");
    }
    if (ok)
        free(out);
}

/* ---- hand-picked cases ------------------------------------------------------- */

static void builtin_doubles(tally *t)
{
    static const struct {
        double x;
        const char *want;
    } cases[] = {
        {0.0, "0.0"},
        {1.0, "1.0"},
        {-1.0, "-1.0"},
        {0.1, "0.1"},
        {0.5, "0.5"},
        {100.0, "100.0"},
        {1.5, "1.5"},
        {123.456, "123.456"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1.0 / 3.0, "0.3333333333333333"},
        {2.0 / 3.0, "0.6666666666666666"},
        {3.141592653589793, "3.141592653589793"},
        /* the fixed/scientific switch at the small end */
        {0.001, "0.001"},
        {0.0001, "0.0001"},
        {0.00012345, "0.00012345"},
        {0.000099999, "9.9999e-05"},
        {0.00001, "1e-05"},
        {1.5e-5, "1.5e-05"},
        {1e-7, "1e-07"},
        {1e-10, "1e-10"},
        {1e-100, "1e-100"},
        /* and at the large end */
        {1e15, "1000000000000000.0"},
        {1234567890123456.0, "1234567890123456.0"},
        {9999999999999998.0, "9999999999999998.0"},
        {1e16, "1e+16"},
        {1.5e16, "1.5e+16"},
        {12345678901234567890.0, "1.2345678901234567e+19"},
        {9007199254740992.0, "9007199254740992.0"},
        {9007199254740993.0, "9007199254740992.0"},
        {1e22, "1e+22"},
        {1e23, "1e+23"},
        {1.5e300, "1.5e+300"},
        {-1.5e300, "-1.5e+300"},
        /* limits and subnormals */
        {DBL_MAX, "1.7976931348623157e+308"},
        {-DBL_MAX, "-1.7976931348623157e+308"},
        {DBL_MIN, "2.2250738585072014e-308"},
        {5e-324, "5e-324"},
        {-5e-324, "-5e-324"},
        {1e-323, "1e-323"},
        {2.225073858507201e-308, "2.225073858507201e-308"},
        {4.9406564584124654e-320, "4.9407e-320"},
        /* Powers of two, where the gap to the double below is half the gap
         * above. For the first three the nearest 16-digit decimal falls just
         * outside on the narrow side (2^-1017's 7.120236347223044e-307 does
         * not read back) while the next one up does, so a search that tries
         * only the nearest decimal at each precision gives 17 digits here. */
        {0x1p-1017, "7.120236347223045e-307"},
        {0x1p-1007, "7.291122019556398e-304"},
        {0x1p-957, "8.209073602596753e-289"},
        {0x1p-1016, "1.424047269444609e-306"},
        {0x1p+1023, "8.98846567431158e+307"},
        {0x1p-1064, "5.06e-321"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_double(t, cases[i].x, cases[i].want);
    check_double(t, -0.0, "-0.0");
    check_double(t, nextafter(0.0001, 0.0), "9.999999999999999e-05");
    check_double(t, nextafter(1e16, 0.0), "9999999999999998.0");
}

static void builtin_strings(tally *t)
{
    static const struct {
        const char *s;
        size_t n; /* 0: use strlen */
        const char *want;
    } good[] = {
        {"", 0, "\"\""},
        {"hello world", 0, "\"hello world\""},
        {"a\"b\\c/d", 0, "\"a\\\"b\\\\c/d\""},
        {"\b\f\n\r\t", 0, "\"\\b\\f\\n\\r\\t\""},
        {"\x01\x0b\x1f", 0, "\"\\u0001\\u000b\\u001f\""},
        {"a\0b", 3, "\"a\\u0000b\""},
        {"\0", 1, "\"\\u0000\""},
        {" ~\x7f", 0, "\" ~\\u007f\""},
        {"\xc2\x80\xc2\xa0\xc3\xbf", 0, "\"\\u0080\\u00a0\\u00ff\""},
        {"caf\xc3\xa9", 0, "\"caf\\u00e9\""},
        {"\xdf\xbf\xe0\xa0\x80", 0, "\"\\u07ff\\u0800\""},
        {"\xe2\x80\xa8\xe2\x80\xa9", 0, "\"\\u2028\\u2029\""},
        {"\xed\x9f\xbf\xee\x80\x80", 0, "\"\\ud7ff\\ue000\""},
        {"\xef\xbb\xbf\xef\xbf\xbd\xef\xbf\xbe\xef\xbf\xbf", 0,
         "\"\\ufeff\\ufffd\\ufffe\\uffff\""},
        {"\xe4\xb8\xad\xe6\x96\x87", 0, "\"\\u4e2d\\u6587\""},
        {"\xf0\x90\x80\x80", 0, "\"\\ud800\\udc00\""},
        {"x\xf0\x9f\x98\x80y", 0, "\"x\\ud83d\\ude00y\""},
        {"\xf4\x8f\xbf\xbf", 0, "\"\\udbff\\udfff\""},
        {"\xf3\xa0\x80\x81", 0, "\"\\udb40\\udc01\""},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        check_string(t, good[i].s, good[i].n ? good[i].n : strlen(good[i].s), good[i].want);

    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        {"\x80", 1},                 /* stray continuation */
        {"a\xbf", 2},
        {"\xc0\x80", 2},             /* overlong NUL */
        {"\xc1\xbf", 2},             /* overlong 0x7f */
        {"\xe0\x80\x80", 3},         /* overlong 3-byte */
        {"\xe0\x9f\xbf", 3},         /* overlong U+07FF */
        {"\xf0\x80\x80\x80", 4},     /* overlong 4-byte */
        {"\xf0\x8f\xbf\xbf", 4},     /* overlong U+FFFF */
        {"\xed\xa0\x80", 3},         /* U+D800 */
        {"\xed\xbf\xbf", 3},         /* U+DFFF */
        {"\xed\xa0\xbd\xed\xb8\x80", 6}, /* CESU-8 pair for U+1F600 */
        {"\xf4\x90\x80\x80", 4},     /* U+110000 */
        {"\xf5\x80\x80\x80", 4},
        {"\xf8\x88\x80\x80\x80", 5}, /* old 5-byte form */
        {"\xfe", 1},
        {"\xff", 1},
        {"\xc3", 1},                 /* truncated */
        {"\xe2\x82", 2},
        {"\xf0\x9f\x98", 3},
        {"ok\xf0\x9f\x98", 5},
        {"\xc3(", 2},                /* continuation missing */
        {"\xe2\x28\xa1", 3},
        {"\xf0\x9f\x28\x80", 4},
        {"\xc3\xa9\x80", 3},         /* one continuation too many */
        {"\xc3\0", 2},               /* NUL where a continuation belongs */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_string(t, bad[i].s, bad[i].n, NULL);

    /* Only [0,n) is read: a bad byte just past n does not matter. */
    check_string(t, "ab\xff", 2, "\"ab\"");
}

static void builtin_base64(tally *t)
{
    static const struct {
        const char *data;
        size_t n;
        const char *want;
    } cases[] = {
        {"", 0, ""},
        {"f", 1, "Zg=="},
        {"fo", 2, "Zm8="},
        {"foo", 3, "Zm9v"},
        {"foob", 4, "Zm9vYg=="},
        {"fooba", 5, "Zm9vYmE="},
        {"foobar", 6, "Zm9vYmFy"},
        {"\xfb\xff\xbf", 3, "+/+/"},
        {"\0", 1, "AA=="},
        {"\0\0\0", 3, "AAAA"},
        {"\xff\xff", 2, "//8="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_base64(t, (const uint8_t *)cases[i].data, cases[i].n, cases[i].want);

    /* Long enough to cross the encoder's internal chunk several times. */
    uint8_t big[1000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + 3);
    for (size_t n = 0; n <= sizeof big; n += (n < 200 ? 1 : 97)) {
        tj_buf b = {0};
        pyjson_base64_encode(&b, big, n);
        char what[32];
        snprintf(what, sizeof what, "%zu bytes", n);
        uint8_t *out = NULL;
        size_t out_len = 0;
        bool ok = !b.failed && b.len == (n + 2) / 3 * 4 &&
                  pyjson_base64_decode(b.data, b.len, &out, &out_len) && out_len == n &&
                  memcmp(out, big, n) == 0;
        result(t, ok, "b64 round trip", what, ok ? "same" : "differs", "same");
        free(out);
        tj_buf_free(&b);
    }

    /* The decoder's output for empty input must still be a real allocation. */
    uint8_t *out = NULL;
    size_t out_len = 99;
    bool ok = pyjson_base64_decode("", 0, &out, &out_len) && out != NULL && out_len == 0;
    result(t, ok, "b64decode", "\"\"", ok ? "non-NULL, 0 bytes" : "wrong", "non-NULL, 0 bytes");
    free(out);

    check_base64_decode(t, "QR==", 4, (const uint8_t *)"A", 1); /* stray low bits allowed */
    check_base64_decode(t, "QUI=", 4, (const uint8_t *)"AB", 2);
    static const char *const bad[] = {
        "Q",        "QQ",       "QQ=",      "QUJDR",    "A===",     "====",
        "=QQQ",     "Q=Q=",     "QQ=A",     "QQ==QQ==", "QUJD====", "QQ= ",
        " QQ=",     "QQ==\n",   "QU-D",     "QU_D",     "QU.D",     "QUJ\x80",
        "Zm9v\r\nYmFy",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_base64_decode(t, bad[i], strlen(bad[i]), NULL, 0);
    check_base64_decode(t, "QQ\0=", 4, NULL, 0);
    check_base64_decode(t, "QUJDQQ==", 8, (const uint8_t *)"ABCA", 4);
}

/* ---- vector files ------------------------------------------------------------ */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Lowercase hex to bytes, in place (the bytes never outgrow the text). */
static bool unhex(char *s, size_t n, size_t *out_len)
{
    if (n % 2)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        s[i / 2] = (char)(hi * 16 + lo);
    }
    *out_len = n / 2;
    return true;
}

static int run_vectors(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    tally t = {0};
    long counts[128] = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long lineno = 0, malformed = 0;
    while ((got = getline(&line, &cap, f)) != -1) {
        lineno++;
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        /* TAG SP INPUT SP EXPECTED */
        char *sp = len >= 2 && line[1] == ' ' ? memchr(line + 2, ' ', len - 2) : NULL;
        int tag = (unsigned char)line[0];
        if (!sp || tag >= 128) {
            if (malformed++ < MAX_SHOWN)
                printf("line %ld: malformed\n", lineno);
            continue;
        }
        char *input = line + 2, *want = sp + 1;
        size_t in_len = (size_t)(sp - input), bin_len;
        *sp = '\0';
        bool rejected = strcmp(want, "!") == 0;
        bool ok = true;
        switch (tag) {
        case 'd': {
            uint64_t bits = 0;
            ok = in_len == 16;
            for (size_t i = 0; ok && i < 16; i++) {
                int v = hexval((unsigned char)input[i]);
                ok = v >= 0;
                bits = bits << 4 | (uint64_t)(v & 15);
            }
            double x;
            memcpy(&x, &bits, sizeof x);
            ok = ok && isfinite(x);
            if (ok)
                check_double(&t, x, want);
            break;
        }
        case 's':
            ok = unhex(input, in_len, &bin_len);
            if (ok)
                check_string(&t, input, bin_len, rejected ? NULL : want);
            break;
        case 'b':
            ok = unhex(input, in_len, &bin_len);
            if (ok)
                check_base64(&t, (const uint8_t *)input, bin_len, want);
            break;
        case 'B': {
            ok = unhex(input, in_len, &bin_len);
            size_t want_len = 0;
            if (ok && !rejected)
                ok = unhex(want, strlen(want), &want_len);
            if (ok)
                check_base64_decode(&t, input, bin_len, rejected ? NULL : (const uint8_t *)want,
                                    want_len);
            break;
        }
        default:
            ok = false;
        }
        if (!ok) {
            if (malformed++ < MAX_SHOWN)
                printf("line %ld: malformed\n", lineno);
            continue;
        }
        counts[tag]++;
    }
    free(line);
    bool read_error = ferror(f);
    fclose(f);
    if (read_error) {
        printf("%s: read error\n0 passed, 1 failed\n", path);
        return 1;
    }
    printf("vectors: %ld doubles, %ld strings, %ld base64 encodes, %ld base64 decodes",
           counts['d'], counts['s'], counts['b'], counts['B']);
    printf(", %ld malformed lines\n", malformed);
    /* An empty or unreadable file must not pass quietly. */
    if (lineno == 0) {
        printf("no vectors in %s\n", path);
        t.failed++;
    }
    t.failed += malformed;
    printf("%ld passed, %ld failed\n", t.passed, t.failed);
    return t.failed ? 1 : 0;
}

/* Every ASCII byte, and a two-byte and an invalid sequence, at every
 * position of plain strings of 1 to 24 bytes: pyjson_put_string tests 8
 * bytes at a time before it looks at one, so a byte that needs escaping
 * must be found wherever it sits in or after a word. */
static void builtin_string_positions(tally *t)
{
    for (size_t len = 1; len <= 24; len++)
        for (size_t pos = 0; pos < len; pos++)
            for (int b = 0; b <= 0x81; b++) {
                char s[32], want[64];
                memset(s, 'a', len);
                size_t n = len, w = 0;
                want[w++] = '"';
                for (size_t i = 0; i < pos; i++)
                    want[w++] = 'a';
                if (b == 0x80) { /* e acute: two bytes */
                    s[pos] = (char)0xc3;
                    memmove(s + pos + 2, s + pos + 1, len - pos - 1);
                    s[pos + 1] = (char)0xa9;
                    n = len + 1;
                    w += (size_t)sprintf(want + w, "\\u00e9");
                } else if (b == 0x81) { /* a lone continuation byte: rejected */
                    s[pos] = (char)0x81;
                    check_string(t, s, n, NULL);
                    continue;
                } else {
                    s[pos] = (char)b;
                    const char *named = b == '"' ? "\\\"" : b == '\\' ? "\\\\" : b == '\b' ? "\\b"
                                      : b == '\f' ? "\\f" : b == '\n' ? "\\n" : b == '\r' ? "\\r"
                                      : b == '\t' ? "\\t" : NULL;
                    if (named)
                        w += (size_t)sprintf(want + w, "%s", named);
                    else if (b < 0x20 || b == 0x7f)
                        w += (size_t)sprintf(want + w, "\\u%04x", b);
                    else
                        want[w++] = (char)b;
                }
                for (size_t i = pos + 1; i < len; i++)
                    want[w++] = 'a';
                want[w++] = '"';
                want[w] = '\0';
                check_string(t, s, n, want);
            }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--vectors") == 0)
        return run_vectors(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: %s [--vectors FILE]\n", argv[0]);
        return 2;
    }
    tally t = {0};
    builtin_doubles(&t);
    builtin_strings(&t);
    builtin_string_positions(&t);
    builtin_base64(&t);
    printf("%ld passed, %ld failed\n", t.passed, t.failed);
    return t.failed ? 1 : 0;
}
