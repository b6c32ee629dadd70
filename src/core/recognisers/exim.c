/*
 * NAME
 *	exim 3
 * SUMMARY
 *	Exim's bounce and delay texts (deliver.c, the default bounce message)
 */
#include "phrases.h"

const struct sx_marked sx_rows_exim[] = {
    SX_ROW("exim", "could not be delivered to one or more", SX_LIST, 0),
    SX_ROW("exim", "the following address failed", SX_LIST, 0),
    SX_ROW("exim", "the following address(es) failed", SX_LIST, 0),
    SX_ROWS_END,
};
