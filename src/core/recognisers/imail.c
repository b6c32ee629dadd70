/*
 * NAME
 *	imail 3
 * SUMMARY
 *	Ipswitch IMail Server (formerly SMTP32)
 */
#include "phrases.h"

const struct sx_marked sx_rows_imail[] = {
    {"imailserver", "undeliverable to ", SX_SENTENCE, 0},
    SX_ROWS_END,
};
