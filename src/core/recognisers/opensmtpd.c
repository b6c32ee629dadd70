/*
 * NAME
 *	opensmtpd 3
 * SUMMARY
 *	OpenSMTPD's bounce text (bounce.c, "the following list of recipients")
 */
#include "phrases.h"

const struct sx_marked sx_rows_opensmtpd[] = {
    SX_ROW("opensmtpd", "the following list of recipients", SX_LIST, 0),
    SX_ROWS_END,
};
