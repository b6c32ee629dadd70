/*
 * NAME
 *	domino 3
 * SUMMARY
 *	HCL Domino (Lotus Notes) failure reports
 */
#include "phrases.h"

const struct sx_marked sx_rows_domino[] = {
    {"notes", "------- failure reasons", SX_CAUSE, 0},
    SX_ROWS_END,
};
