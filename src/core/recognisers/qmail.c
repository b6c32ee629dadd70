/*
 * NAME
 *	qmail 3
 * SUMMARY
 *	qmail-send's bounce (qmail-send.c, "Hi. This is the qmail-send program")
 */
#include "phrases.h"

const struct sx_marked sx_rows_qmail[] = {
    SX_ROW("qmail", "this is the qmail-send program", SX_LIST, 0),
    /* vpopmail (vdelivermail): a domain's over-quota notice. */
    SX_ROW("vpopmail", "was rejected due to the user exceeding its mailbox quota",
	   SX_WORDS_BEFORE, 0),
    SX_ROWS_END,
};
