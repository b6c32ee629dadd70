/*
 * NAME
 *	x400 3
 * SUMMARY
 *	delivery reports of X.400 gateways (RFC 2156, MIXER)
 * DESCRIPTION
 *	A gateway that maps an X.400 delivery report to Internet mail
 *	writes the text of RFC 2156 (and RFC 1327 before it): "This
 *	report relates to your message:", then per recipient "Your
 *	message was not delivered to: a@b" (the O/R address mapped to RFC
 *	822 form) and "for the following reason:" with the X.400 reason
 *	and diagnostic ("Unable to transfer", "Unrecognised O/R name").
 */
#include "phrases.h"

const struct sx_marked sx_rows_x400[] = {
    SX_ROW("x400", "your message was not delivered to:", SX_SENTENCE, 0),
    SX_ROWS_END,
};
