/*
 * test_reply.c - the reply parser on the forms replies are met in.
 */
#include <string.h>

#include <smtp-explain/reply.h>

#include "unit.h"

static const struct {
    const char *in;
    int     code;
    const char *status;
    const char *command;
    const char *text;
    unsigned flags;
}       cases[] = {
    {"550 5.1.1 User unknown", 550, "5.1.1", "", "User unknown", 0},
    {"550-5.1.1 The email account does not exist. 550 5.1.1 Please check",
	550, "5.1.1", "", "The email account does not exist. Please check", 0},
    {"smtp; 550 5.7.26 unauthenticated", 550, "5.7.26", "", "unauthenticated", 0},
    {"X-Postfix; host mx.example.net[192.0.2.1] said: 452 4.2.2 Mailbox full "
	"(in reply to RCPT TO command)", 452, "4.2.2", "RCPT", 0, 0},
    {"SMTP error from remote mail server after RCPT TO:<a@example.org>: "
	"550 No such user", 550, "", "RCPT", 0, 0},
    {"Sorry, no mailbox here by that name. (#5.1.1)", 0, "5.1.1", "", 0, 0},
    {"421 5.7.32 odd class", 421, "5.7.32", "", 0, SX_FINDING_CLASS_MISMATCH},
    {"x-unix; procmail: No such user", 0, "", "", 0, 0},
    {"connect to 192.0.2.5.1.1: timeout after 300 seconds", 0, "", "", 0, 0},
    {"host 10.5.1.1 said: 554 denied", 554, "", "", 0, 0},
    {"Status: 2.0.0 then 5.2.2 quota", 0, "5.2.2", "", 0, 0},
    {"", 0, "", "", "", 0},
    {"250 2.1.5 Ok", 250, "2.1.5", "", "Ok", 0},
    {"#550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found ##", 550, "5.1.10", "", 0, 0},
    {"size 5000000 exceeds the limit", 0, "", "", 0, 0},
};

static void test_reply_table(void)
{
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	struct sx_reply r;

	sx_reply_parse(cases[i].in, strlen(cases[i].in), &r);
	CU_ASSERT_EQUAL(r.replycode, cases[i].code);
	CU_ASSERT_STRING_EQUAL(r.status, cases[i].status);
	CU_ASSERT_STRING_EQUAL(r.command, cases[i].command);
	if (cases[i].text)
	    CU_ASSERT_STRING_EQUAL(r.text, cases[i].text);
	CU_ASSERT_EQUAL(r.flags & SX_FINDING_CLASS_MISMATCH, cases[i].flags);
	if (r.replycode != cases[i].code || strcmp(r.status, cases[i].status))
	    fprintf(stderr, "\n  reply case %zu: \"%s\" -> %d \"%s\"\n", i,
		    cases[i].in, r.replycode, r.status);
    }
}

static void test_reply_hostile(void)
{
    struct sx_reply r;
    char    big[5000];
    const char nul[] = "550 5.1.1 bad\0\r\ninjected: yes";

    memset(big, '5', sizeof(big));
    sx_reply_parse(big, sizeof(big), &r);
    CU_ASSERT(strlen(r.text) < sizeof(r.text));
    sx_reply_parse(nul, sizeof(nul) - 1, &r);
    CU_ASSERT_EQUAL(r.replycode, 550);
    CU_ASSERT_PTR_NULL(strchr(r.text, '\r'));
    CU_ASSERT_PTR_NULL(strchr(r.text, '\n'));
}

static void test_status_valid(void)
{
    CU_ASSERT_TRUE(sx_status_valid("5.7.26", 6));
    CU_ASSERT_TRUE(sx_status_valid("4.7.500", 7));
    CU_ASSERT_FALSE(sx_status_valid("5.7", 3));
    /* A status that says no more than its class: a summary. */
    CU_ASSERT_TRUE(sx_status_summary("5.0.0"));
    CU_ASSERT_TRUE(sx_status_summary("4.0.0"));
    CU_ASSERT_FALSE(sx_status_summary("5.1.0"));
    CU_ASSERT_FALSE(sx_status_summary("5.0.00"));
    CU_ASSERT_FALSE(sx_status_summary(""));
    CU_ASSERT_FALSE(sx_status_valid("3.1.1", 5));
    CU_ASSERT_FALSE(sx_status_valid("5.1234.1", 8));
    CU_ASSERT_FALSE(sx_status_valid("5.1.1x", 6));
}

/* The command a transcript shows each reply answered. */

static void test_transcript_command(void)
{
    static const char t1[] =
	"... while talking to mx.example.org.:\n"
	">>> MAIL From:<a@example.net>\n"
	"<<< 250 ok\n"
	">>> RCPT To:<b@example.org>\n"
	"<<< 250 ok\n"
	">>> DATA\n"
	"<<< 550 5.7.1 <b@example.org>: Recipient address rejected\n"
	"554 5.0.0 Service unavailable\n";
    static const char t2[] =
	">>> RCPT To:<c@example.org>\n"
	"<<< 550 No such user\n"
	"\n"
	">>> DATA\n"
	"<<< 554 5.7.0 Message refused\n";
    static const char t3[] = "no transcript here: 550 b@example.org unknown\n";
    char    cmd[16];

    CU_ASSERT_TRUE(sx_reply_transcript_command(t1, sizeof(t1) - 1, "b@example.org",
					       "", cmd, sizeof(cmd)));
    CU_ASSERT_STRING_EQUAL(cmd, "DATA");
    /* The address on the RCPT line itself. */
    CU_ASSERT_TRUE(sx_reply_transcript_command(t2, sizeof(t2) - 1, "c@example.org",
					       "", cmd, sizeof(cmd)));
    CU_ASSERT_STRING_EQUAL(cmd, "RCPT");
    /* No address: the reply as quoted finds its "<<< " line. */
    CU_ASSERT_TRUE(sx_reply_transcript_command(t2, sizeof(t2) - 1, "x@example.org",
					       "554 5.7.0 Message refused", cmd, sizeof(cmd)));
    CU_ASSERT_STRING_EQUAL(cmd, "DATA");
    /* Neither: nothing is claimed. */
    CU_ASSERT_FALSE(sx_reply_transcript_command(t2, sizeof(t2) - 1, "x@example.org",
						"421 closing", cmd, sizeof(cmd)));
    CU_ASSERT_FALSE(sx_reply_transcript_command(t3, sizeof(t3) - 1, "b@example.org",
						"", cmd, sizeof(cmd)));
}

static CU_TestInfo tests[] = {
    {"transcript command", test_transcript_command},
    {"forms of replies", test_reply_table},
    {"hostile text", test_reply_hostile},
    {"status syntax", test_status_valid},
    CU_TEST_INFO_NULL,
};

SX_SUITE(reply, tests, 0, 0)
