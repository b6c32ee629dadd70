/*
 * NAME
 *	postfix 3
 * SUMMARY
 *	Postfix's non-DSN bounce text (bounce(8) templates, "This is the mail system at host")
 */
#include "phrases.h"

const struct sx_marked sx_rows_postfix[] = {
    SX_ROW("postfix", "this is the mail system at host", SX_LIST, 0),
    SX_ROWS_END,
};
