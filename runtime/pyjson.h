/* Python's json module, as far as Chronon's configs need it: what
 * json.dumps(..., indent=2) writes for a float and for a string (ensure_ascii),
 * and the base64 that Thrift's simple JSON uses for binary. */
#ifndef PYJSON_H
#define PYJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tj_buf.h"

/* repr(x) for a finite double: shortest round-trip digits, fixed notation for
 * decimal exponents -4..15, otherwise d.ddde+XX ("1e-05", "1e+16", "0.1",
 * "100.0", "-0.0", "5e-324"). Writes a NUL-terminated string of at most 31
 * characters into out and returns its length. */
size_t pyjson_format_double(double x, char out[32]);

/* Append json.dumps(s) for the UTF-8 string s[0..n): quotes, \" \\ \b \f \n \r
 * \t, other code points below 0x20 and from 0x7f up as \uXXXX (lowercase hex,
 * surrogate pairs above U+FFFF). Returns false, appending nothing, if s is not
 * valid UTF-8 (overlongs, surrogates and values above U+10FFFF are invalid). */
bool pyjson_put_string(tj_buf *b, const char *s, size_t n);

/* Validate UTF-8 as pyjson_put_string does. */
bool pyjson_utf8_valid(const char *s, size_t n);

/* Standard base64 with padding (Python's base64.b64encode). */
void pyjson_base64_encode(tj_buf *b, const uint8_t *data, size_t n);

/* Strict decode: length a multiple of 4, alphabet A-Z a-z 0-9 + /, '=' only as
 * final padding. *out is malloc'd (non-NULL even for empty input). Returns false
 * on bad input or no memory (*out untouched). */
bool pyjson_base64_decode(const char *s, size_t n, uint8_t **out, size_t *out_len);

#endif
