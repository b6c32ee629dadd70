/*
 * test_thread.c - the id a report's In-Reply-To and References name
 * (sx_report_thread_id): the returned message's Message-ID, only when
 * the report has neither header, and only a plain msg-id, since the id
 * is text from the remote side.
 */
#include <stdio.h>
#include <string.h>

#include <smtp-explain/reader.h>
#include <smtp-explain/report.h>

#include "unit.h"

static int thread_id(const char *orig, int threaded, char *out, size_t size)
{
    struct sx_message m;
    size_t  n = strlen(orig);

    memset(&m, 0, sizeof(m));
    if (n >= sizeof(m.orig_message_id))
	n = sizeof(m.orig_message_id) - 1;
    memcpy(m.orig_message_id, orig, n);
    m.orig_message_id[n] = 0;
    m.threaded = threaded;
    return (sx_report_thread_id(&m, out, size));
}

static void test_plain_ids(void)
{
    char    out[300];

    CU_ASSERT(thread_id("<a.b@example.net>", 0, out, sizeof(out)));
    CU_ASSERT_STRING_EQUAL(out, "<a.b@example.net>");
    CU_ASSERT(thread_id(" <x$1@[192.0.2.1]> ", 0, out, sizeof(out)));
    CU_ASSERT_STRING_EQUAL(out, "<x$1@[192.0.2.1]>");
    /* The report already says what it answers. */
    CU_ASSERT_FALSE(thread_id("<a.b@example.net>", 1, out, sizeof(out)));
    /* No id, or too small a buffer. */
    CU_ASSERT_FALSE(thread_id("", 0, out, sizeof(out)));
    CU_ASSERT_FALSE(thread_id("<a.b@example.net>", 0, out, 10));
}

static void test_hostile_ids(void)
{
    static const char *bad[] = {
	"a.b@example.net",		/* no angle brackets */
	"<a.b example.net>",		/* no @, a space */
	"<@example.net>",		/* nothing left of @ */
	"<a.b@>",			/* nothing right of @ */
	"<a b@example.net>",		/* white space */
	"<a@b>\r\nBcc: x@y",		/* a second header */
	"<a@b>, <c@d>",			/* more than one id */
	"<a<b@example.net>",		/* a bracket inside */
	"<a\x7f@example.net>",		/* DEL */
	"<\xc3\xa9@example.net>",	/* 8-bit */
    };
    char    out[300], longid[300];
    size_t  i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
	CU_ASSERT_FALSE(thread_id(bad[i], 0, out, sizeof(out)));
    }
    /* At most 250 bytes. */
    memset(longid, 'a', sizeof(longid));
    longid[0] = '<';
    memcpy(longid + 240, "@example.net>", 14);
    CU_ASSERT_FALSE(thread_id(longid, 0, out, sizeof(out)));
    memcpy(longid + 200, "@example.net>", 14);
    CU_ASSERT(thread_id(longid, 0, out, sizeof(out)));
}

static void test_reader_sees_threading(void)
{
    static const char with[] = "From: MAILER-DAEMON@example.net\n"
	"In-Reply-To: <orig@example.org>\nSubject: Undelivered\n\ntext\n";
    static const char without[] = "From: MAILER-DAEMON@example.net\n"
	"Subject: Undelivered\n\ntext\n";
    struct sx_reader *r;

    CU_ASSERT_PTR_NOT_NULL_FATAL(r = sx_reader_new(0));
    CU_ASSERT_EQUAL(sx_reader_push(r, with, sizeof(with) - 1), SX_OK);
    CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
    CU_ASSERT(sx_reader_message(r)->threaded);
    sx_reader_free(r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r = sx_reader_new(0));
    CU_ASSERT_EQUAL(sx_reader_push(r, without, sizeof(without) - 1), SX_OK);
    CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
    CU_ASSERT_FALSE(sx_reader_message(r)->threaded);
    sx_reader_free(r);
}

static CU_TestInfo tests[] = {
    {"the returned message's id", test_plain_ids},
    {"ids a stranger wrote to inject", test_hostile_ids},
    {"the report's own In-Reply-To is seen", test_reader_sees_threading},
    CU_TEST_INFO_NULL,
};

SX_SUITE(thread, tests, 0, 0)
