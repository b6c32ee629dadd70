/*
 * NAME
 *	courier 3
 * SUMMARY
 *	Courier's delivery status notices (courierdsn(8), module.dsn)
 * DESCRIPTION
 *	Courier heads its human-readable part with "UNDELIVERABLE MAIL"
 *	(its list opens "Your message to the following recipients cannot
 *	be delivered:") or, in a delay notice (Subject "WARNING: delayed
 *	mail."), with "DELAYS IN DELIVERING YOUR MESSAGE"; each recipient
 *	follows as "<a@b>:" with the remote host and the session lines
 *	(">>> RCPT TO:<a@b>", "<<< 451 ...") indented below it.
 */
#include "phrases.h"

const struct sx_marked sx_rows_courier[] = {
    SX_ROW("courier", "your message to the following recipients cannot be delivered", SX_LIST, 0),
    SX_ROW("courier", "delays in delivering your message", SX_LIST | SX_DELAYED, 0),
    SX_ROWS_END,
};
