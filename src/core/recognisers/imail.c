/*
 * NAME
 *	imail 3
 * SUMMARY
 *	Ipswitch IMail Server (formerly SMTP32)
 */
#include "phrases.h"

const struct sx_marked sx_rows_imail[] = {
    SX_ROW("imailserver", "undeliverable to ", SX_SENTENCE, 0),
    /* One "label: address" line per recipient (SMTP32). */
    SX_ROW("imailserver", "user mailbox exceeds allowed size:", SX_WORDS_AFTER, 0),
    SX_ROWS_END,
};
