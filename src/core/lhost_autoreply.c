/*
 * NAME
 *	lhost_autoreply 3
 * SUMMARY
 *	RFC 3834 automatic replies (vacation, out of office)
 * DESCRIPTION
 *	An auto-reply says a message arrived; it is never a failure. It
 *	is recognised by its header markers (Auto-Submitted: auto-replied,
 *	X-Autoreply, X-Autorespond, Precedence: auto_reply) and reported as
 *	one finding of kind autoreply for the replying address, so that a
 *	filter can tell it from a bounce.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "scan.h"

int     sx_lhost_autoreply(const struct sx_scan *s)
{
    char    v[128];
    struct sx_finding f;
    int     yes = 0;

    /* A null-sender message with a delivery report is not a vacation. */
    if (s->msg->is_report)
	return (0);
    if (sx_scan_header(s, "Auto-Submitted", v, sizeof(v))
	&& strncasecmp(v, "auto-replied", 12) == 0)
	yes = 1;
    if (sx_scan_header(s, "X-Autoreply", v, sizeof(v))
	|| sx_scan_header(s, "X-Autorespond", v, sizeof(v))
	|| (sx_scan_header(s, "Precedence", v, sizeof(v))
	    && strcasecmp(v, "auto_reply") == 0))
	yes = 1;
    if (!yes)
	return (0);
    /* Bounces also say auto-replied: leave those to the bounce shapes. */
    if (s->msg->null_sender
	&& (sx_scan_find(s, "could not be delivered")
	    || sx_scan_find(s, "undeliverable")
	    || sx_scan_find(s, "delivery status notification")
	    || sx_scan_find(s, "failed")))
	return (0);
    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_AUTOREPLY;
    f.action = SX_ACTION_DELIVERED;
    sx_text_copy(f.recipient, sizeof(f.recipient), s->msg->from, strlen(s->msg->from));
    sx_text_copy(f.diagnostic, sizeof(f.diagnostic), s->msg->subject,
		 strlen(s->msg->subject));
    sx_text_copy(f.engine, sizeof(f.engine), "rfc3834", 7);
    return (sx_scan_add(s, &f));
}
