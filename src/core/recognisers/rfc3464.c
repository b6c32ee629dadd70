/*
 * NAME
 *	rfc3464 3
 * SUMMARY
 *	delivery status notifications (RFC 3464 multipart/report)
 * DESCRIPTION
 *	A standard report is read while the message streams: the reader
 *	hands each message/delivery-status part to dsn.c, which adds one
 *	finding per recipient group. This row only says whether that gave
 *	anything; as the first row of the table it keeps every guessing
 *	reader away from a report that says what it means. The completion
 *	pass then takes what the fields left out (a reply code quoted only
 *	in the text, the cause behind an "expired" status) from the text
 *	(SX_RC_FILL_TEXT).
 */
#include "scan.h"

int     sx_read_rfc3464(const struct sx_scan *s)
{
    return ((int) sx_scan_count(s));
}
