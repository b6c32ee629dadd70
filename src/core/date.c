/*
 * NAME
 *	date 3
 * SUMMARY
 *	RFC 5322 dates and durations
 * DESCRIPTION
 *	See date(3h). The calendar is the proleptic Gregorian one, counted
 *	in days from 1970-01-01 with 64-bit integers: no time_t, no
 *	timegm(), no locale, no time zone database.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/date.h>

#define SX_DATE_YEAR_MIN 1900
#define SX_DATE_YEAR_MAX 9999

/* A date as written: civil fields and the zone offset in minutes. */
struct sx_date {
    int     year, month, day;		/* month 1-12 */
    int     hour, min, sec;
    int     zone;			/* minutes east of UTC */
    int     zone_known;			/* 0: "-0000" */
};

static const char sx_date_months[12][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char sx_date_wdays[7][4] = {
    "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed",	/* day 0: Thursday */
};

/* RFC 5322 4.3, obs-zone: the names and their offsets in hours. */
static const struct {
    const char *name;
    int     hours;
} sx_date_zones[] = {
    {"UT", 0}, {"GMT", 0}, {"EST", -5}, {"EDT", -4}, {"CST", -6},
    {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
};

/* Days from 1970-01-01 to a civil date (H. Hinnant's days_from_civil). */
static long long sx_date_days(long long y, int m, int d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468);
}

/* The civil date of a day count (civil_from_days). */
static void sx_date_civil(long long z, long long *y, int *m, int *d)
{
    long long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int) (doy - (153 * mp + 2) / 5 + 1);
    *m = (int) (mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int sx_date_leap(int y)
{
    return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int sx_date_mdays(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return (days[m - 1] + (m == 2 && sx_date_leap(y)));
}

/* Skip white space and comments (not nested more than one deep). */
static const char *sx_date_cfws(const char *p)
{
    for (;;) {
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
	    p++;
	if (*p != '(')
	    return (p);
	while (*p && *p != ')')
	    p++;
	if (*p == ')')
	    p++;
    }
}

/* At most max digits into *out; their count (0: none). */
static int sx_date_digits(const char **pp, int max, int *out)
{
    const char *p = *pp;
    int     n = 0, v = 0;

    while (*p >= '0' && *p <= '9' && n < max) {
	v = v * 10 + (*p++ - '0');
	n++;
    }
    if (*p >= '0' && *p <= '9')
	return (0);			/* more digits than the field has */
    *pp = p;
    *out = v;
    return (n);
}

/* Letters at p, up to max, copied into buf; their count. */
static size_t sx_date_word(const char **pp, char *buf, size_t max)
{
    const char *p = *pp;
    size_t  n = 0;

    while (((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) && n < max)
	buf[n++] = *p++;
    buf[n] = 0;
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
	return (0);
    *pp = p;
    return (n);
}

/* The zone: +hhmm, -hhmm, or an obsolete name. */
static int sx_date_zone(const char *p, struct sx_date *dt)
{
    char    word[8];
    size_t  i;
    int     sign, v;

    if (*p == '+' || *p == '-') {
	sign = *p++ == '-' ? -1 : 1;
	if (sx_date_digits(&p, 4, &v) != 4 || v % 100 > 59)
	    return (0);
	dt->zone = sign * (v / 100 * 60 + v % 100);
	dt->zone_known = !(sign < 0 && v == 0);
	return (1);
    }
    if (sx_date_word(&p, word, sizeof(word) - 1) == 0)
	return (0);
    dt->zone = 0;
    dt->zone_known = 0;			/* military and unknown: "-0000" */
    for (i = 0; i < sizeof(sx_date_zones) / sizeof(sx_date_zones[0]); i++) {
	if (strcasecmp(word, sx_date_zones[i].name) == 0) {
	    dt->zone = sx_date_zones[i].hours * 60;
	    dt->zone_known = 1;
	}
    }
    return (1);
}

/* sx_date_read - an RFC 5322 date-time; 1 when it is one */

static int sx_date_read(const char *p, struct sx_date *dt)
{
    char    word[16];
    int     n, i;

    memset(dt, 0, sizeof(*dt));
    p = sx_date_cfws(p);
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
	if (sx_date_word(&p, word, sizeof(word) - 1) == 0)
	    return (0);
	p = sx_date_cfws(p);
	if (*p++ != ',')
	    return (0);
	p = sx_date_cfws(p);
    }
    /* Zeros before the day are seen in the wild ("Tue, 029 Apr 2019"). */
    while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
	p++;
    if (sx_date_digits(&p, 2, &dt->day) == 0)
	return (0);
    p = sx_date_cfws(p);
    if (sx_date_word(&p, word, 3) != 3)
	return (0);
    for (i = 0; i < 12 && strcasecmp(word, sx_date_months[i]) != 0; i++)
	 /* void */ ;
    if (i == 12)
	return (0);
    dt->month = i + 1;
    p = sx_date_cfws(p);
    if ((n = sx_date_digits(&p, 4, &dt->year)) < 2)
	return (0);
    if (n == 2)
	dt->year += dt->year < 50 ? 2000 : 1900;
    else if (n == 3)
	dt->year += 1900;
    p = sx_date_cfws(p);
    if (sx_date_digits(&p, 2, &dt->hour) == 0)
	return (0);
    p = sx_date_cfws(p);
    if (*p++ != ':')
	return (0);
    p = sx_date_cfws(p);
    if (sx_date_digits(&p, 2, &dt->min) == 0)
	return (0);
    p = sx_date_cfws(p);
    if (*p == ':') {
	p = sx_date_cfws(p + 1);
	if (sx_date_digits(&p, 2, &dt->sec) == 0)
	    return (0);
	p = sx_date_cfws(p);
    }
    /* No zone at all: no information, as "-0000" says. */
    if (*p != 0 && !sx_date_zone(p, dt))
	return (0);
    return (dt->year >= SX_DATE_YEAR_MIN && dt->year <= SX_DATE_YEAR_MAX
	    && dt->day >= 1 && dt->day <= sx_date_mdays(dt->year, dt->month)
	    && dt->hour <= 23 && dt->min <= 59 && dt->sec <= 60);
}

/* sx_date_parse - the time a date names, and its zone */

int     sx_date_parse(const char *date, long long *utc, int *zone)
{
    struct sx_date dt;

    if (date == 0 || !sx_date_read(date, &dt))
	return (0);
    *utc = sx_date_days(dt.year, dt.month, dt.day) * 86400LL
	+ dt.hour * 3600LL + dt.min * 60LL + dt.sec - dt.zone * 60LL;
    *zone = dt.zone;
    return (1);
}

/* sx_date_add - date plus seconds, in the date's own zone */

int     sx_date_add(const char *date, unsigned seconds, char *out, size_t size)
{
    struct sx_date dt;
    long long t, days, year;
    int     month, day, secs, zone, n;

    if (size > 0)
	out[0] = 0;
    if (date == 0 || !sx_date_read(date, &dt))
	return (0);
    /* The wall clock of the zone: adding to it is adding to UTC. */
    t = sx_date_days(dt.year, dt.month, dt.day) * 86400LL
	+ dt.hour * 3600LL + dt.min * 60LL + dt.sec + seconds;
    days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    secs = (int) (t - days * 86400);
    sx_date_civil(days, &year, &month, &day);
    if (year > SX_DATE_YEAR_MAX)
	return (0);
    zone = dt.zone < 0 ? -dt.zone : dt.zone;
    n = snprintf(out, size, "%s, %d %s %lld %02d:%02d:%02d %c%02d%02d",
		 sx_date_wdays[((days % 7) + 7) % 7], day,
		 sx_date_months[month - 1], year, secs / 3600, secs / 60 % 60,
		 secs % 60, dt.zone < 0 || !dt.zone_known ? '-' : '+',
		 zone / 60, zone % 60);
    if (n < 0 || (size_t) n >= size) {
	if (size > 0)
	    out[0] = 0;
	return (0);
    }
    return (1);
}

/* sx_date_duration - "5d", "120h", "3600s", "7200" (days) */

int     sx_date_duration(const char *text, unsigned *seconds)
{
    unsigned long long v = 0, unit = 86400;
    const char *p = text;

    if (*p == 0) {
	*seconds = 0;
	return (1);
    }
    if (*p < '0' || *p > '9')
	return (0);
    for (; *p >= '0' && *p <= '9'; p++)
	if ((v = v * 10 + (unsigned) (*p - '0')) > SX_DATE_DURATION_MAX)
	    return (0);
    switch (*p) {
    case 0:
	break;
    case 's':
	unit = 1;
	break;
    case 'm':
	unit = 60;
	break;
    case 'h':
	unit = 3600;
	break;
    case 'd':
	unit = 86400;
	break;
    case 'w':
	unit = 7 * 86400;
	break;
    default:
	return (0);
    }
    if (*p != 0 && p[1] != 0)
	return (0);
    if (v * unit > SX_DATE_DURATION_MAX)
	return (0);
    *seconds = (unsigned) (v * unit);
    return (1);
}
