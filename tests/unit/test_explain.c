/*
 * test_explain.c - where an explanation and its reason come from
 * (enum sx_source), and what a registry without fallbacks says.
 */
#include <stdio.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>

#include "unit.h"

SX_UNIT_DEFAULT_REGISTRY

static void test_sources(void)
{
    static const struct {
	enum sx_kind kind;
	enum sx_action action;
	int     code;
	const char *status;
	const char *command;
	const char *diag;
	const char *mta;
	enum sx_source from;
	enum sx_source reason_from;
	const char *reason;
    }       t[] = {
	/* A precise detail code outweighs a generic remark in the text. */
	{SX_KIND_DSN, SX_ACTION_FAILED, 550, "5.1.1", "RCPT", "mailbox unavailable", "",
	SX_FROM_ENHANCED, SX_FROM_ENHANCED, "userunknown"},
	{SX_KIND_DSN, SX_ACTION_FAILED, 550, "5.7.26", "DATA",
	    "Unauthenticated email: the sender is unauthenticated", "mx.google.com",
	SX_FROM_VENDOR, SX_FROM_VENDOR, "authfailure"},
	{SX_KIND_DSN, SX_ACTION_FAILED, 550, "", "RCPT", "mailbox full", "",
	SX_FROM_BASIC, SX_FROM_TEXT, "mailboxfull"},
	/* A vague code: the basic code's reason. */
	{SX_KIND_DSN, SX_ACTION_FAILED, 552, "5.0.0", "RCPT", "", "",
	SX_FROM_ENHANCED, SX_FROM_BASIC, "mailboxfull"},
	{SX_KIND_DSN, SX_ACTION_FAILED, 0, "5.7.99", "RCPT", "", "",
	SX_FROM_SUBJECT, SX_FROM_SUBJECT, "policyviolation"},
	/* The stage: refused at MAIL FROM, then a delay warning. */
	{SX_KIND_DSN, SX_ACTION_FAILED, 550, "", "MAIL", "", "",
	SX_FROM_BASIC, SX_FROM_STAGE, "rejected"},
	{SX_KIND_DSN, SX_ACTION_DELAYED, 450, "4.0.0", "RCPT", "", "",
	SX_FROM_ENHANCED, SX_FROM_STAGE, "expired"},
	{SX_KIND_DSN, SX_ACTION_FAILED, 0, "", "", "", "",
	SX_FROM_NONE, SX_FROM_FALLBACK, "undefined"},
	{SX_KIND_AUTOREPLY, SX_ACTION_NONE, 0, "", "", "out of office", "",
	SX_FROM_KIND, SX_FROM_KIND, "vacation"},
	{SX_KIND_FEEDBACK, SX_ACTION_DELIVERED, 250, "2.0.0", "", "", "",
	SX_FROM_KIND, SX_FROM_KIND, "feedback"},
    };
    struct sx_finding f;
    struct sx_explanation ex;
    size_t  i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	memset(&f, 0, sizeof(f));
	f.kind = t[i].kind;
	f.action = t[i].action;
	f.replycode = t[i].code;
	strcpy(f.status, t[i].status);
	strcpy(f.command, t[i].command);
	strcpy(f.diagnostic, t[i].diag);
	strcpy(f.remote_mta, t[i].mta);
	sx_explain(reg, &f, &ex);
	if (ex.from != t[i].from || ex.reason_from != t[i].reason_from
	    || strcmp(ex.reason, t[i].reason) != 0)
	    fprintf(stderr, "\n  case %zu: from %d/%d reason %s\n", i, ex.from,
		    ex.reason_from, ex.reason);
	CU_ASSERT_EQUAL(ex.from, t[i].from);
	CU_ASSERT_EQUAL(ex.reason_from, t[i].reason_from);
	CU_ASSERT_STRING_EQUAL(ex.reason, t[i].reason);
	CU_ASSERT(*ex.title && *ex.text && *ex.action);
    }
}

/* Without fallback entries nothing more is said, and nothing is NULL. */

static void test_no_fallbacks(void)
{
    struct sx_registry *r = sx_registry_new();
    struct sx_finding f;
    struct sx_explanation ex;

    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(r), SX_OK);
    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_FEEDBACK;
    f.action = SX_ACTION_FAILED;
    f.replycode = 550;
    sx_explain(r, &f, &ex);
    CU_ASSERT_STRING_EQUAL(ex.title, "");
    CU_ASSERT_STRING_EQUAL(ex.text, "");
    CU_ASSERT_STRING_EQUAL(ex.action, "");
    CU_ASSERT_STRING_EQUAL(ex.ref, "");
    CU_ASSERT_STRING_EQUAL(ex.reason, "undefined");
    CU_ASSERT_EQUAL(ex.retry, SX_RETRY_UNKNOWN);
    CU_ASSERT_EQUAL(ex.from, SX_FROM_NONE);
    sx_registry_free(r);
}

static CU_TestInfo tests[] = {
    {"where explanations come from", test_sources},
    {"a registry without fallbacks", test_no_fallbacks},
    CU_TEST_INFO_NULL,
};

SX_SUITE(explain, tests, reg_init, reg_fini)
