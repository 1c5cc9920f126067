/* A growable byte buffer. An allocation failure is sticky: later appends are
 * no-ops and `failed` stays set, so writers check once at the end. */
#ifndef TJ_BUF_H
#define TJ_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tj_buf {
    char *data;   /* NUL-terminated while !failed */
    size_t len;
    size_t cap;
    bool failed;
} tj_buf;

#include <string.h>

/* Appends that fit the room left (the common case) are inline; the rest
 * (growing, a failed buffer) goes through tj_buf_put_slow. */
void tj_buf_put_slow(tj_buf *b, const char *s, size_t n);

static inline void tj_buf_put(tj_buf *b, const char *s, size_t n)
{
    if (!b->failed && b->len + n < b->cap) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else {
        tj_buf_put_slow(b, s, n);
    }
}

static inline void tj_buf_putc(tj_buf *b, char c)
{
    if (!b->failed && b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
    } else {
        tj_buf_put_slow(b, &c, 1);
    }
}

static inline void tj_buf_puts(tj_buf *b, const char *s) { tj_buf_put(b, s, strlen(s)); }
void tj_buf_printf(tj_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the contents to the caller (NULL if an append failed); the buffer is reset. */
char *tj_buf_take(tj_buf *b, size_t *len);
void tj_buf_free(tj_buf *b);

#endif
