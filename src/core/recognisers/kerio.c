/*
 * NAME
 *	kerio 3
 * SUMMARY
 *	Kerio Connect's undeliverable notice
 * DESCRIPTION
 *	One sentence per recipient, "The following message to <a@b> was
 *	undeliverable.", then "The reason for the problem:" and a line
 *	that gives Kerio's own enhanced code and label before the remote
 *	reply ("5.1.0 - Unknown address error 550-'5.1.1 ...'"; reply.c
 *	takes the quoted code as the remote's).
 */
#include "phrases.h"

const struct sx_marked sx_rows_kerio[] = {
    SX_ROW("kerio", "the following message to <", SX_SENTENCE, 0),
    SX_ROWS_END,
};
