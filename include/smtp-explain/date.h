/*
 * NAME
 *	date 3h
 * SUMMARY
 *	RFC 5322 dates and durations
 * SYNOPSIS
 *	#include <smtp-explain/date.h>
 *
 *	int	sx_date_parse(const char *date, long long *utc, int *zone);
 *	int	sx_date_add(const char *date, unsigned seconds,
 *				char *out, size_t size);
 *	int	sx_date_duration(const char *text, unsigned *seconds);
 * DESCRIPTION
 *	sx_date_parse() reads date, an RFC 5322 date-time as a report or a
 *	message writes it ("Tue, 10 Mar 2026 09:13:58 +0100 (CET)"; the
 *	day name, the seconds, the zone and a trailing comment are
 *	optional; two- and three-digit years and the obsolete zone names
 *	of RFC 5322 section 4.3 are read; no zone, a military letter or an
 *	unknown name is "-0000", no information, read as UTC), and gives
 *	the time in seconds since 1970-01-01 UTC in *utc and the zone's
 *	offset in minutes east of UTC in *zone.
 *
 *	sx_date_add() reads date as sx_date_parse() does, adds seconds,
 *	and writes the result into out in the same
 *	zone offset, as "Fri, 13 Mar 2026 09:13:58 +0100" ("-0000" when
 *	the zone was a military letter or unknown, which RFC 5322 says
 *	means no information). One pass over date; nothing is allocated.
 *
 *	sx_date_duration() reads a duration as Postfix writes its time
 *	settings: digits and one unit, s, m, h, d or w (days when there
 *	is none), at most SX_DATE_DURATION_MAX seconds; "" is 0.
 * DIAGNOSTICS
 *	sx_date_parse() returns 1 when date is a date it reads, else 0.
 *	sx_date_add() returns 1 when out holds a date, 0 when date is not
 *	one it reads, a field is out of range, the result is past the
 *	year 9999, or out is too small (out is then ""). sx_date_duration()
 *	returns 1 when the text is a duration, else 0.
 */
#ifndef SX_DATE_H
#define SX_DATE_H

#include <stddef.h>

#define SX_DATE_DURATION_MAX 8640000u	/* 100 days, Postfix's own limit */

extern int sx_date_parse(const char *, long long *, int *);
extern int sx_date_add(const char *, unsigned, char *, size_t);
extern int sx_date_duration(const char *, unsigned *);

#endif
