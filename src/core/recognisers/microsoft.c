/*
 * NAME
 *	microsoft 3
 * SUMMARY
 *	Exchange and Microsoft 365 non-delivery reports (NDR)
 */
#include "phrases.h"

const struct sx_marked sx_rows_microsoft[] = {
    {"exchange", "delivery to the following recipients failed", SX_LIST, 0},
    {"exchange", "could not be reached", SX_LIST, 0},
    {"exchange", "diagnostic information for administrators", SX_LIST, 0},
    SX_ROWS_END,
};
