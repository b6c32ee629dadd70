/*
 * NAME
 *	date 3
 * SUMMARY
 *	the dates of messages
 * SYNOPSIS
 *	#include "cli.h"
 *
 *	time_t	cli_date_parse(const char *s, int *tzoff);
 *	int	cli_month_index(const char *p);
 * DESCRIPTION
 *	cli_date_parse() reads an RFC 5322 date ("Thu, 29 Apr 2009 23:45:33
 *	+0900", the day name and the seconds optional, obsolete zone names
 *	read as UTC) and returns the time, with the zone's offset in
 *	minutes east of UTC in *tzoff; 0 when it is not a date. A day past
 *	the month's end runs into the next month, as mktime() would have
 *	it. It is asked once per message: a small reader of its own, not
 *	sscanf() and timegm().
 *
 *	cli_month_index() is the month number (0-11) of a three-letter
 *	English name, any case, or -1.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"

/* cli_month_index - month number (0-11) of a three-letter English name, or -1 */

int     cli_month_index(const char *p)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int     m;

    for (m = 0; m < 12; m++)
	if (strncasecmp(p, names + 3 * m, 3) == 0)
	    return (m);
    return (-1);
}

/* cli_num - an optionally signed decimal after white space, as %d reads it */

static int cli_num(const char **pp, int *out)
{
    const char *p = *pp;
    long    v = 0;
    int     neg = 0, digits = 0;

    while (isspace((unsigned char) *p))
	p++;
    if (*p == '+' || *p == '-')
	neg = (*p++ == '-');
    for (; *p >= '0' && *p <= '9'; p++, digits++)
	if (v < 1000000)
	    v = v * 10 + (*p - '0');	/* beyond any field's range: kept out */
    if (digits == 0)
	return (0);
    *out = (int) (neg ? -v : v);
    *pp = p;
    return (1);
}

/* cli_days - days from 1970-01-01 to a date (month 0-11; day may run over) */

static long cli_days(int year, int mon, int day)
{
    long    y = year - (mon < 2), era, yoe, doy, doe;
    int     m = mon + 1;

    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468);
}

time_t  cli_date_parse(const char *s, int *tzoff)
{
    char    mon[4];
    int     day, year, h, m, sec = 0, off = 0, k;
    const char *p = s, *z;

    *tzoff = 0;
    while (*p == ' ' || *p == '\t')
	p++;
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
	if ((p = strchr(p, ',')) == 0)
	    return (0);
	p++;
    }
    /* "29 Apr 2009 23:45[:33] [+0900]": day, month name, year, time, zone. */
    if (!cli_num(&p, &day))
	return (0);
    while (isspace((unsigned char) *p))
	p++;
    for (k = 0; k < 3 && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')); k++)
	mon[k] = *p++;
    mon[k] = 0;
    if (k == 0 || !cli_num(&p, &year) || !cli_num(&p, &h) || *p++ != ':'
	|| !cli_num(&p, &m))
	return (0);
    if (*p == ':') {
	z = p + 1;
	if (cli_num(&z, &sec))
	    p = z;
    }
    /* A zone is a word of exactly five bytes: a sign and four digits. */
    while (isspace((unsigned char) *p))
	p++;
    for (z = p; *z && !isspace((unsigned char) *z); z++)
	 /* void */ ;
    if (z - p == 5 && (p[0] == '+' || p[0] == '-')
	&& strspn(p + 1, "0123456789") >= 4) {
	off = ((p[1] - '0') * 10 + p[2] - '0') * 60 + (p[3] - '0') * 10 + p[4] - '0';
	if (p[0] == '-')
	    off = -off;
    }
    if (year < 50)
	year += 2000;
    else if (year < 1000)
	year += 1900;
    if (cli_month_index(mon) < 0 || year < 1970 || year > 9999
	|| day < 1 || day > 31 || h < 0 || h > 23 || m < 0 || m > 59
	|| sec < 0 || sec > 60)
	return (0);
    *tzoff = off;
    return ((time_t) cli_days(year, cli_month_index(mon), day) * 86400
	    + h * 3600 + m * 60 + sec - (time_t) off * 60);
}
