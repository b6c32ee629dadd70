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
    /* The same section in German and Spanish NDRs (Exchange 2013 help,
     * "DSNs und NDRs", "DSN y NDR": the reply itself stays in English). */
    {"exchange", "diagnoseinformationen f\xc3\xbcr administratoren", SX_LIST, 0},
    {"exchange", "informaci\xc3\xb3n de diagn\xc3\xb3stico para administradores", SX_LIST, 0},
    SX_ROWS_END,
};
