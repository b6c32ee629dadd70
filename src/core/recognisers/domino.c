/*
 * NAME
 *	domino 3
 * SUMMARY
 *	HCL (Lotus) Domino's delivery failure reports
 * DESCRIPTION
 *	Older Notes gateways list the cause first ("------- Failure
 *	Reasons --------", then the addresses it applies to). Domino's
 *	Delivery Failure Report, converted to Internet mail, names the
 *	message ("Your message / Subject: ..."), then "was not delivered
 *	to:" with the recipients indented on lines of their own, then
 *	"because:" and the cause ("User x (a@b) not listed in Domino
 *	Directory").
 */
#include "phrases.h"

const struct sx_marked sx_rows_domino[] = {
    SX_ROW("notes", "------- failure reasons", SX_CAUSE, 0),
    SX_ROW("domino", "was not delivered to:", SX_LIST, 0),
    SX_ROWS_END,
};
