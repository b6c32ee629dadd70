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
 *	cli_date_parse() reads a message's Date: value with the library's
 *	reader of RFC 5322 dates (sx_date_parse()) and returns the time,
 *	with the zone's offset in minutes east of UTC in *tzoff; 0 when it
 *	is not a date, or one before 1970.
 *
 *	cli_month_index() is the month number (0-11) of a three-letter
 *	English name, any case, or -1 (the dates of mbox From_ lines).
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include <smtp-explain/date.h>

#include "cli.h"

time_t  cli_date_parse(const char *s, int *tzoff)
{
    long long t;
    int     zone;

    *tzoff = 0;
    if (!sx_date_parse(s, &t, &zone) || t <= 0)
	return (0);
    *tzoff = zone;
    return ((time_t) t);
}

int     cli_month_index(const char *p)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int     m;

    for (m = 0; m < 12; m++)
	if (strncasecmp(p, names + 3 * m, 3) == 0)
	    return (m);
    return (-1);
}
