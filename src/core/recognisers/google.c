/*
 * NAME
 *	google 3
 * SUMMARY
 *	Gmail and Google Workspace notices
 * DESCRIPTION
 *	The older notices list the recipient alone on a line, then the
 *	technical details ("Delivery to the following recipient failed
 *	permanently:"). The notices written since then open with a banner
 *	("** Address not found **", "** Message not delivered **",
 *	"** Delivery incomplete **") and name the recipient inside the
 *	first sentence below it; the remote server's reply follows
 *	"The response from the remote server was:". Gmail's own help pages
 *	(support.google.com/mail/answer/6596) describe these notices; the
 *	notice "Your message to a@b has been blocked" is read by notice.c,
 *	since its address sits between fixed words.
 *
 *	A delay ("Delivery incomplete", "has been delayed") is a warning:
 *	SX_DELAYED.
 */
#include "phrases.h"

const struct sx_marked sx_rows_google[] = {
    SX_ROW("gmail", "delivery to the following recipient failed permanently", SX_LIST, 0),
    SX_ROW("gmail", "delivery to the following recipient has been delayed", SX_LIST | SX_DELAYED, 0),
    SX_ROW("gmail", "your message wasn't delivered to ", SX_SENTENCE, 0),
    SX_ROW("gmail", "your message wasn\xe2\x80\x99t delivered to ", SX_SENTENCE, 0),
    SX_ROW("gmail", "there was a temporary problem delivering your message to ", SX_SENTENCE | SX_DELAYED, 0),
    SX_ROW("gmail", "there was a problem delivering your message to ", SX_SENTENCE, 0),
    /* "** Message blocked **": "Your message to a@b has been blocked." */
    {.engine = "gmail", .start = "your message to ", .how = SX_AROUND,
    .reason = " has been blocked", .labels = {"the response from the remote server was:", 0}},
    SX_ROWS_END,
};
