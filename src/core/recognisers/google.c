/*
 * NAME
 *	google 3
 * SUMMARY
 *	Gmail and Google Workspace notices ("Delivery to the following recipient failed permanently")
 */
#include "phrases.h"

const struct sx_marked sx_rows_google[] = {
    {"gmail", "delivery to the following recipient failed permanently", SX_LIST, 0},
    {"gmail", "delivery to the following recipient has been delayed", SX_LIST, 0},
    SX_ROWS_END,
};
