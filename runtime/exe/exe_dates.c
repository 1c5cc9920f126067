/* Partition dates: parse, shift, format (proleptic Gregorian, no time zones). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exe_internal.h"

/* days_from_civil / civil_from_days, after H. Hinnant's algorithms. */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool cexe_date_parse(const char *text, cexe_date *out)
{
    if (!text)
        return false;
    size_t n = strlen(text);
    int y, m, d;
    bool dashed;
    if (n == 8 && digits(text, 8)) {
        y = num(text, 4), m = num(text + 4, 2), d = num(text + 6, 2);
        dashed = false;
    } else if (n == 10 && digits(text, 4) && text[4] == '-' && digits(text + 5, 2) && text[7] == '-' &&
               digits(text + 8, 2)) {
        y = num(text, 4), m = num(text + 5, 2), d = num(text + 8, 2);
        dashed = true;
    } else {
        return false;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return false;
    out->days = days_from_civil(y, m, d);
    out->dashed = dashed;
    return true;
}

void cexe_date_format(cexe_date d, char out[CEXE_DATE_MAX])
{
    long y;
    int m, day;
    civil_from_days(d.days, &y, &m, &day);
    if (y < 1 || y > 9999)
        y = y < 1 ? 1 : 9999; /* only reached by absurd shifts; keeps 4 digits */
    snprintf(out, CEXE_DATE_MAX, d.dashed ? "%04ld-%02d-%02d" : "%04ld%02d%02d", y, m, day);
}

bool cexe_today(cexe_date *out)
{
    const char *fixed = getenv("CHRONON_TODAY");
    if (fixed && *fixed)
        return cexe_date_parse(fixed, out);
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return false;
    out->days = days_from_civil(tm.tm_year + 1900L, tm.tm_mon + 1, tm.tm_mday);
    out->dashed = false;
    return true;
}

bool cexe_date_shift(const char *text, long delta, char out[CEXE_DATE_MAX])
{
    cexe_date d;
    if (!cexe_date_parse(text, &d))
        return false;
    d.days += delta;
    cexe_date_format(d, out);
    return true;
}
