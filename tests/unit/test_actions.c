/*
 * test_actions.c - what a shape fixture's findings report as their
 * action: a delay warning ("Delivery incomplete", "has been delayed")
 * is action delayed, a failure notice action failed, whatever the class
 * of the reply they quote. The .expect files do not carry the action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/reader.h>

#include "unit.h"

static const struct {
    const char *fixture;
    enum sx_action action;
} cases[] = {
    {"gmail-delayed", SX_ACTION_DELAYED},
    {"gmail-delivery-incomplete", SX_ACTION_DELAYED},
    {"exchange-dsn-delayed", SX_ACTION_DELAYED},
    {"sendmail-delayed", SX_ACTION_DELAYED},
    {"gmail", SX_ACTION_FAILED},
    {"gmail-address-not-found", SX_ACTION_FAILED},
    {"gmail-message-blocked", SX_ACTION_FAILED},
    {"office365-enhanced", SX_ACTION_FAILED},
    {"exchange-dsn-bare", SX_ACTION_FAILED},
};

static void test_actions(void)
{
    size_t  i, k, len;
    char    path[256];

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	struct sx_reader *r = sx_reader_new(0);
	char   *msg;

	snprintf(path, sizeof(path), "fixtures/shapes/%s.eml", cases[i].fixture);
	msg = sx_unit_slurp(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(sx_reader_push(r, msg, len), SX_OK);
	CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
	CU_ASSERT(sx_reader_count(r) > 0);
	for (k = 0; k < sx_reader_count(r); k++) {
	    if (sx_reader_finding(r, k)->action != cases[i].action)
		fprintf(stderr, "\n%s: finding %zu: action %d, want %d\n",
			cases[i].fixture, k, (int) sx_reader_finding(r, k)->action,
			(int) cases[i].action);
	    CU_ASSERT_EQUAL(sx_reader_finding(r, k)->action, cases[i].action);
	}
	sx_reader_free(r);
	free(msg);
    }
}

static CU_TestInfo tests[] = {
    {"delay warnings are action delayed", test_actions},
    CU_TEST_INFO_NULL,
};

SX_SUITE(actions, tests, 0, 0)
