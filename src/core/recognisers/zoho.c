/*
 * NAME
 *	zoho 3
 * SUMMARY
 *	Zoho Mail's per-recipient records ("[Status: Error, Address: <a@b>, ResponseCode ...]")
 */
#include "phrases.h"

const struct sx_marked sx_rows_zoho[] = {
    SX_ROW("zoho", "the following addresses had fatal errors", SX_RECORD, "address:"),
    SX_ROWS_END,
};
