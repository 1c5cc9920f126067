#include "pyjson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- floats ------------------------------------------------------------------ */

/* A candidate decimal: ndig digits d0.d1d2... times 10^exp10. */
typedef struct {
    char dig[20];
    int ndig;
    int exp10;
} decimal;

/* The nearest prec-digit decimal to x > 0, by way of printf's correctly rounded
 * %e. Only digits and the exponent are taken from its output, so a locale with
 * another decimal point cannot confuse the parse. */
static void nearest_decimal(double x, int prec, decimal *d)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
    const char *p = tmp;
    d->ndig = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && d->ndig < (int)sizeof d->dig - 1)
            d->dig[d->ndig++] = *p;
    d->dig[d->ndig] = '\0';
    d->exp10 = *p == 'e' ? (int)strtol(p + 1, NULL, 10) : 0;
}

/* Written as an integer mantissa with an exponent (no '.') so strtod reads it
 * the same in every locale. */
static bool round_trips(const decimal *d, double x)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%se%d", d->dig, d->exp10 - (d->ndig - 1));
    return strtod(tmp, NULL) == x;
}

/* The next decimal up with the same number of digits (9.99 -> 1.00e+1). */
static void step_up(decimal *d)
{
    int i = d->ndig - 1;
    while (i >= 0 && d->dig[i] == '9')
        d->dig[i--] = '0';
    if (i >= 0) {
        d->dig[i]++;
    } else {
        d->dig[0] = '1';
        d->exp10++;
    }
}

/* Shortest digits that read back as x, and of those the closest to x: what
 * Python's repr (David Gay's mode 0) picks. The nearest prec-digit decimal is
 * the closest, but when x is a power of two the gap to the double below is
 * half the gap above, so the nearest may fall just outside on the narrow side
 * while the next one up still rounds to x; that one is then the answer. */
static void shortest_decimal(double x, decimal *d)
{
    for (int prec = 1; prec < 17; prec++) {
        nearest_decimal(x, prec, d);
        if (round_trips(d, x))
            return;
        step_up(d);
        if (round_trips(d, x))
            return;
    }
    /* 17 significant digits always identify a double. */
    nearest_decimal(x, 17, d);
}

size_t pyjson_format_double(double x, char out[32])
{
    decimal d;
    if (x == 0) {
        strcpy(d.dig, "0");
        d.ndig = 1;
        d.exp10 = 0;
    } else {
        shortest_decimal(fabs(x), &d);
    }
    while (d.ndig > 1 && d.dig[d.ndig - 1] == '0')
        d.ndig--;

    size_t n = 0;
    if (signbit(x))
        out[n++] = '-';
    int e = d.exp10;
    if (e >= -4 && e < 16) {
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                out[n++] = i < d.ndig ? d.dig[i] : '0';
            out[n++] = '.';
            if (d.ndig > e + 1)
                for (int i = e + 1; i < d.ndig; i++)
                    out[n++] = d.dig[i];
            else
                out[n++] = '0';
        } else {
            out[n++] = '0';
            out[n++] = '.';
            for (int i = 0; i < -e - 1; i++)
                out[n++] = '0';
            for (int i = 0; i < d.ndig; i++)
                out[n++] = d.dig[i];
        }
        out[n] = '\0';
    } else {
        out[n++] = d.dig[0];
        if (d.ndig > 1) {
            out[n++] = '.';
            for (int i = 1; i < d.ndig; i++)
                out[n++] = d.dig[i];
        }
        /* Longest case "-1.2345678901234567e-308" is 24 characters. */
        n += (size_t)snprintf(out + n, 32 - n, "e%+03d", e);
    }
    return n;
}

/* ---- strings ----------------------------------------------------------------- */

/* Decode one code point from s[0..n), n > 0. Returns the bytes used, or 0 if the
 * sequence is not well-formed UTF-8. The ranges for the second byte are the ones
 * that exclude overlongs, surrogates and values past U+10FFFF. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        v = c & 0x0f;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        v = c & 0x07;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    *cp = v;
    return len;
}

bool pyjson_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) { /* most strings are ASCII: no decoding */
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_next(u + i, n - i, &cp);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

static void put_u16(tj_buf *b, unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15],
                 hex[v & 15]};
    tj_buf_put(b, e, sizeof e);
}

/* The bytes a JSON string holds as they are: printable ASCII but '"' and '\\'. */
static bool json_plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

/* Whether all 8 bytes of w are json_plain, tested at once: a byte below
 * 0x20, with the high bit, or equal to 0x7f, '"' or '\\'. Each term is the
 * usual exact test for "some byte is below n" ((w - n) & ~w & 0x80..) or
 * "some byte is zero" (the same for n = 1, on w xor the byte). */
static bool json_plain8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\'), del = w ^ (ones * 0x7f);
    uint64_t bad = ((w - ones * 0x20) & ~w) | w | ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((del - ones) & ~del);
    return (bad & highs) == 0;
}

bool pyjson_put_string(tj_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    /* Most strings (names, SQL, descriptions) are plain throughout: one
     * scan, one copy. */
    size_t i = 0;
    for (uint64_t w; i + 8 <= n && (memcpy(&w, u + i, 8), json_plain8(w));)
        i += 8;
    while (i < n && json_plain(u[i]))
        i++;
    if (i == n) {
        tj_buf_putc(b, '"');
        tj_buf_put(b, s, n);
        tj_buf_putc(b, '"');
        return true;
    }
    /* Checked up front so that a bad string leaves the buffer as it was (the
     * plain prefix is ASCII, so valid). */
    if (!pyjson_utf8_valid(s + i, n - i))
        return false;
    tj_buf_putc(b, '"');
    size_t run = 0; /* u[run..i) is printable ASCII not yet written */
    while (i < n) {
        if (json_plain(u[i])) {
            i++;
            continue;
        }
        tj_buf_put(b, s + run, i - run);
        uint32_t cp;
        size_t k = utf8_next(u + i, n - i, &cp);
        const char *named = NULL;
        switch (cp) {
        case '"': named = "\\\""; break;
        case '\\': named = "\\\\"; break;
        case '\b': named = "\\b"; break;
        case '\f': named = "\\f"; break;
        case '\n': named = "\\n"; break;
        case '\r': named = "\\r"; break;
        case '\t': named = "\\t"; break;
        default: break;
        }
        if (named) {
            tj_buf_put(b, named, 2);
        } else if (cp < 0x10000) {
            put_u16(b, cp);
        } else {
            cp -= 0x10000;
            put_u16(b, 0xd800 | (cp >> 10));
            put_u16(b, 0xdc00 | (cp & 0x3ff));
        }
        i += k;
        run = i;
    }
    tj_buf_put(b, s + run, n - run);
    tj_buf_putc(b, '"');
    return true;
}

/* ---- base64 ------------------------------------------------------------------ */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void pyjson_base64_encode(tj_buf *b, const uint8_t *data, size_t n)
{
    char chunk[256]; /* a multiple of 4, flushed whole */
    size_t used = 0;
    for (size_t i = 0; i < n; i += 3) {
        size_t left = n - i;
        uint32_t v = (uint32_t)data[i] << 16;
        if (left > 1)
            v |= (uint32_t)data[i + 1] << 8;
        if (left > 2)
            v |= data[i + 2];
        chunk[used++] = b64_alphabet[(v >> 18) & 63];
        chunk[used++] = b64_alphabet[(v >> 12) & 63];
        chunk[used++] = left > 1 ? b64_alphabet[(v >> 6) & 63] : '=';
        chunk[used++] = left > 2 ? b64_alphabet[v & 63] : '=';
        if (used == sizeof chunk) {
            tj_buf_put(b, chunk, used);
            used = 0;
        }
    }
    tj_buf_put(b, chunk, used);
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool pyjson_base64_decode(const char *s, size_t n, uint8_t **out, size_t *out_len)
{
    if (n % 4 != 0)
        return false;
    size_t pad = 0;
    if (n > 0 && s[n - 1] == '=') {
        pad = 1;
        if (s[n - 2] == '=')
            pad = 2;
    }
    /* Every non-padding character must be in the alphabet; this also rejects a
     * '=' anywhere but the last two places, and "x===" (pad never exceeds 2). */
    for (size_t i = 0; i < n - pad; i++)
        if (b64_value((unsigned char)s[i]) < 0)
            return false;

    size_t len = n / 4 * 3 - pad;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return false;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        uint32_t v = 0;
        for (size_t j = 0; j < 4; j++) {
            int d = s[i + j] == '=' ? 0 : b64_value((unsigned char)s[i + j]);
            v = (v << 6) | (uint32_t)d;
        }
        buf[o++] = (uint8_t)(v >> 16);
        if (o < len)
            buf[o++] = (uint8_t)(v >> 8);
        if (o < len)
            buf[o++] = (uint8_t)v;
    }
    *out = buf;
    *out_len = len;
    return true;
}
