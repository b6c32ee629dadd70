/*
 * NAME
 *	qmail 3
 * SUMMARY
 *	qmail-send's bounce (qmail-send.c, "Hi. This is the qmail-send program")
 */
#include "phrases.h"

const struct sx_marked sx_rows_qmail[] = {
    {"qmail", "this is the qmail-send program", SX_LIST, 0},
    SX_ROWS_END,
};
