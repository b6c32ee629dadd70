/*
 * NAME
 *	yahoo 3
 * SUMMARY
 *	Yahoo Mail and AOL notices
 * DESCRIPTION
 *	Yahoo's outbound notices (AOL's too, since both run on Yahoo's
 *	mail system) open with one sentence, then list each recipient as
 *	"<a@b>:" with the remote's words on the line below ("Remote host
 *	said: 550 ... [RCPT_TO]"), then "--- Below this line is a copy of
 *	the message.": the layout of qmail, from which Yahoo's mail
 *	system grew (Yahoo's help page "Email 'Failed Delivery' message"
 *	shows the qmail wording it wrote before).
 */
#include "phrases.h"

const struct sx_marked sx_rows_yahoo[] = {
    SX_ROW("yahoo", "sorry, we were unable to deliver your message to the following address", SX_LIST, 0),
    SX_ROWS_END,
};
