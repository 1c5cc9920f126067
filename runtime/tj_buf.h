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

void tj_buf_put(tj_buf *b, const char *s, size_t n);
void tj_buf_puts(tj_buf *b, const char *s);
void tj_buf_putc(tj_buf *b, char c);
void tj_buf_printf(tj_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the contents to the caller (NULL if an append failed); the buffer is reset. */
char *tj_buf_take(tj_buf *b, size_t *len);
void tj_buf_free(tj_buf *b);

#endif
