/*
 * test_date.c - the dates of messages as the command reads them
 * (src/cli/date.c over sx_date_parse()): RFC 5322 dates with and
 * without the day name, seconds and zone, obsolete zone names,
 * two-digit years, leap days, and what is not a date.
 */
#include <time.h>

#include "../../src/cli/cli.h"
#include "unit.h"

static time_t at(const char *s, int *off)
{
    return (cli_date_parse(s, off));
}

static void test_dates(void)
{
    int     off;

    CU_ASSERT_EQUAL(at("Thu, 29 Apr 2009 23:45:33 +0900", &off), 1241016333);
    CU_ASSERT_EQUAL(off, 540);
    CU_ASSERT_EQUAL(at("29 Apr 2009 23:45:33 -0130", &off), 1241054133);
    CU_ASSERT_EQUAL(off, -90);
    /* No seconds, no zone; an obsolete zone name is UTC. */
    CU_ASSERT_EQUAL(at("1 Jan 1970 00:01", &off), 60);
    CU_ASSERT_EQUAL(off, 0);
    CU_ASSERT_EQUAL(at("Mon, 3 Mar 2025 09:12:40 GMT", &off), 1740993160);
    CU_ASSERT_EQUAL(at("1 Jan 2000 00:00:00 EST", &off), 946702800);
    CU_ASSERT_EQUAL(off, -300);
    /* Zeros before the day, as one list server writes it. */
    CU_ASSERT_EQUAL(at("Tue, 029 Apr 2019 23:34:45 -0800 (PST)", &off), 1556609685);
    CU_ASSERT_EQUAL(off, -480);
    CU_ASSERT_EQUAL(at("Mon, 3 Mar 2025 09:12:40 +0000 (UTC)", &off), 1740993160);
    /* Two-digit years: below 50 in this century, else the last. */
    CU_ASSERT_EQUAL(at("1 Jan 01 00:00:00 +0000", &off), 978307200);
    CU_ASSERT_EQUAL(at("1 Jan 99 00:00:00 +0000", &off), 915148800);
    /* Leap days. */
    CU_ASSERT_EQUAL(at("29 Feb 2024 00:00:00 +0000", &off), 1709164800);
    CU_ASSERT_EQUAL(at("31 Dec 9999 23:59:59 +0000", &off), 253402300799);
}

static void test_not_dates(void)
{
    int     off = 7;

    CU_ASSERT_EQUAL(at("", &off), 0);
    CU_ASSERT_EQUAL(off, 0);
    CU_ASSERT_EQUAL(at("Monday", &off), 0);
    CU_ASSERT_EQUAL(at("29 Sept 2009 10:00", &off), 0);
    CU_ASSERT_EQUAL(at("29 Foo 2009 10:00", &off), 0);
    CU_ASSERT_EQUAL(at("29 Apr 1969 10:00", &off), 0);
    CU_ASSERT_EQUAL(at("32 Apr 2009 10:00", &off), 0);
    CU_ASSERT_EQUAL(at("29 Apr 2009 24:00", &off), 0);
    CU_ASSERT_EQUAL(at("29 Apr 2009 -1:00", &off), 0);
    CU_ASSERT_EQUAL(at("29 Apr 2009 10", &off), 0);
    CU_ASSERT_EQUAL(at("29 Apr 99999999999999999999 10:00", &off), 0);
    CU_ASSERT_EQUAL(at("31 Feb 2023 00:00:00 +0000", &off), 0);
    CU_ASSERT_EQUAL(at("29 Feb 2023 00:00:00 +0000", &off), 0);
    /* A zone that is not a sign and four digits spoils the date. */
    CU_ASSERT_EQUAL(at("29 Apr 2009 10:00 +09", &off), 0);
    CU_ASSERT_EQUAL(off, 0);
}

static void test_months(void)
{
    CU_ASSERT_EQUAL(cli_month_index("jan"), 0);
    CU_ASSERT_EQUAL(cli_month_index("DEC"), 11);
    CU_ASSERT_EQUAL(cli_month_index("Ma"), -1);
}

static CU_TestInfo tests[] = {
    {"RFC 5322 dates", test_dates},
    {"what is not a date", test_not_dates},
    {"month names", test_months},
    CU_TEST_INFO_NULL,
};

SX_SUITE(date, tests, 0, 0)
