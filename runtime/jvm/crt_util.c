/* chronon_runtime: strings, UTF-8/UTF-16, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crt_internal.h"

bool crt_str_add(crt_str *s, const char *text, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *p = realloc(s->p, cap);
        if (!p)
            return false;
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->len, text, n);
    s->len += n;
    s->p[s->len] = '\0';
    return true;
}

bool crt_str_adds(crt_str *s, const char *text)
{
    return crt_str_add(s, text, strlen(text));
}

char *crt_vsprintf(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

char *crt_sprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = crt_vsprintf(fmt, ap);
    va_end(ap);
    return s;
}

bool crt_str_addf(crt_str *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *tmp = crt_vsprintf(fmt, ap);
    va_end(ap);
    bool ok = tmp && crt_str_add(s, tmp, strlen(tmp));
    free(tmp);
    return ok;
}

void crt_str_free(crt_str *s)
{
    free(s->p);
    s->p = NULL;
    s->len = s->cap = 0;
}

char *crt_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *crt_strdup(const char *s)
{
    return s ? crt_strndup(s, strlen(s)) : NULL;
}

void crt_copy_trunc(char *dst, size_t cap, const char *src)
{
    if (cap == 0)
        return;
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void crt_error_clear(crt_error *err)
{
    if (!err)
        return;
    err->status = CRT_OK;
    err->message[0] = err->java_class[0] = err->cause[0] = err->java_where[0] = '\0';
}

crt_status crt_fail(crt_error *err, crt_status status, const char *fmt, ...)
{
    if (err) {
        crt_error_clear(err);
        err->status = status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

void crt_error_print(const crt_error *err, FILE *out)
{
    if (!err || err->status == CRT_OK)
        return;
    if (err->status == CRT_ERR_JAVA && err->java_class[0])
        fprintf(out, "error: %s: %s\n", err->java_class, err->message);
    else
        fprintf(out, "error: %s\n", err->message);
    const char *c = err->cause;
    while (*c) {
        const char *nl = strchr(c, '\n');
        size_t n = nl ? (size_t)(nl - c) : strlen(c);
        fprintf(out, "  caused by: %.*s\n", (int)n, c);
        c += n + (nl ? 1 : 0);
    }
}

/* ---- UTF-8 <-> UTF-16 ----------------------------------------------------- */

/* Decode one UTF-8 character at s[0..n); returns its length (>= 1) and the
 * code point, U+FFFD for an invalid or overlong sequence. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned min;
    if ((c & 0xE0) == 0xC0) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return i;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    *cp = c;
    return len;
}

bool crt_utf8_to_utf16(const char *s, size_t n, jchar **out, size_t *outlen)
{
    jchar *buf = malloc((n + 1) * sizeof *buf); /* never more units than bytes */
    if (!buf)
        return false;
    size_t k = 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += utf8_decode(u + i, n - i, &cp);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            buf[k++] = (jchar)(0xD800 + (cp >> 10));
            buf[k++] = (jchar)(0xDC00 + (cp & 0x3FF));
        } else {
            buf[k++] = (jchar)cp;
        }
    }
    *out = buf;
    *outlen = k;
    return true;
}

char *crt_utf16_to_utf8(const jchar *s, size_t n)
{
    char *buf = malloc(n * 3 + 1);
    if (!buf)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned cp = s[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp < 0x80) {
            buf[k++] = (char)cp;
        } else if (cp < 0x800) {
            buf[k++] = (char)(0xC0 | (cp >> 6));
            buf[k++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            buf[k++] = (char)(0xE0 | (cp >> 12));
            buf[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            buf[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            buf[k++] = (char)(0xF0 | (cp >> 18));
            buf[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            buf[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            buf[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    buf[k] = '\0';
    return buf;
}

/* Seconds since this process started, from /proc (the kernel's start time in
 * clock ticks since boot against the uptime): the bench's start-up split
 * counts the exec and the dynamic loader too, which a clock read in main
 * would miss. -1 where /proc is not there. */
static double seconds_since_process_start(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f)
        return -1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* Field 22 (starttime) counts from after the ')' that ends field 2. */
    char *p = strrchr(buf, ')');
    unsigned long long start = 0;
    for (int field = 2; p && field < 22; field++)
        p = strchr(p + 1, ' ');
    if (!p || sscanf(p + 1, "%llu", &start) != 1)
        return -1;
    f = fopen("/proc/uptime", "r");
    double up = -1;
    if (f) {
        if (fscanf(f, "%lf", &up) != 1)
            up = -1;
        fclose(f);
    }
    long hz = sysconf(_SC_CLK_TCK);
    return up < 0 || hz <= 0 ? -1 : up - (double)start / (double)hz;
}

void crt_trace(const char *event)
{
    const char *on = getenv("CHRONON_TRACE");
    if (!on || !*on || strcmp(on, "0") == 0)
        return;
    fprintf(stderr, "chronon-trace: %.2f s %s\n", seconds_since_process_start(), event);
}
