#ifndef STR_PRINTF_H
#define STR_PRINTF_H

/* A malloc'd string formatted as printf would; NULL when out of memory. */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
